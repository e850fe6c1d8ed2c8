/**
 * Merges summaries series by series: `sum` merges every worker's DDSketch state and recomputes
 * the quantiles from it (adding quantiles would be wrong), `first` keeps the first worker's series.
 */
import { DDSketch } from '../../metrics/sketch.js';
import type { LabelSet, Quantile, SketchState, SummaryFamily, SummaryPoint } from '../../model/family.js';
import type { Aggregation } from '../aggregation.js';
import { AggregationError } from '../errors.js';
import type { LabelInterner } from '../label-interner.js';
import { checkSumOrFirst, maxDefined, minDefined, sortedPoints } from './combine.js';
import type { Member } from './members.js';

interface SummaryAcc {
  readonly labels: LabelSet;
  readonly sketch: DDSketch;
  quantiles: readonly Quantile[];
  count: number;
  sum: number;
  created: number | undefined;
  timestampMs: number | undefined;
}

/**
 * The merged series of every worker's summary points.
 *
 * @throws {AggregationError} for an aggregation other than sum or first, and for `sum` when a
 *   series has no sketch state or the workers' sketches differ in relative accuracy.
 */
export function mergeSummaries(
  name: string,
  aggregation: Aggregation,
  members: readonly Member<SummaryFamily>[],
  interner: LabelInterner,
): SummaryPoint[] {
  const mode = checkSumOrFirst(name, aggregation, 'summary');
  if (mode === 'first') {
    const firsts = new Map<LabelSet, SummaryPoint>();
    for (const { family } of members) {
      for (const point of family.points) {
        const labels = interner.canonical(point.labels);
        if (!firsts.has(labels)) firsts.set(labels, relabelSummary(point, labels));
      }
    }
    return sortedPoints(firsts.values());
  }
  const accs = new Map<LabelSet, SummaryAcc>();
  for (const { worker, family } of members) {
    for (const point of family.points) {
      const state = point.sketch;
      if (state === undefined) {
        throw new AggregationError(
          name,
          `worker ${worker} sent a summary series without its sketch state, so quantiles cannot be ` +
            'merged (adding quantiles would be wrong); aggregate this family with first or perWorker',
        );
      }
      const labels = interner.canonical(point.labels);
      let acc = accs.get(labels);
      if (acc === undefined) {
        acc = {
          labels,
          sketch: new DDSketch(state.relativeAccuracy),
          quantiles: point.quantiles,
          count: 0,
          sum: 0,
          created: point.created,
          timestampMs: point.timestampMs,
        };
        accs.set(labels, acc);
      } else {
        acc.created = minDefined(acc.created, point.created);
        acc.timestampMs = maxDefined(acc.timestampMs, point.timestampMs);
        if (acc.quantiles.length === 0) acc.quantiles = point.quantiles;
      }
      if (state.relativeAccuracy !== acc.sketch.relativeAccuracy) {
        throw new AggregationError(
          name,
          `workers use different relative accuracies (${acc.sketch.relativeAccuracy} and worker ${worker}'s ` +
            `${state.relativeAccuracy}), so their sketches cannot be merged`,
        );
      }
      acc.sketch.merge(state);
      acc.count += point.count;
      acc.sum += point.sum;
    }
  }
  return sortedPoints(accs.values()).map((acc) => new MergedSummaryPoint(acc));
}

/** The point under another label set, its sketch kept. */
export function relabelSummary(point: SummaryPoint, labels: LabelSet): SummaryPoint {
  const copy = { ...point, labels };
  // Spreading skips prototype getters, such as the lazily computed sketch of a merged point.
  const sketch = point.sketch;
  return sketch === undefined ? copy : { ...copy, sketch };
}

/** A merged summary point: quantiles recomputed from the merged sketch, its state read lazily. */
class MergedSummaryPoint implements SummaryPoint {
  readonly labels: LabelSet;
  readonly quantiles: readonly Quantile[];
  readonly count: number;
  readonly sum: number;
  readonly created?: number;
  readonly timestampMs?: number;
  readonly #sketch: DDSketch;

  constructor(acc: SummaryAcc) {
    this.labels = acc.labels;
    this.count = acc.count;
    this.sum = acc.sum;
    if (acc.created !== undefined) this.created = acc.created;
    if (acc.timestampMs !== undefined) this.timestampMs = acc.timestampMs;
    this.#sketch = acc.sketch;
    this.quantiles = acc.quantiles.map(({ quantile }) => ({
      quantile,
      value: acc.sketch.quantile(quantile),
    }));
  }

  /** Kept so that an aggregate can itself be aggregated (threads inside cluster workers). */
  get sketch(): SketchState {
    return this.#sketch.state();
  }
}
