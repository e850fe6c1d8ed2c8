/** Options shared by every HTTP middleware adapter, and their defaults. */

import type { MetricsHandlerOptions } from '../endpoint/options.js';
import { REGISTRY, type Registry } from '../registry.js';

/** Options of the HTTP middleware (node:http, Express, Fastify, Koa, Hono). */
export interface HttpMetricsOptions {
  /** Where the metrics register and which registry `/metrics` serves. Default REGISTRY. */
  readonly registry?: Registry;
  /** Prepended to every metric name: `'shop_'` gives `shop_http_requests_total`. Default none. */
  readonly prefix?: string;
  /** Labels with fixed values added to every series. */
  readonly constLabels?: Readonly<Record<string, string>>;
  /** Upper bounds of `http_request_duration_seconds`. Default DEFAULT_BUCKETS. */
  readonly buckets?: readonly number[];
  /** Adds `http_request_size_bytes` (from the Content-Length of requests that carry one). Default false. */
  readonly requestSize?: boolean;
  /** Adds `http_response_size_bytes` (body bytes written). Default false. */
  readonly responseSize?: boolean;
  /** Upper bounds of the size histograms. Default 64 B to 4 MiB, ×4 per bucket. */
  readonly sizeBuckets?: readonly number[];
  /** The path that serves the exposition from the same app, or `false` for none. Default `/metrics`. */
  readonly metricsPath?: string | false;
  /** How the metrics path answers: compression, behaviour when a collector fails. */
  readonly metricsEndpoint?: MetricsHandlerOptions;
  /**
   * Request paths (without the query string) that are not counted: exact strings or patterns.
   * Default: the metrics path and `/favicon.ico`. Giving a list replaces the default.
   */
  readonly excludePaths?: readonly (string | RegExp)[];
  /** Label statuses by class (`2xx`, `4xx`) instead of code. Default false. */
  readonly groupStatusCodes?: boolean;
  /** The `route` of requests no route matched, shared so scanners cannot add series. Default `<unmatched>`. */
  readonly unmatchedRoute?: string;
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly constLabels: Readonly<Record<string, string>>;
  readonly buckets: readonly number[] | undefined;
  readonly requestSize: boolean;
  readonly responseSize: boolean;
  readonly sizeBuckets: readonly number[];
  readonly metricsPath: string | undefined;
  readonly metricsEndpoint: MetricsHandlerOptions;
  readonly excludePaths: readonly (string | RegExp)[];
  readonly groupStatusCodes: boolean;
  readonly unmatchedRoute: string;
}

export const DEFAULT_SIZE_BUCKETS: readonly number[] = Object.freeze([
  64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
]);

export function resolveOptions(options: HttpMetricsOptions = {}): ResolvedOptions {
  const metricsPath = options.metricsPath === false ? undefined : (options.metricsPath ?? '/metrics');
  return {
    registry: options.registry ?? REGISTRY,
    prefix: options.prefix ?? '',
    constLabels: options.constLabels ?? {},
    buckets: options.buckets,
    requestSize: options.requestSize ?? false,
    responseSize: options.responseSize ?? false,
    sizeBuckets: options.sizeBuckets ?? DEFAULT_SIZE_BUCKETS,
    metricsPath,
    metricsEndpoint: options.metricsEndpoint ?? {},
    excludePaths: options.excludePaths ?? [
      ...(metricsPath === undefined ? [] : [metricsPath]),
      '/favicon.ico',
    ],
    groupStatusCodes: options.groupStatusCodes ?? false,
    unmatchedRoute: options.unmatchedRoute ?? '<unmatched>',
  };
}
