/**
 * aioprometheus: a Prometheus client for asynchronous Node.js applications.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Counter, render } from 'aioprometheus';
 *
 * const requests = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route'] as const });
 * createServer(async (req, res) => {
 *   requests.inc({ route: '/' });
 *   const { body, contentType } = await render(undefined, req.headers.accept);
 *   res.writeHead(200, { 'Content-Type': contentType }).end(body);
 * });
 * ```
 */

export { encode, type Rendered, type RenderOptions, render } from './endpoint/render.js';
export {
  CollectError,
  CollectorOutputError,
  CollectTimeoutError,
  DuplicateRegistrationError,
  InvalidValueError,
  isCollectError,
  isCollectorOutputError,
  isCollectTimeoutError,
  isDuplicateRegistrationError,
  isInvalidValueError,
  isLabelError,
  isMetricDefinitionError,
  isMetricRedefinitionError,
  isProtobufDecodeError,
  isRegistryOptionError,
  LabelError,
  MetricDefinitionError,
  MetricRedefinitionError,
  ProtobufDecodeError,
  RegistryOptionError,
} from './errors.js';
export {
  type EscapingScheme,
  type Format,
  type FormatKind,
  type NegotiateOptions,
  negotiate,
  PROTOBUF_CONTENT_TYPE,
} from './exposition/negotiate.js';
export { OPENMETRICS_CONTENT_TYPE } from './exposition/openmetrics.js';
export { TEXT_1_0_0_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './exposition/text.js';
export {
  type CallLabels,
  countExceptions,
  type Instrument,
  InstrumentError,
  type InstrumentOptions,
  inprogress,
  isInstrumentError,
  timer,
} from './instrument/index.js';
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from './metrics/buckets.js';
export { Counter, type CounterChild, type CounterOptions, type IncArgs } from './metrics/counter.js';
export { EXEMPLAR_MAX_CODE_POINTS, type ExemplarLabels } from './metrics/exemplar.js';
export {
  Gauge,
  type GaugeArgs,
  type GaugeChild,
  type GaugeOptions,
  type GaugeSetArgs,
} from './metrics/gauge.js';
export {
  Histogram,
  type HistogramChild,
  type HistogramObserveArgs,
  type HistogramOptions,
  type HistogramValue,
} from './metrics/histogram.js';
export type { MetricOptions } from './metrics/metric.js';
export {
  DEFAULT_NATIVE_ZERO_THRESHOLD,
  type NativeHistogramOptions,
} from './metrics/native-histogram.js';
export { OVERFLOW_METRIC_NAME } from './metrics/series-overflow.js';
export { OVERFLOW_LABEL_VALUE } from './metrics/series-store.js';
export {
  DEFAULT_QUANTILES,
  type ObserveArgs,
  Summary,
  type SummaryChild,
  type SummaryOptions,
  type SummaryValue,
} from './metrics/summary.js';
export type { EndTimer } from './metrics/timing.js';
export type {
  BucketSpan,
  CounterFamily,
  CounterPoint,
  Exemplar,
  GaugeFamily,
  GaugePoint,
  HistogramFamily,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  MetricType,
  NativeHistogramData,
  Quantile,
  SketchState,
  SummaryFamily,
  SummaryPoint,
  UntypedFamily,
  UntypedPoint,
} from './model/family.js';
export { labelSet } from './model/family.js';
export type { LabelArgs, Labels, LabelValue } from './model/labels.js';
export { type CollectOptions, type Collector, REGISTRY, Registry, type RegistryOptions } from './registry.js';
