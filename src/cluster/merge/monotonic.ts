/**
 * The part of a snapshot that must outlive its worker, so that totals do not go backwards once
 * the worker is gone or silent.
 */
import { DDSketch } from '../../metrics/sketch.js';
import type { MetricFamily, MetricType, SummaryPoint } from '../../model/family.js';
import type { Aggregation } from '../aggregation.js';

/**
 * Counters, histograms, and summaries' `_count`/`_sum` (with an empty sketch, since an old
 * quantile window says nothing about now) of the families aggregated by `sum`. Gauges, untyped
 * metrics, gauge histograms and every family aggregated another way are dropped.
 */
export function monotonicPart(
  families: readonly MetricFamily[],
  modeOf: (name: string, type: MetricType) => Aggregation,
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const family of families) {
    if (modeOf(family.name, family.type) !== 'sum') continue;
    if (family.type === 'counter' || family.type === 'histogram') out.push(family);
    else if (family.type === 'summary') {
      out.push({ ...family, points: family.points.map(withEmptySketch) });
    }
  }
  return out;
}

function withEmptySketch(point: SummaryPoint): SummaryPoint {
  const quantiles = point.quantiles.map((q) => ({ quantile: q.quantile, value: Number.NaN }));
  const kept: SummaryPoint = { labels: point.labels, quantiles, count: point.count, sum: point.sum };
  const sketch = point.sketch;
  return {
    ...kept,
    ...(point.created !== undefined ? { created: point.created } : {}),
    ...(sketch !== undefined ? { sketch: new DDSketch(sketch.relativeAccuracy).state() } : {}),
  };
}
