/** Options of the metrics endpoint, shared by every transport, and their checked defaults. */
import { DEFAULT_SCRAPE_TIMEOUT_MS } from './deadline.js';
import { EndpointOptionError } from './errors.js';

/** Options of `metricsHandler`, `Service`, `metricsResponse` and the framework endpoints. */
export interface MetricsHandlerOptions {
  /**
   * What a failing or late collector does to a scrape. `'fail'` (default) answers with the
   * reason as plain text, which Prometheus shows on its targets page: 503 when a collector
   * missed the deadline, 500 when one failed. `'partial'` serves what the other collectors
   * produced, plus the counter `aioprometheus_collect_errors_total` (exposed on every scrape, so
   * it can be alerted on) that counts the scrapes where collection failed or ran late.
   */
  readonly onCollectError?: 'fail' | 'partial';
  /**
   * Called with every error that spoils a scrape (collector failures, late collectors, encoding
   * failures). Default: nothing in `'fail'` mode, where the response carries the reason, and a
   * warning in `'partial'` mode, where the response would otherwise hide it.
   */
  readonly onError?: (error: unknown) => void;
  /** Gzip the exposition when the scraper's Accept-Encoding allows it. Default true. */
  readonly compression?: boolean;
  /**
   * The collection deadline when the scraper sends no `X-Prometheus-Scrape-Timeout-Seconds`
   * header, in milliseconds. Default 10000 (Prometheus' default scrape timeout).
   */
  readonly scrapeTimeoutMs?: number;
  /**
   * The most scrapes served at once; more get 503 until one finishes (as promhttp's
   * MaxRequestsInFlight). Scrapes that arrive while a collection runs share it either way.
   * Default: no limit.
   */
  readonly maxConcurrentScrapes?: number;
  /**
   * Write OpenMetrics `_created` samples. Default false: Prometheus without created-timestamp
   * ingestion stores each as one more series. The protobuf format always carries them.
   */
  readonly createdSamples?: boolean;
}

/** The options with every default filled in. */
export interface ResolvedEndpointOptions {
  readonly partial: boolean;
  readonly onError: (error: unknown) => void;
  readonly compression: boolean;
  readonly scrapeTimeoutMs: number;
  readonly maxConcurrentScrapes: number;
  readonly createdSamples: boolean;
}

/** Checks the options, throwing EndpointOptionError for a value that cannot be used. */
export function resolveEndpointOptions(options: MetricsHandlerOptions): ResolvedEndpointOptions {
  const { onCollectError, onError, scrapeTimeoutMs, maxConcurrentScrapes } = options;
  if (onCollectError !== undefined && onCollectError !== 'fail' && onCollectError !== 'partial') {
    throw new EndpointOptionError('onCollectError', onCollectError, "'fail' or 'partial'");
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new EndpointOptionError('onError', onError, 'a function');
  }
  if (
    scrapeTimeoutMs !== undefined &&
    !(typeof scrapeTimeoutMs === 'number' && scrapeTimeoutMs > 0 && Number.isFinite(scrapeTimeoutMs))
  ) {
    throw new EndpointOptionError('scrapeTimeoutMs', scrapeTimeoutMs, 'a finite number of milliseconds > 0');
  }
  if (
    maxConcurrentScrapes !== undefined &&
    !(Number.isSafeInteger(maxConcurrentScrapes) && maxConcurrentScrapes >= 1)
  ) {
    throw new EndpointOptionError('maxConcurrentScrapes', maxConcurrentScrapes, 'an integer >= 1');
  }
  const partial = onCollectError === 'partial';
  return {
    partial,
    onError: onError ?? (partial ? warnPartial : ignore),
    compression: options.compression ?? true,
    scrapeTimeoutMs: scrapeTimeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS,
    maxConcurrentScrapes: maxConcurrentScrapes ?? Number.POSITIVE_INFINITY,
    createdSamples: options.createdSamples ?? false,
  };
}

function ignore(): void {}

function warnPartial(error: unknown): void {
  const text = `metrics scrape served partial data: ${error instanceof Error ? error.message : String(error)}`;
  // Warnings go through the runtime's own channel where there is one (Node), else the console.
  const emit = (globalThis as { process?: { emitWarning?: (message: string) => void } }).process?.emitWarning;
  if (typeof emit === 'function') emit.call((globalThis as { process?: unknown }).process, text);
  else console.warn(text);
}
