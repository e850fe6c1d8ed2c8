/**
 * Histogram bucket helpers. Bounds are upper bounds, inclusive, in increasing order; the +Inf
 * bucket is always implied.
 */
import { MetricDefinitionError } from '../errors.js';

/** client_golang's DefBuckets, shared by the official clients: request latencies in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/**
 * `count` buckets of equal `width`, the first with upper bound `start`.
 *
 * @throws {RangeError} for a non-finite `start`, a `width` that is not > 0, or a `count` that is
 *   not an integer >= 1.
 */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isFinite(start)) throw new RangeError(`linearBuckets: start must be finite, got ${start}`);
  if (!(width > 0) || !Number.isFinite(width))
    throw new RangeError(`linearBuckets: width must be > 0, got ${width}`);
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`linearBuckets: count must be an integer >= 1, got ${count}`);
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/**
 * `count` buckets, the first with upper bound `start`, each `factor` times the previous.
 *
 * @throws {RangeError} for a `start` that is not > 0, a `factor` that is not > 1, or a `count`
 *   that is not an integer >= 1.
 */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !Number.isFinite(start))
    throw new RangeError(`exponentialBuckets: start must be > 0, got ${start}`);
  if (!(factor > 1) || !Number.isFinite(factor))
    throw new RangeError(`exponentialBuckets: factor must be > 1, got ${factor}`);
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`exponentialBuckets: count must be an integer >= 1, got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/**
 * Validates user buckets and returns the finite upper bounds: sorted, unique, finite, at least
 * one bound; a trailing +Inf is accepted and dropped because it is always present.
 */
export function validateBuckets(metric: string, buckets: readonly number[]): number[] {
  if (!Array.isArray(buckets)) throw new MetricDefinitionError(metric, 'buckets must be an array of numbers');
  const bounds =
    buckets[buckets.length - 1] === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : [...buckets];
  if (bounds.length === 0)
    throw new MetricDefinitionError(metric, 'buckets must contain at least one finite bound');
  bounds.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new MetricDefinitionError(
        metric,
        `bucket bound ${String(b)} must be a finite number (only a last +Inf is allowed)`,
      );
    }
    if (i > 0 && !(b > bounds[i - 1]!)) {
      throw new MetricDefinitionError(
        metric,
        `buckets must be strictly increasing: ${bounds[i - 1]} is followed by ${b}`,
      );
    }
  });
  return bounds;
}
