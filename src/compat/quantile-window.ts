/**
 * The observations a prom-client Summary series computes its quantiles over: all of them, or
 * those of a sliding window of `maxAgeSeconds` that moves in `ageBuckets` steps.
 *
 * Each step has its own DDSketch and a read merges them, so observing costs one sketch update
 * whatever the number of steps (prom-client adds every value to every step's t-digest). The
 * merged window holds between maxAge − maxAge/ageBuckets and maxAge seconds of observations, as
 * prom-client's does. Quantile estimates are within 1 % of the exact value of that rank.
 */
import { DDSketch } from '../metrics/sketch.js';

/** The relative error bound of every quantile estimate. */
export const QUANTILE_RELATIVE_ACCURACY = 0.01;

export class QuantileWindow {
  readonly #slices: DDSketch[];
  readonly #sliceMs: number;
  #head = 0;
  #rotateAt: number;

  /** `slices` of `sliceMs` each; one slice of infinite length keeps every observation. */
  constructor(slices: number, sliceMs: number) {
    this.#slices = Array.from({ length: slices }, () => new DDSketch(QUANTILE_RELATIVE_ACCURACY));
    this.#sliceMs = sliceMs;
    this.#rotateAt = performance.now() + sliceMs;
  }

  observe(value: number): void {
    this.#rotate();
    this.#slices[this.#head]!.add(value);
  }

  /** The sketch of the observations now in the window. */
  merged(): DDSketch {
    this.#rotate();
    if (this.#slices.length === 1) return this.#slices[0]!;
    const merged = new DDSketch(QUANTILE_RELATIVE_ACCURACY);
    for (const slice of this.#slices) merged.merge(slice);
    return merged;
  }

  /** How many observations the window holds now. */
  size(): number {
    this.#rotate();
    let n = 0;
    for (const slice of this.#slices) n += slice.count;
    return n;
  }

  clear(): void {
    for (const slice of this.#slices) slice.clear();
  }

  /** Moves one slice forward per elapsed slice length, emptying each slice it enters. */
  #rotate(): void {
    const now = performance.now();
    if (now < this.#rotateAt) return;
    const slices = this.#slices.length;
    let steps = 0;
    while (now >= this.#rotateAt && steps < slices) {
      this.#head = (this.#head + 1) % slices;
      this.#slices[this.#head]!.clear();
      this.#rotateAt += this.#sliceMs;
      steps++;
    }
    if (now >= this.#rotateAt) this.#rotateAt = now + this.#sliceMs;
  }
}
