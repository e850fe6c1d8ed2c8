/**
 * The HTTP metrics themselves, created once per registry and options: installing the middleware
 * twice, or building an app twice in one process, reuses them instead of registering twice.
 */
import { Counter } from '../metrics/counter.js';
import { Gauge } from '../metrics/gauge.js';
import { Histogram } from '../metrics/histogram.js';
import type { Collector, Registry } from '../registry.js';
import type { ResolvedOptions } from './options.js';

type RequestLabel = 'method' | 'route' | 'status';

/** The metric objects the middleware updates. */
export interface HttpMetrics {
  readonly requests: Counter<RequestLabel>;
  readonly duration: Histogram<RequestLabel>;
  readonly inFlight: Gauge<'method'>;
  readonly exceptions: Counter<'method' | 'route'>;
  readonly requestSize: Histogram<'method' | 'route'> | undefined;
  readonly responseSize: Histogram<RequestLabel> | undefined;
}

const shared = new WeakMap<Registry, Map<string, HttpMetrics>>();

/**
 * The metrics for these options in their registry, created on first use. Options that name the
 * same metrics differently (other buckets under the same prefix) make the registry throw its
 * DuplicateRegistrationError, which names the metric. All are made before any registers, and a
 * failed registration takes back the others, so bad options leave the registry as it was and
 * corrected ones can be tried again.
 */
export function httpMetrics(options: ResolvedOptions): HttpMetrics {
  const {
    registry,
    metricPrefix: prefix,
    constLabels,
    buckets,
    requestSize,
    responseSize,
    sizeBuckets,
  } = options;
  const key = JSON.stringify([prefix, constLabels, buckets, requestSize, responseSize, sizeBuckets]);
  let byOptions = shared.get(registry);
  if (byOptions === undefined) {
    byOptions = new Map();
    shared.set(registry, byOptions);
  }
  const existing = byOptions.get(key);
  if (existing !== undefined) return existing;
  const common = { registry: null, constLabels };
  const labelNames = ['method', 'route', 'status'] as const;
  const metrics: HttpMetrics = {
    requests: new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests answered, by method, route template and status.',
      labelNames,
      ...common,
    }),
    duration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Time from receiving an HTTP request to finishing its response, in seconds.',
      labelNames,
      unit: 'seconds',
      ...(buckets === undefined ? {} : { buckets }),
      ...common,
    }),
    inFlight: new Gauge({
      name: `${prefix}http_requests_in_flight`,
      help: 'HTTP requests being handled now.',
      labelNames: ['method'] as const,
      ...common,
    }),
    exceptions: new Counter({
      name: `${prefix}http_request_exceptions_total`,
      help: 'HTTP requests whose handler threw or rejected.',
      labelNames: ['method', 'route'] as const,
      ...common,
    }),
    requestSize: requestSize
      ? new Histogram({
          name: `${prefix}http_request_size_bytes`,
          help: 'Body sizes of HTTP requests that declare a Content-Length, in bytes.',
          labelNames: ['method', 'route'] as const,
          unit: 'bytes',
          buckets: sizeBuckets,
          ...common,
        })
      : undefined,
    responseSize: responseSize
      ? new Histogram({
          name: `${prefix}http_response_size_bytes`,
          help: 'Body bytes of HTTP responses.',
          labelNames,
          unit: 'bytes',
          buckets: sizeBuckets,
          ...common,
        })
      : undefined,
  };
  registerAll(
    registry,
    Object.values(metrics).filter((metric) => metric !== undefined),
  );
  byOptions.set(key, metrics);
  return metrics;
}

function registerAll(registry: Registry, collectors: readonly Collector[]): void {
  const registered: Collector[] = [];
  try {
    for (const collector of collectors) {
      registry.register(collector);
      registered.push(collector);
    }
  } catch (error) {
    for (const collector of registered) registry.unregister(collector);
    throw error;
  }
}
