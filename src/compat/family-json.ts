/**
 * A native family snapshot as the `values` of prom-client's `get()`: one entry per sample, a
 * histogram's buckets with their `le` label first and `metricName` set, as prom-client lists them.
 */
import type { LabelSet, MetricFamily } from '../model/family.js';
import type { LabelValues, MetricValue } from './types.js';

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
