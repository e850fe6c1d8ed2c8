/**
 * Merges counters, gauges and untyped families series by series with any scalar aggregation:
 * sum, min, max, average (of the workers that have the series) or first.
 */
import type { CounterPoint, Exemplar, LabelSet } from '../../model/family.js';
import type { Aggregation } from '../aggregation.js';
import type { LabelInterner } from '../label-interner.js';
import { maxDefined, minDefined, newerExemplar, sortedPoints } from './combine.js';

interface ScalarAcc {
  readonly labels: LabelSet;
  value: number;
  n: number;
  created: number | undefined;
  timestampMs: number | undefined;
  exemplar: Exemplar | undefined;
}

/**
 * The merged series of every worker's points. Gauge and untyped points are counter points
 * without a creation time or exemplar, so one merge serves the three types.
 */
export function mergeScalars(
  mode: Exclude<Aggregation, 'omit' | 'perWorker'>,
  workersPoints: Iterable<readonly CounterPoint[]>,
  interner: LabelInterner,
): CounterPoint[] {
  const accs = new Map<LabelSet, ScalarAcc>();
  for (const points of workersPoints) {
    for (const point of points) {
      const labels = interner.canonical(point.labels);
      const acc = accs.get(labels);
      if (acc === undefined) {
        accs.set(labels, {
          labels,
          value: point.value,
          n: 1,
          created: point.created,
          timestampMs: point.timestampMs,
          exemplar: point.exemplar,
        });
        continue;
      }
      if (mode === 'first') continue;
      acc.n++;
      if (mode === 'min') acc.value = Math.min(acc.value, point.value);
      else if (mode === 'max') acc.value = Math.max(acc.value, point.value);
      else acc.value += point.value;
      acc.created = minDefined(acc.created, point.created);
      acc.timestampMs = maxDefined(acc.timestampMs, point.timestampMs);
      acc.exemplar = newerExemplar(acc.exemplar, point.exemplar);
    }
  }
  return sortedPoints(accs.values()).map((acc) => ({
    labels: acc.labels,
    value: mode === 'average' ? acc.value / acc.n : acc.value,
    ...(acc.created !== undefined ? { created: acc.created } : {}),
    ...(acc.timestampMs !== undefined ? { timestampMs: acc.timestampMs } : {}),
    ...(acc.exemplar !== undefined ? { exemplar: acc.exemplar } : {}),
  }));
}
