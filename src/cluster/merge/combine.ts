/** How the fields of one series combine when two workers both have it. */
import type { Exemplar, LabelSet } from '../../model/family.js';
import { compareLabelSets } from '../../model/labels.js';
import type { Aggregation } from '../aggregation.js';
import { AggregationError } from '../errors.js';

/** The earlier of two creation times: the aggregate series exists since its oldest part. */
export function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The later of two timestamps: the aggregate is as fresh as its newest part. */
export function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** The exemplar with the later timestamp; the one already kept when neither has a timestamp. */
export function newerExemplar(kept: Exemplar | undefined, other: Exemplar | undefined): Exemplar | undefined {
  if (kept === undefined) return other;
  if (other === undefined) return kept;
  return (other.timestamp ?? Number.NEGATIVE_INFINITY) > (kept.timestamp ?? Number.NEGATIVE_INFINITY)
    ? other
    : kept;
}

/** Points in label-set order, as every family of the model keeps them. */
export function sortedPoints<P extends { readonly labels: LabelSet }>(points: Iterable<P>): P[] {
  return [...points].sort((a, b) => compareLabelSets(a.labels, b.labels));
}

/**
 * Histograms and summaries only add up or take the first worker's series.
 *
 * @throws {AggregationError} for min, max or average.
 */
export function checkSumOrFirst(name: string, mode: Aggregation, kind: string): 'sum' | 'first' {
  if (mode !== 'sum' && mode !== 'first') {
    throw new AggregationError(
      name,
      `aggregation "${mode}" does not apply to a ${kind}; use sum, first, omit or perWorker`,
    );
  }
  return mode;
}
