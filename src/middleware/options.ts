/** Options shared by every HTTP middleware adapter, and their defaults. */

import { REGISTRY, type Registry } from '../registry.js';
import type { MetricsHandlerOptions } from '../service/handler.js';
import { HttpMetricsOptionError } from './errors.js';

/** Options of the HTTP middleware (node:http, Express, Fastify, Koa, Hono). */
export interface HttpMetricsOptions {
  /** Where the metrics register and which registry `/metrics` serves. Default REGISTRY. */
  readonly registry?: Registry;
  /** Prepended to every metric name: `'shop_'` gives `shop_http_requests_total`. Default none. */
  readonly metricPrefix?: string;
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
  readonly metricPrefix: string;
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

/** Every option key. */
const OPTION_KEYS: ReadonlySet<string> = new Set<keyof HttpMetricsOptions>([
  'registry',
  'metricPrefix',
  'constLabels',
  'buckets',
  'requestSize',
  'responseSize',
  'sizeBuckets',
  'metricsPath',
  'metricsEndpoint',
  'excludePaths',
  'groupStatusCodes',
  'unmatchedRoute',
]);

/** Keys people write for an option that is named otherwise here (from other libraries, or older names). */
const MEANT: Readonly<Record<string, string>> = {
  prefix:
    'is not an option: a URL prefix does not apply to these metrics, and a prefix of the metric names is "metricPrefix"',
  namePrefix: 'is not an option; did you mean "metricPrefix"?',
  registers: 'is not an option; did you mean "registry"?',
  register: 'is not an option; did you mean "registry"?',
  labels: 'is not an option; did you mean "constLabels"?',
  defaultLabels: 'is not an option; did you mean "constLabels"?',
  excludeRoutes: 'is not an option; did you mean "excludePaths"?',
  path: 'is not an option; did you mean "metricsPath"?',
};

/** Throws an HttpMetricsOptionError for a key that is not an option, naming the one meant. */
function checkKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if (OPTION_KEYS.has(key)) continue;
    throw new HttpMetricsOptionError(
      key,
      MEANT[key] ?? `is not an option (the options are: ${[...OPTION_KEYS].join(', ')})`,
    );
  }
}

/** Fills in the defaults; throws an HttpMetricsOptionError for a key that is not an option. */
export function resolveOptions(options: HttpMetricsOptions = {}): ResolvedOptions {
  checkKeys(options);
  const metricsPath = options.metricsPath === false ? undefined : (options.metricsPath ?? '/metrics');
  return {
    registry: options.registry ?? REGISTRY,
    metricPrefix: options.metricPrefix ?? '',
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
