/**
 * Default process and Node.js runtime metrics, named as prom-client names them.
 *
 * @example
 * ```ts
 * import { collectDefaultMetrics } from 'aioprometheus/default-metrics';
 * const stop = collectDefaultMetrics();   // registers in REGISTRY
 * stop();                                 // unregisters and stops its observers
 * ```
 */
export {
  collectDefaultMetrics,
  type DefaultMetricsOptions,
  type StopDefaultMetrics,
} from './default-metrics.js';
export { DEFAULT_GC_DURATION_BUCKETS } from './gc.js';
