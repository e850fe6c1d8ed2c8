/**
 * A per-scrape time limit for the aggregators. Prometheus sends its scrape timeout in the
 * `X-Prometheus-Scrape-Timeout-Seconds` header; an aggregator collected inside
 * `withScrapeTimeout` waits for workers no longer than that (and no longer than its own
 * `timeoutMs`), so the scrape is answered before Prometheus gives up on it.
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { Registry, render } from 'aioprometheus';
 * import { scrapeTimeoutFromHeaders, withScrapeTimeout } from 'aioprometheus/cluster';
 *
 * const registry = new Registry();
 * http.createServer(async (req, res) => {
 *   const { body, contentType } = await withScrapeTimeout(scrapeTimeoutFromHeaders(req.headers), () =>
 *     render(registry, req.headers.accept),
 *   );
 *   res.writeHead(200, { 'Content-Type': contentType }).end(body);
 * });
 * ```
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<number>();

/** The share of Prometheus' timeout left to waiting for workers; the rest is for merging and sending. */
const WAIT_SHARE = 0.9;

/**
 * Runs `fn` so that aggregators collected inside it wait at most `timeoutMs` for workers.
 * `undefined` runs `fn` with no per-scrape limit.
 *
 * @throws {RangeError} when `timeoutMs` is not a number >= 0.
 */
export function withScrapeTimeout<T>(timeoutMs: number | undefined, fn: () => T): T {
  if (timeoutMs === undefined) return fn();
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    throw new RangeError(`scrape timeout must be a number of milliseconds >= 0, got ${String(timeoutMs)}`);
  }
  return current.run(timeoutMs, fn);
}

/**
 * The time to wait for workers from Prometheus' `X-Prometheus-Scrape-Timeout-Seconds` request
 * header: 90 % of it, in milliseconds; `undefined` when the header is absent or not a positive number.
 */
export function scrapeTimeoutFromHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): number | undefined {
  const raw = headers['x-prometheus-scrape-timeout-seconds'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value * 1000 * WAIT_SHARE : undefined;
}

/** The limit set by the innermost `withScrapeTimeout`, if any. */
export function currentScrapeTimeout(): number | undefined {
  return current.getStore();
}
