/**
 * The series waiting to be sent, oldest first, bounded: when a push would go over the bound,
 * the oldest series are dropped and their number returned, so memory stays bounded however long
 * the receiver is away.
 */
import type { WriteSeries } from './series.js';

export class SeriesQueue {
  #items: WriteSeries[] = [];
  #head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** The backing array and where the queue starts in it, for encoders that read in place. */
  get items(): readonly WriteSeries[] {
    return this.#items;
  }

  get head(): number {
    return this.#head;
  }

  /** Appends `series`; returns how many of the oldest series were dropped to stay in bounds. */
  push(series: readonly WriteSeries[]): number {
    for (const s of series) this.#items.push(s);
    const excess = this.length - this.capacity;
    if (excess <= 0) return 0;
    this.#advance(excess);
    return excess;
  }

  /** Removes and returns the `n` oldest series. */
  take(n: number): WriteSeries[] {
    const taken = this.#items.slice(this.#head, this.#head + n);
    this.#advance(taken.length);
    return taken;
  }

  #advance(n: number): void {
    this.#head += n;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
      return;
    }
    // Compact once the consumed prefix outweighs what is left, so shifting stays amortised O(1).
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
