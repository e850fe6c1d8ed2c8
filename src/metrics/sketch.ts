/**
 * A DDSketch (Masson, Rim, Lee, VLDB 2019): a quantile sketch with a relative-error guarantee
 * and exact merging, which is what Summary needs to aggregate across processes.
 *
 * Guarantee: for a quantile q over n values, let x be the exact value of rank floor(q·(n−1)) in
 * sorted order. The estimate x̂ satisfies |x̂ − x| ≤ α·|x|, where α is `relativeAccuracy`.
 * Values are kept in logarithmic buckets of ratio γ = (1+α)/(1−α); memory grows with the
 * logarithm of the value range, not with the number of values.
 */
import type { SketchState } from '../model/family.js';

/** A growable dense array of bucket counts indexed by a (possibly negative) integer key. */
class BucketStore {
  counts = new Float64Array(0);
  offset = 0;
  total = 0;

  add(key: number, count: number): void {
    let i = key - this.offset;
    if (i < 0 || i >= this.counts.length) {
      this.#grow(key);
      i = key - this.offset;
    }
    this.counts[i]! += count;
    this.total += count;
  }

  #grow(key: number): void {
    if (this.counts.length === 0) {
      this.counts = new Float64Array(64);
      this.offset = key - 32;
      return;
    }
    const lo = Math.min(this.offset, key);
    const hi = Math.max(this.offset + this.counts.length - 1, key);
    const span = hi - lo + 1;
    const size = Math.max(span + 32, this.counts.length * 2);
    const next = new Float64Array(size);
    const offset = key < this.offset ? lo - (size - span) : lo;
    next.set(this.counts, this.offset - offset);
    this.counts = next;
    this.offset = offset;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  /** The counts from the lowest to the highest non-empty key, and that lowest key. */
  trimmed(): { offset: number; counts: number[] } {
    let first = 0;
    let last = this.counts.length - 1;
    while (first <= last && this.counts[first] === 0) first++;
    while (last >= first && this.counts[last] === 0) last--;
    return { offset: this.offset + first, counts: Array.from(this.counts.subarray(first, last + 1)) };
  }
}

export class DDSketch {
  readonly relativeAccuracy: number;
  readonly #gamma: number;
  readonly #logGamma: number;
  readonly #positive = new BucketStore();
  readonly #negative = new BucketStore();
  #zero = 0;

  constructor(relativeAccuracy: number) {
    this.relativeAccuracy = relativeAccuracy;
    this.#gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.#logGamma = Math.log(this.#gamma);
  }

  get count(): number {
    return this.#zero + this.#positive.total + this.#negative.total;
  }

  /** Adds one finite value. */
  add(value: number): void {
    if (value > 0) this.#positive.add(Math.ceil(Math.log(value) / this.#logGamma), 1);
    else if (value < 0) this.#negative.add(Math.ceil(Math.log(-value) / this.#logGamma), 1);
    else this.#zero++;
  }

  clear(): void {
    this.#positive.clear();
    this.#negative.clear();
    this.#zero = 0;
  }

  /** Adds another sketch's counts; both must have the same relative accuracy. */
  merge(other: DDSketch | SketchState): void {
    const state = other instanceof DDSketch ? other.state() : other;
    if (state.relativeAccuracy !== this.relativeAccuracy) {
      throw new RangeError(
        `cannot merge sketches of relative accuracy ${state.relativeAccuracy} and ${this.relativeAccuracy}`,
      );
    }
    this.#zero += state.zeroCount;
    state.positive.forEach((c, i) => {
      if (c > 0) this.#positive.add(state.positiveOffset + i, c);
    });
    state.negative.forEach((c, i) => {
      if (c > 0) this.#negative.add(state.negativeOffset + i, c);
    });
  }

  /** The estimated value at quantile `q` ∈ [0, 1]; NaN when the sketch is empty. */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const rank = Math.floor(q * (n - 1));
    let seen = 0;
    const neg = this.#negative;
    for (let i = neg.counts.length - 1; i >= 0; i--) {
      seen += neg.counts[i]!;
      if (seen > rank) return -this.#value(neg.offset + i);
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    const pos = this.#positive;
    for (let i = 0; i < pos.counts.length; i++) {
      seen += pos.counts[i]!;
      if (seen > rank) return this.#value(pos.offset + i);
    }
    return this.#value(pos.offset + pos.counts.length - 1);
  }

  /** The representative of bucket `key`, (γ^(key−1), γ^key]: within α of every value in it. */
  #value(key: number): number {
    return (2 * this.#gamma ** key) / (this.#gamma + 1);
  }

  state(): SketchState {
    const p = this.#positive.trimmed();
    const n = this.#negative.trimmed();
    return {
      relativeAccuracy: this.relativeAccuracy,
      zeroCount: this.#zero,
      positiveOffset: p.offset,
      positive: p.counts,
      negativeOffset: n.offset,
      negative: n.counts,
    };
  }
}
