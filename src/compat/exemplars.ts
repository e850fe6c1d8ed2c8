/**
 * Exemplars as prom-client records them: with `enableExemplars: true`, `inc` and `observe` take
 * one object `{ labels, value, exemplarLabels }`, and the exemplar is written in OpenMetrics only.
 */
import { MetricDefinitionError } from '../errors.js';
import { makeExemplar } from '../metrics/exemplar.js';
import type { Exemplar } from '../model/family.js';
import { openMetricsContentType } from './registry.js';
import type { LabelValues } from './types.js';

/** prom-client's `inc` argument with an exemplar. */
export interface IncreaseDataWithExemplar<T extends string> {
  value?: number;
  labels?: LabelValues<T>;
  /** Any label names (prom-client types them as the metric's own, which no trace id fits). */
  exemplarLabels?: LabelValues<string>;
}

/** prom-client's `observe` argument with an exemplar. */
export interface ObserveDataWithExemplar<T extends string> {
  value: number;
  labels?: LabelValues<T>;
  /** Any label names (prom-client types them as the metric's own, which no trace id fits). */
  exemplarLabels?: LabelValues<string>;
}

/** An exemplar as prom-client's `get()` shows it. */
export interface ExemplarValue {
  labelSet: LabelValues<string>;
  value: number;
  timestamp: number;
}

/** One recorded exemplar, for the snapshot and for `get()`. */
export interface RecordedExemplar {
  readonly native: Exemplar;
  readonly view: ExemplarValue;
}

const EXEMPLAR_KEYS: ReadonlySet<string> = new Set(['labels', 'value', 'exemplarLabels']);

/**
 * Whether a single argument is the exemplar form: an object whose keys are all among `labels`,
 * `value` and `exemplarLabels`. Any other object is a label set, so a metric with exemplars
 * still takes prom-client's plain forms (prom-client itself misreads them once exemplars are on).
 */
export function isExemplarForm(arg: unknown): arg is IncreaseDataWithExemplar<string> {
  return typeof arg === 'object' && arg !== null && Object.keys(arg).every((k) => EXEMPLAR_KEYS.has(k));
}

/**
 * Validates `labels` (names, values, at most 128 code points together) and records the exemplar
 * of `value`, timestamped now. Throws a LabelError naming the metric.
 */
export function recordExemplar(metric: string, labels: LabelValues<string>, value: number): RecordedExemplar {
  const strings: Record<string, string> = {};
  for (const [name, v] of Object.entries(labels ?? {}))
    strings[name] = typeof v === 'number' ? String(v) : (v as string);
  const native = makeExemplar(metric, strings, value);
  return { native, view: { labelSet: { ...labels }, value, timestamp: native.timestamp! } };
}

/** prom-client refuses exemplars on a registry that writes the Prometheus text format, which has no place for them. */
export function checkExemplarRegistry(metric: string, contentType: string): void {
  if (contentType !== openMetricsContentType) {
    throw new MetricDefinitionError(
      metric,
      `exemplars are written only in OpenMetrics, but a registry of this metric has the content type "${contentType}"; call setContentType(openMetricsContentType) on it first, as prom-client requires`,
    );
  }
}
