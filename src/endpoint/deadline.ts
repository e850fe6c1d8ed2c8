/**
 * The time a scrape may take. Prometheus sends its scrape timeout in a request header; the
 * endpoint answers a little before it, so a slow collector yields a response Prometheus still
 * reads (a 503 with the reason, or a partial exposition) instead of a timed-out scrape.
 */
import { ScrapeRequestError } from './errors.js';

export const SCRAPE_TIMEOUT_HEADER = 'x-prometheus-scrape-timeout-seconds';

/** The default deadline when the scraper sends no timeout header: Prometheus' default scrape timeout. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

/** The most kept back from the scraper's timeout for encoding and sending, in milliseconds. */
const MAX_MARGIN_MS = 500;
/** The share of the scraper's timeout kept back when that is less than MAX_MARGIN_MS. */
const MARGIN_SHARE = 0.1;

/**
 * The milliseconds a scrape may spend collecting: the header's timeout minus a margin
 * (10 %, at most 500 ms), or `defaultMs` without the header. Throws ScrapeRequestError when the
 * header is present but not a positive number of seconds.
 */
export function scrapeDeadlineMs(header: string | undefined, defaultMs: number): number {
  if (header === undefined) return defaultMs;
  const seconds = Number(header.trim());
  if (header.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new ScrapeRequestError(
      `header X-Prometheus-Scrape-Timeout-Seconds must be a positive number of seconds (got ${JSON.stringify(header)})`,
    );
  }
  const ms = seconds * 1000;
  return ms - Math.min(MAX_MARGIN_MS, ms * MARGIN_SHARE);
}
