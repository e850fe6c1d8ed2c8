/**
 * One push request: attempts within one deadline, retries with exponential backoff and jitter
 * (or the gateway's Retry-After) on network errors, timeouts, 5xx and 429, and no redirects.
 */
import { isRedirect, PushError, PushRequestError } from './errors.js';
import { redactLocation, redactSecrets } from './redact.js';
import { retryAfterMs } from './retry-after.js';

/**
 * The part of `fetch` the Pusher uses. The global `fetch` fits, and so do undici's or a test
 * double. `headers` is needed to read a redirect's Location and a Retry-After, `redirected`
 * to notice a fetch that followed a redirect although told not to.
 */
export type FetchFunction = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array;
    signal: AbortSignal;
    redirect: 'manual';
  },
) => Promise<{
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly redirected?: boolean;
  text(): Promise<string>;
}>;

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  readonly retries: number;
  /** The delay before the first retry; each further retry doubles it (before jitter). */
  readonly baseDelayMs: number;
  /** The upper bound of a single backoff delay (a Retry-After may ask for longer). */
  readonly maxDelayMs: number;
}

/** Time as the retry loop sees it; tests replace it to check waits without waiting. */
export interface Clock {
  /** Milliseconds since the epoch (a Retry-After date is compared with it). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The end of the time a push may take, as `clock.now()` counts. */
export interface Deadline {
  readonly endsAt: number;
  /** The configured timeout, for messages. */
  readonly timeoutMs: number;
}

export interface PushRequest {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** The statuses that mean success. */
  readonly success: (status: number) => boolean;
  /** Credentials that must not appear in an error, even when the server echoes them. */
  readonly secrets: readonly string[];
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly location: string | null | undefined;
  readonly retryAfter: string | null | undefined;
  readonly redirected: boolean;
}

/**
 * Sends `request` until it succeeds or fails for good, all before `deadline`. Rejects with a
 * PushError for a refused push (a 3xx included), or a PushRequestError (cause attached) when no
 * response came in time.
 */
export async function sendWithRetries(
  request: PushRequest,
  fetchFn: FetchFunction,
  deadline: Deadline,
  retry: RetryPolicy,
  clock: Clock,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let failure: PushError | PushRequestError;
    let askedWaitMs: number | undefined;
    try {
      const answer = await sendOnce(request, fetchFn, deadline, clock);
      if (request.success(answer.status) && !answer.redirected) return;
      failure = refusal(request, answer);
      if (!isRetryableStatus(answer.status) || answer.redirected) throw failure;
      if (answer.status === 429 || answer.status === 503)
        askedWaitMs = retryAfterMs(answer.retryAfter, clock.now());
    } catch (error) {
      if (!(error instanceof PushRequestError)) throw error;
      failure = error;
    }
    if (attempt >= retry.retries) throw failure;
    const waitMs = askedWaitMs ?? backoffDelay(attempt, retry);
    const leftMs = deadline.endsAt - clock.now();
    if (waitMs >= leftMs) {
      if (askedWaitMs === undefined || !(failure instanceof PushError)) throw failure;
      throw new PushError(request.method, request.url, failure.status, failure.body, {
        note: `not retried: the gateway asked to retry after ${seconds(askedWaitMs)} (Retry-After), more than the ${seconds(Math.max(0, leftMs))} left of the ${deadline.timeoutMs} ms timeout`,
      });
    }
    await clock.sleep(waitMs);
  }
}

async function sendOnce(
  request: PushRequest,
  fetchFn: FetchFunction,
  deadline: Deadline,
  clock: Clock,
): Promise<Answer> {
  const { method, url } = request;
  const controller = new AbortController();
  const timeout = (): void =>
    controller.abort(
      new DOMException(`the ${deadline.timeoutMs} ms timeout ran out before a response came`, 'TimeoutError'),
    );
  const leftMs = deadline.endsAt - clock.now();
  if (leftMs <= 0) {
    timeout();
    throw new PushRequestError(method, url, true, controller.signal.reason);
  }
  const timer = setTimeout(timeout, leftMs);
  try {
    const init = { method, headers: request.headers, signal: controller.signal, redirect: 'manual' as const };
    const response = await fetchFn(url, request.body === undefined ? init : { ...init, body: request.body });
    // Read the body even on success, so the connection can be reused; the timeout covers it too.
    const body = await response.text();
    return {
      status: response.status,
      body,
      location: response.headers?.get('location'),
      retryAfter: response.headers?.get('retry-after'),
      redirected: response.redirected === true,
    };
  } catch (error) {
    throw new PushRequestError(method, url, controller.signal.aborted, error);
  } finally {
    clearTimeout(timer);
  }
}

function refusal(request: PushRequest, answer: Answer): PushError {
  const { method, url } = request;
  const body = redactSecrets(answer.body, request.secrets);
  if (answer.redirected) {
    return new PushError(method, url, answer.status, body, {
      note: "the fetch function followed a redirect although it was given redirect: 'manual', so the push may have gone elsewhere",
    });
  }
  if (isRedirect(answer.status)) {
    const location = redactLocation(answer.location, url);
    return new PushError(method, url, answer.status, body, location === undefined ? {} : { location });
  }
  return new PushError(method, url, answer.status, body);
}

/** Overload (429) and server errors may pass; other refusals will not. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Exponential backoff with "equal jitter": half of the exponential delay is fixed, half random,
 * so clients that failed together spread out but still wait longer after each failure.
 */
export function backoffDelay(attempt: number, retry: RetryPolicy): number {
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return exponential / 2 + Math.random() * (exponential / 2);
}
