/**
 * Adds the native buckets of one histogram series across workers, as if one histogram had seen
 * every observation: both sides are decoded to absolute counts per bucket key, brought to the
 * coarser schema, given the wider zero bucket, added key by key and encoded again.
 *
 * @example
 * ```ts
 * import type { NativeHistogramData } from '../../model/family.js';
 * import { NativeSum } from './native.js';
 *
 * // Buckets 0 and 1 of schema 0, holding 1 and 2 observations.
 * const worker: NativeHistogramData = {
 *   schema: 0,
 *   zeroThreshold: 0,
 *   zeroCount: 0,
 *   positiveSpans: [{ offset: 0, length: 2 }],
 *   positiveDeltas: [1, 1],
 *   negativeSpans: [],
 *   negativeDeltas: [],
 * };
 * const sum = new NativeSum('rpc_seconds', worker, '1');
 * sum.add(worker, '2');
 * sum.data(); // the same span, deltas [2, 2]: 2 and 4 observations
 * ```
 */

import { bucketUpperBound, nativeSpans } from '../../metrics/native-histogram.js';
import type { BucketSpan, NativeHistogramData } from '../../model/family.js';
import { AggregationError } from '../errors.js';

/** Absolute counts per bucket key of one side of a native histogram; only populated keys. */
type Buckets = Map<number, number>;

interface Decoded {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positive: Buckets;
  negative: Buckets;
}

/** The running sum of native buckets of one series. */
export class NativeSum {
  readonly #acc: Decoded;

  constructor(
    private readonly metric: string,
    first: NativeHistogramData,
    worker: string,
  ) {
    this.#acc = this.#decode(first, worker);
  }

  /** Adds another worker's native buckets of the same series. */
  add(other: NativeHistogramData, worker: string): void {
    const acc = this.#acc;
    const next = this.#decode(other, worker);
    const schema = Math.min(acc.schema, next.schema);
    reduceTo(acc, schema);
    reduceTo(next, schema);
    if (acc.zeroThreshold !== next.zeroThreshold) {
      // Folding may widen the threshold to a bucket boundary, which can reach into buckets of the
      // side already folded, so repeat until neither side has a bucket overlapping the zero bucket.
      let threshold = Math.max(acc.zeroThreshold, next.zeroThreshold);
      let previous: number;
      do {
        previous = threshold;
        threshold = foldIntoZero(acc, threshold);
        threshold = foldIntoZero(next, threshold);
      } while (threshold !== previous);
      acc.zeroThreshold = threshold;
    }
    acc.zeroCount += next.zeroCount;
    addInto(acc.positive, next.positive);
    addInto(acc.negative, next.negative);
  }

  /** The sum, encoded as spans and deltas like a histogram's own native buckets. */
  data(): NativeHistogramData {
    const { schema, zeroThreshold, zeroCount, positive, negative } = this.#acc;
    const pos = nativeSpans(positive);
    const neg = nativeSpans(negative);
    return {
      schema,
      zeroThreshold,
      zeroCount,
      positiveSpans: pos.spans,
      positiveDeltas: pos.deltas,
      negativeSpans: neg.spans,
      negativeDeltas: neg.deltas,
    };
  }

  #decode(data: NativeHistogramData, worker: string): Decoded {
    return {
      schema: data.schema,
      zeroThreshold: data.zeroThreshold,
      zeroCount: data.zeroCount,
      positive: this.#decodeSide(data.positiveSpans, data.positiveDeltas, worker),
      negative: this.#decodeSide(data.negativeSpans, data.negativeDeltas, worker),
    };
  }

  /** Spans and deltas (docs/formats.md §4) to counts per key; the explicit zero buckets of short gaps are skipped. */
  #decodeSide(spans: readonly BucketSpan[], deltas: readonly number[], worker: string): Buckets {
    const buckets: Buckets = new Map();
    let key = 0;
    let count = 0;
    let d = 0;
    for (const span of spans) {
      key += span.offset;
      for (let i = 0; i < span.length; i++, key++) {
        const delta = deltas[d++];
        if (delta === undefined) {
          throw new AggregationError(
            this.metric,
            `worker ${worker} sent native buckets with fewer deltas than its spans cover`,
          );
        }
        count += delta;
        if (count !== 0) buckets.set(key, count);
      }
    }
    if (d !== deltas.length) {
      throw new AggregationError(
        this.metric,
        `worker ${worker} sent native buckets with more deltas than its spans cover`,
      );
    }
    return buckets;
  }
}

/** Halves the resolution until `schema`: key k becomes ceil(k/2), as client_golang does. */
function reduceTo(side: Decoded, schema: number): void {
  for (; side.schema > schema; side.schema--) {
    side.positive = halved(side.positive);
    side.negative = halved(side.negative);
  }
}

function halved(buckets: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [key, count] of buckets) {
    // 0 - … rather than a negation, so that key 0 stays +0 (a -0 offset would differ from 0).
    const half = key > 0 ? (key + 1) >> 1 : 0 - (-key >> 1);
    out.set(half, (out.get(half) ?? 0) + count);
  }
  return out;
}

/**
 * Moves every bucket that overlaps [-threshold, threshold] into the zero bucket. A bucket that
 * reaches past the threshold widens it to the bucket's upper bound, as Prometheus does when it
 * adds histograms, so that no observation is counted on both sides of the threshold. Returns the
 * threshold.
 */
function foldIntoZero(side: Decoded, threshold: number): number {
  let widened = threshold;
  for (const buckets of [side.positive, side.negative]) {
    for (const [key, count] of buckets) {
      if (!(bucketUpperBound(key - 1, side.schema) < threshold)) continue;
      side.zeroCount += count;
      buckets.delete(key);
      widened = Math.max(widened, bucketUpperBound(key, side.schema));
    }
  }
  side.zeroThreshold = widened;
  return widened;
}

function addInto(into: Buckets, from: Buckets): void {
  for (const [key, count] of from) into.set(key, (into.get(key) ?? 0) + count);
}
