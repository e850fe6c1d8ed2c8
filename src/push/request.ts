/**
 * One push request with a timeout per attempt, and retries with exponential backoff and jitter
 * on network errors, timeouts, 5xx and 429.
 */
import { PushError, PushRequestError } from './errors.js';

/**
 * The part of `fetch` the Pusher uses. The global `fetch` fits, and so do undici's or a test
 * double.
 */
export type FetchFunction = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array;
    signal: AbortSignal;
  },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  readonly retries: number;
  /** The delay before the first retry; each further retry doubles it (before jitter). */
  readonly baseDelayMs: number;
  /** The upper bound of a single delay. */
  readonly maxDelayMs: number;
}

export interface PushRequest {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** The statuses that mean success. */
  readonly success: (status: number) => boolean;
}

/**
 * Sends `request` until it succeeds or fails for good. Rejects with a
 * PushError for a refused push, or a PushRequestError (cause attached) when no response came.
 */
export async function sendWithRetries(
  request: PushRequest,
  fetchFn: FetchFunction,
  timeoutMs: number,
  retry: RetryPolicy,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await sendOnce(request, fetchFn, timeoutMs);
      return;
    } catch (error) {
      if (attempt >= retry.retries || !isRetryable(error)) throw error;
      await sleep(backoffDelay(attempt, retry));
    }
  }
}

async function sendOnce(request: PushRequest, fetchFn: FetchFunction, timeoutMs: number): Promise<void> {
  const { method, url } = request;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no response within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  let status: number;
  let body: string;
  try {
    const init = { method, headers: request.headers, signal: controller.signal };
    const response = await fetchFn(url, request.body === undefined ? init : { ...init, body: request.body });
    status = response.status;
    // Read the body even on success, so the connection can be reused; the timeout covers it too.
    body = await response.text();
  } catch (error) {
    throw new PushRequestError(method, url, controller.signal.aborted, error);
  } finally {
    clearTimeout(timer);
  }
  if (!request.success(status)) throw new PushError(method, url, status, body);
}

/** Network errors, timeouts, overload (429) and server errors may pass; other refusals will not. */
function isRetryable(error: unknown): boolean {
  if (error instanceof PushRequestError) return true;
  return error instanceof PushError && (error.status >= 500 || error.status === 429);
}

/**
 * Exponential backoff with "equal jitter": half of the exponential delay is fixed, half random,
 * so clients that failed together spread out but still wait longer after each failure.
 */
export function backoffDelay(attempt: number, retry: RetryPolicy): number {
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return exponential / 2 + Math.random() * (exponential / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
