/** Errors of the prom-client layer that no core error class describes. */

/**
 * `clusterMetrics()` could not gather every worker's metrics: a worker answered with an error
 * (its message is in `message`), or not all answered within the time limit.
 */
export class ClusterMetricsError extends Error {
  override readonly name = 'ClusterMetricsError' as const;
  constructor(
    message: string,
    /** Ids of the workers whose answer was missing or an error. */
    readonly workers: readonly number[],
  ) {
    super(message);
  }
}
