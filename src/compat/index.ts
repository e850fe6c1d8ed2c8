/**
 * prom-client 15's API on this library's core, for apps and packages written against prom-client.
 *
 * @example
 * ```ts
 * import { Counter, register } from 'aioprometheus/prom-client';
 * const requests = new Counter({ name: 'http_requests', help: 'Requests.', labelNames: ['method'] });
 * requests.labels('GET').inc();
 * const text = await register.metrics();
 * ```
 */
import { validateMetricName as checkMetricName } from '../model/labels.js';
import type { Counter, Gauge } from './counter-gauge.js';
import type { Histogram } from './histogram.js';
import { type CompatRegistry, globalRegistry } from './registry.js';
import type { Summary } from './summary.js';

export { exponentialBuckets, linearBuckets } from '../metrics/buckets.js';
export { AggregatorRegistry } from './aggregator-registry.js';
export {
  Counter,
  type CounterChild,
  type CounterConfiguration,
  Gauge,
  type GaugeChild,
  type GaugeConfiguration,
} from './counter-gauge.js';
export {
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
} from './default-metrics.js';
export { ClusterMetricsError } from './errors.js';
export type {
  ExemplarValue,
  IncreaseDataWithExemplar,
  ObserveDataWithExemplar,
} from './exemplars.js';
export { Histogram, type HistogramChild, type HistogramConfiguration } from './histogram.js';
export {
  Pushgateway,
  type PushgatewayOptions,
  type PushgatewayParameters,
  type PushResponse,
  type PushResult,
} from './pushgateway.js';
export {
  CompatRegistry as Registry,
  type OpenMetricsContentType,
  openMetricsContentType,
  type PrometheusContentType,
  prometheusContentType,
  type RegistrableMetric,
  type RegistryContentType,
} from './registry.js';
export { Summary, type SummaryChild, type SummaryConfiguration } from './summary.js';
export type { Aggregator, LabelValues, MetricObjectWithValues, MetricValue } from './types.js';

/** Any metric of the layer, as prom-client's `Metric` type. */
export type Metric<T extends string = string> = Counter<T> | Gauge<T> | Summary<T> | Histogram<T>;

/** The default registry, where metrics land unless given `registers`. */
// Typed as prom-client types it, a text-format `Registry`, so that prom-client-typed code such as
// `const merged: Registry = Registry.merge([mine, register])` compiles.
export const register: CompatRegistry = globalRegistry() as CompatRegistry;
export const contentType = register.contentType;

/** Whether a name is a valid metric name (prom-client returns a boolean rather than throwing). */
export function validateMetricName(name: string): boolean {
  try {
    checkMetricName(name, 'legacy');
    return true;
  } catch {
    return false;
  }
}
