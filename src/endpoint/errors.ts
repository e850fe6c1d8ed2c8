/**
 * Errors of the metrics endpoint. Each has a literal `name` and an `is*` guard that tests the
 * name, so the guards work across the ESM and CJS copies of the library.
 */
import { errorGuard, OptionValueError } from '../errors.js';

/** An endpoint option has a value it cannot use, e.g. a negative `scrapeTimeoutMs`. */
export class EndpointOptionError extends OptionValueError {
  override readonly name = 'EndpointOptionError' as const;
  constructor(option: string, value: unknown, expected: string) {
    super('metrics endpoint option', option, value, expected);
  }
}

/**
 * A scrape request the endpoint refuses with 400: an oversized or malformed query string, or an
 * unusable `X-Prometheus-Scrape-Timeout-Seconds` header. The message is the response body.
 */
export class ScrapeRequestError extends Error {
  override readonly name = 'ScrapeRequestError' as const;
}

export const isEndpointOptionError = errorGuard<EndpointOptionError>('EndpointOptionError');
export const isScrapeRequestError = errorGuard<ScrapeRequestError>('ScrapeRequestError');
