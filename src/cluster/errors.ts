/**
 * The error the aggregators report for a family they cannot combine. Other families are not
 * affected: the aggregate leaves out only the family named in `metric`.
 */
import { hasErrorName } from '../errors.js';
export class AggregationError extends Error {
  override readonly name = 'AggregationError' as const;
  constructor(
    /** The metric family that was left out of the aggregate. */
    readonly metric: string,
    message: string,
  ) {
    super(`metric "${metric}": ${message}`);
  }
}

export const isAggregationError = (e: unknown): e is AggregationError => hasErrorName(e, 'AggregationError');
