/**
 * The error the aggregators report for a family they cannot combine. Other families are not
 * affected: the aggregate leaves out only the family named in `metric`.
 */
import { errorGuard, MetricScopedError } from '../errors.js';

/** `metric` names the family that was left out of the aggregate. */
export class AggregationError extends MetricScopedError {
  override readonly name = 'AggregationError' as const;
}

export const isAggregationError = errorGuard<AggregationError>('AggregationError');

/**
 * A worker sent a message with the aggregator's tag that breaks the protocol: a missing, extra or
 * ill-typed field, an id that was never requested from it, or a snapshot that cannot be decoded or
 * holds an invalid family. The message was dropped; the worker's last good snapshot still counts.
 */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError' as const;
  constructor(
    /** The worker's id (cluster worker id or thread id). */
    readonly worker: string,
    /** What is wrong with the message. */
    readonly problem: string,
  ) {
    super(`worker ${worker} sent a malformed message, dropped: ${problem}`);
  }
}

export const isMalformedMessageError = errorGuard<MalformedMessageError>('MalformedMessageError');
