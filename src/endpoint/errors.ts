/**
 * Errors of the metrics endpoint. Each has a literal `name` and an `is*` guard that tests the
 * name, so the guards work across the ESM and CJS copies of the library.
 */
import { describeValue, hasErrorName } from '../errors.js';

/** An endpoint option has a value it cannot use, e.g. a negative `scrapeTimeoutMs`. */
export class EndpointOptionError extends Error {
  override readonly name = 'EndpointOptionError' as const;
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`metrics endpoint option ${option} must be ${expected} (got ${describeValue(value)})`);
  }
}

/**
 * A scrape request the endpoint refuses with 400: an oversized or malformed query string, or an
 * unusable `X-Prometheus-Scrape-Timeout-Seconds` header. The message is the response body.
 */
export class ScrapeRequestError extends Error {
  override readonly name = 'ScrapeRequestError' as const;
}

export const isEndpointOptionError = (e: unknown): e is EndpointOptionError =>
  hasErrorName(e, 'EndpointOptionError');
export const isScrapeRequestError = (e: unknown): e is ScrapeRequestError =>
  hasErrorName(e, 'ScrapeRequestError');
