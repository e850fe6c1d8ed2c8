/**
 * Between native family snapshots and the `values` of prom-client's `get()`: one entry per
 * sample, a histogram's buckets with their `le` label first and `metricName` set, as prom-client
 * lists them.
 */
import {
  type HistogramPoint,
  type LabelSet,
  labelSet,
  type MetricFamily,
  type Quantile,
  type SummaryPoint,
} from '../model/family.js';
import type { LabelValues, MetricObjectWithValues, MetricValue } from './types.js';

export function familyValues(family: MetricFamily): MetricValue<string>[] {
  const values: MetricValue<string>[] = [];
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'untyped':
      for (const p of family.points) values.push({ value: p.value, labels: record(p.labels) });
      break;
    case 'histogram':
    case 'gaugehistogram':
      for (const p of family.points) {
        const labels = record(p.labels);
        const bucket = (le: number | string, value: number): void => {
          values.push({
            value,
            metricName: `${family.name}_bucket`,
            exemplar: null,
            labels: { le, ...labels },
          });
        };
        p.upperBounds.forEach((bound, i) => {
          bucket(bound, p.cumulativeCounts[i]!);
        });
        bucket('+Inf', p.count);
        values.push({ value: p.sum, metricName: `${family.name}_sum`, labels });
        values.push({ value: p.count, metricName: `${family.name}_count`, labels: { ...labels } });
      }
      break;
    case 'summary':
      for (const p of family.points) {
        const labels = record(p.labels);
        for (const q of p.quantiles)
          values.push({ value: q.value, labels: { quantile: q.quantile, ...labels } });
        values.push({ value: p.sum, metricName: `${family.name}_sum`, labels });
        values.push({ value: p.count, metricName: `${family.name}_count`, labels: { ...labels } });
      }
      break;
  }
  return values;
}

function record(labels: LabelSet): LabelValues<string> {
  const out: Record<string, string> = {};
  labels.names.forEach((name, i) => {
    out[name] = labels.values[i]!;
  });
  return out;
}

/**
 * The family behind prom-client's `get()` output: the inverse of `familyValues`, for metrics that
 * exist only as JSON (the aggregate of cluster workers). Histogram and summary series are put
 * together from their `_bucket`, `_sum` and `_count` entries and their `le` or `quantile` label.
 */
export function familyFromValues(metric: MetricObjectWithValues<string>): MetricFamily {
  const { name, help } = metric;
  switch (metric.type) {
    case 'counter':
    case 'gauge':
      return { name, help, type: metric.type, points: singleValues(metric.values) };
    case 'histogram':
      return { name, help, type: 'histogram', points: histogramPoints(name, metric.values) };
    case 'summary':
      return { name, help, type: 'summary', points: summaryPoints(name, metric.values) };
    default:
      return { name, help, type: 'untyped', points: singleValues(metric.values) };
  }
}

function singleValues(values: readonly MetricValue<string>[]) {
  return values.map((v) => ({ labels: labelSet(strings(v.labels)), value: v.value }));
}

/** The series a value belongs to: its labels without `except`, as a key and as a label set. */
function seriesOf(labels: LabelValues<string>, except: string): { key: string; labels: LabelSet } {
  const own = strings(labels);
  delete own[except];
  const set = labelSet(own);
  return { key: JSON.stringify([set.names, set.values]), labels: set };
}

function histogramPoints(name: string, values: readonly MetricValue<string>[]): HistogramPoint[] {
  const series = new Map<
    string,
    { labels: LabelSet; buckets: Map<number, number>; sum: number; count?: number }
  >();
  for (const v of values) {
    const { key, labels } = seriesOf(v.labels, 'le');
    let s = series.get(key);
    if (s === undefined) {
      s = { labels, buckets: new Map(), sum: 0 };
      series.set(key, s);
    }
    if (v.metricName === `${name}_sum`) s.sum = v.value;
    else if (v.metricName === `${name}_count`) s.count = v.value;
    else if (String(v.labels.le) !== '+Inf') s.buckets.set(Number(v.labels.le), v.value);
    else s.count ??= v.value;
  }
  return [...series.values()].map((s) => {
    const upperBounds = [...s.buckets.keys()].sort((a, b) => a - b);
    return {
      labels: s.labels,
      upperBounds,
      cumulativeCounts: upperBounds.map((b) => s.buckets.get(b)!),
      count: s.count ?? 0,
      sum: s.sum,
    };
  });
}

function summaryPoints(name: string, values: readonly MetricValue<string>[]): SummaryPoint[] {
  const series = new Map<string, { labels: LabelSet; quantiles: Quantile[]; sum: number; count: number }>();
  for (const v of values) {
    const { key, labels } = seriesOf(v.labels, 'quantile');
    let s = series.get(key);
    if (s === undefined) {
      s = { labels, quantiles: [], sum: 0, count: 0 };
      series.set(key, s);
    }
    if (v.metricName === `${name}_sum`) s.sum = v.value;
    else if (v.metricName === `${name}_count`) s.count = v.value;
    else s.quantiles.push({ quantile: Number(v.labels.quantile), value: v.value });
  }
  return [...series.values()].map((s) => ({
    ...s,
    quantiles: s.quantiles.sort((a, b) => a.quantile - b.quantile),
  }));
}

function strings(labels: LabelValues<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) if (value !== undefined) out[name] = String(value);
  return out;
}
