/**
 * The format-free snapshot model. Metrics and user collectors produce these plain objects;
 * the text, OpenMetrics and protobuf encoders consume them. Nothing here knows about formats.
 *
 * Label sets are frozen objects. The families of the library's own metrics carry their series
 * as columns as well (model/columns.ts), and build their points only when someone reads them.
 */
import { compareUtf8 } from './byte-order.js';

/** Metric types of the Prometheus data model. `untyped` is written `unknown` in OpenMetrics. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'untyped';

/** Label names and values of one series, sorted by name; constant labels included. */
export interface LabelSet {
  readonly names: readonly string[];
  readonly values: readonly string[];
}

/** An exemplar attached to a counter or a histogram bucket. `timestamp` is in seconds. */
export interface Exemplar {
  readonly labels: LabelSet;
  readonly value: number;
  readonly timestamp?: number;
}

interface PointBase {
  readonly labels: LabelSet;
  /** Milliseconds since the epoch. Client metrics leave it unset; collectors of foreign data may set it. */
  readonly timestampMs?: number;
}

export interface CounterPoint extends PointBase {
  readonly value: number;
  /** Creation or last reset time, in seconds since the epoch. */
  readonly created?: number;
  readonly exemplar?: Exemplar;
}

export interface GaugePoint extends PointBase {
  readonly value: number;
}

export type UntypedPoint = GaugePoint;

/** A native (sparse, exponential) histogram; see docs/formats.md §4. */
export interface NativeHistogramData {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly number[];
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeDeltas: readonly number[];
}

export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

export interface HistogramPoint extends PointBase {
  /** Finite upper bounds in increasing order; the +Inf bucket is implicit and equals `count`. */
  readonly upperBounds: readonly number[];
  /** Cumulative counts, one per entry of `upperBounds`. */
  readonly cumulativeCounts: readonly number[];
  readonly count: number;
  readonly sum: number;
  readonly created?: number;
  /** Exemplars per bucket, indexed like `upperBounds` plus one final slot for +Inf. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
  readonly native?: NativeHistogramData;
}

export interface Quantile {
  readonly quantile: number;
  readonly value: number;
}

/** The mergeable state behind a summary's quantiles (a DDSketch), for aggregation across processes. */
export interface SketchState {
  readonly relativeAccuracy: number;
  readonly zeroCount: number;
  readonly positiveOffset: number;
  readonly positive: readonly number[];
  readonly negativeOffset: number;
  readonly negative: readonly number[];
}

export interface SummaryPoint extends PointBase {
  readonly quantiles: readonly Quantile[];
  readonly count: number;
  readonly sum: number;
  readonly created?: number;
  readonly sketch?: SketchState;
}

interface FamilyBase {
  readonly name: string;
  readonly help: string;
  readonly unit?: string;
}

export interface CounterFamily extends FamilyBase {
  readonly type: 'counter';
  readonly points: readonly CounterPoint[];
}
export interface GaugeFamily extends FamilyBase {
  readonly type: 'gauge';
  readonly points: readonly GaugePoint[];
}
export interface UntypedFamily extends FamilyBase {
  readonly type: 'untyped';
  readonly points: readonly UntypedPoint[];
}
export interface HistogramFamily extends FamilyBase {
  readonly type: 'histogram' | 'gaugehistogram';
  readonly points: readonly HistogramPoint[];
}
export interface SummaryFamily extends FamilyBase {
  readonly type: 'summary';
  readonly points: readonly SummaryPoint[];
}

/**
 * One metric family. For counters `name` is the full name including `_total`, as in the
 * text format; the OpenMetrics writer strips the suffix for its metadata lines.
 */
export type MetricFamily = CounterFamily | GaugeFamily | UntypedFamily | HistogramFamily | SummaryFamily;

const EMPTY: LabelSet = Object.freeze({ names: Object.freeze([]), values: Object.freeze([]) });

/** Builds a frozen label set, sorted by name (UTF-8 byte order). Use it in user collectors. */
export function labelSet(labels: Readonly<Record<string, string>> = {}): LabelSet {
  const names = Object.keys(labels).sort(compareUtf8);
  if (names.length === 0) return EMPTY;
  return Object.freeze({
    names: Object.freeze(names),
    values: Object.freeze(names.map((n) => labels[n] as string)),
  });
}
