/**
 * prom-client 15's API on this library's core, for apps and packages written against prom-client.
 *
 * ```ts
 * import { Counter, register } from 'aioprometheus/prom-client';
 * const requests = new Counter({ name: 'http_requests', help: 'Requests.', labelNames: ['method'] });
 * requests.labels('GET').inc();
 * const text = await register.metrics();
 * ```
 */
import { validateMetricName as checkMetricName } from '../model/labels.js';
import { globalRegistry } from './registry.js';

export { exponentialBuckets, linearBuckets } from '../metrics/buckets.js';
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
export type {
  ExemplarValue,
  IncreaseDataWithExemplar,
  ObserveDataWithExemplar,
} from './exemplars.js';
export { Histogram, type HistogramChild, type HistogramConfiguration } from './histogram.js';
export {
  CompatRegistry as Registry,
  openMetricsContentType,
  prometheusContentType,
  type RegistrableMetric,
  type RegistryContentType,
} from './registry.js';
export { Summary, type SummaryChild, type SummaryConfiguration } from './summary.js';
export type { Aggregator, LabelValues, MetricObjectWithValues, MetricValue } from './types.js';

/** The default registry, where metrics land unless given `registers`. */
export const register = globalRegistry();
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
