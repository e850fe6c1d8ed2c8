/**
 * One remote-write request: a POST with a timeout that covers the response body too, no
 * redirects followed, and the answer sorted into what the writer does next. Uses only `fetch`,
 * `AbortController` and timers, so it runs wherever they exist.
 */
import { RemoteWriteError, RemoteWriteRedirectError, RemoteWriteRequestError } from './errors.js';

/** The part of a fetch Response the writer reads. */
export interface FetchResponse {
  readonly status: number;
  /** `opaqueredirect` in browsers, where a manual redirect hides status and Location. */
  readonly type?: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The part of `fetch` the writer uses. The global `fetch` fits, and so do undici's or a test double. */
export type FetchFunction = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: Uint8Array;
    signal: AbortSignal;
    redirect: 'manual';
  },
) => Promise<FetchResponse>;

/** What the receiver reported writing, from the Remote-Write 2.0 response headers. */
export interface Written {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

export type Outcome =
  /** 2xx. `written` is undefined when the receiver sent none of the `-Written` headers. */
  | { readonly kind: 'ok'; readonly status: number; readonly written: Written | undefined }
  /** A network error, a timeout, a 5xx or a 429; `retryAfterMs` from a Retry-After header. */
  | { readonly kind: 'retry'; readonly error: Error; readonly retryAfterMs: number | undefined }
  /** 415: the receiver does not take this protocol version. */
  | { readonly kind: 'unsupported'; readonly error: RemoteWriteError }
  /** Any other answer: sending the same request again cannot succeed. */
  | { readonly kind: 'fail'; readonly error: Error; readonly written: Written | undefined };

export interface Attempt {
  readonly url: string;
  /** The URL as errors show it: origin and path, no credentials or query. */
  readonly displayUrl: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly samples: number;
  readonly timeoutMs: number;
}

/** Longest piece of a refusal's body kept in the error: receivers explain in a line or two. */
const BODY_LIMIT = 1024;

export async function sendOnce(
  attempt: Attempt,
  fetchFn: FetchFunction,
  nowMs: () => number,
): Promise<Outcome> {
  const { displayUrl, samples, timeoutMs } = attempt;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no response within ${timeoutMs} ms`)),
    timeoutMs,
  );
  let response: FetchResponse;
  let body: string;
  try {
    response = await fetchFn(attempt.url, {
      method: 'POST',
      headers: attempt.headers,
      body: attempt.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    // Read the body even on success, so the connection can be reused; the timeout covers it too.
    body = await response.text();
  } catch (error) {
    const failure = new RemoteWriteRequestError(displayUrl, controller.signal.aborted, samples, error);
    return { kind: 'retry', error: failure, retryAfterMs: undefined };
  } finally {
    clearTimeout(timer);
  }
  const status = response.status;
  if (response.type === 'opaqueredirect' || (status >= 300 && status <= 399)) {
    const location = response.headers.get('location') ?? undefined;
    const error = new RemoteWriteRedirectError(displayUrl, status, location);
    return { kind: 'fail', error, written: undefined };
  }
  if (status >= 200 && status <= 299) return { kind: 'ok', status, written: writtenHeaders(response) };
  const excerpt = body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}…` : body;
  if (status === 415) {
    return { kind: 'unsupported', error: new RemoteWriteError(displayUrl, status, excerpt, samples, false) };
  }
  if (status >= 500 || status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs());
    const error = new RemoteWriteError(displayUrl, status, excerpt, samples, true);
    return { kind: 'retry', error, retryAfterMs };
  }
  const error = new RemoteWriteError(displayUrl, status, excerpt, samples, false);
  return { kind: 'fail', error, written: writtenHeaders(response) };
}

function writtenHeaders(response: FetchResponse): Written | undefined {
  const samples = response.headers.get('x-prometheus-remote-write-samples-written');
  const histograms = response.headers.get('x-prometheus-remote-write-histograms-written');
  const exemplars = response.headers.get('x-prometheus-remote-write-exemplars-written');
  if (samples === null && histograms === null && exemplars === null) return undefined;
  return { samples: count(samples), histograms: count(histograms), exemplars: count(exemplars) };
}

/** A missing or unreadable count among headers that are otherwise present counts as zero written. */
function count(header: string | null): number {
  const n = header === null ? Number.NaN : Number(header.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/**
 * Retry-After as milliseconds from now: either delay-seconds (a non-negative integer) or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
