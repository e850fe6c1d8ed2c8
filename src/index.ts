/**
 * aioprometheus: a Prometheus client for asynchronous Node.js applications.
 *
 * ```ts
 * import { Counter, render } from 'aioprometheus';
 * const requests = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route'] as const });
 * requests.inc({ route: '/' });
 * const { body, contentType } = await render(undefined, req.headers.accept);
 * ```
 */
export {
  CollectError,
  CollectorOutputError,
  DuplicateRegistrationError,
  InvalidValueError,
  isCollectError,
  isCollectorOutputError,
  isDuplicateRegistrationError,
  isInvalidValueError,
  isLabelError,
  isMetricDefinitionError,
  isProtobufDecodeError,
  LabelError,
  MetricDefinitionError,
  ProtobufDecodeError,
} from './errors.js';
export { formatCanonical, formatFloat } from './exposition/format-number.js';
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
} from './exposition/model.js';
export { labelSet } from './exposition/model.js';
export {
  type EscapingScheme,
  type Format,
  type FormatKind,
  type NegotiateOptions,
  negotiate,
  PROTOBUF_CONTENT_TYPE,
} from './exposition/negotiate.js';
export { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics } from './exposition/openmetrics.js';
export { renderProtobuf } from './exposition/protobuf.js';
export { parseProtobuf } from './exposition/protobuf-decode.js';
export { encode, type Rendered, render } from './exposition/render.js';
export { renderText, TEXT_CONTENT_TYPE } from './exposition/text.js';
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
export type { LabelArgs, Labels, LabelValue } from './labels.js';
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from './metrics/buckets.js';
export { Counter, CounterChild, type CounterOptions, type IncArgs } from './metrics/counter.js';
export { EXEMPLAR_MAX_CODE_POINTS, type ExemplarLabels } from './metrics/exemplar.js';
export { Gauge, type GaugeArgs, GaugeChild, type GaugeOptions, type GaugeSetArgs } from './metrics/gauge.js';
export {
  Histogram,
  HistogramChild,
  type HistogramObserveArgs,
  type HistogramOptions,
  type HistogramValue,
} from './metrics/histogram.js';
export type { MetricOptions } from './metrics/metric.js';
export {
  DEFAULT_NATIVE_ZERO_THRESHOLD,
  type NativeHistogramOptions,
  pickSchema,
} from './metrics/native-histogram.js';
export { DDSketch } from './metrics/sketch.js';
export {
  DEFAULT_QUANTILES,
  type ObserveArgs,
  Summary,
  SummaryChild,
  type SummaryOptions,
  type SummaryValue,
} from './metrics/summary.js';
export type { EndTimer } from './metrics/timing.js';
export { type Collector, REGISTRY, Registry } from './registry.js';
