/**
 * A list of slots in an Int32Array: the retired and the free slots of a series store. A JavaScript
 * array of a million numbers grows by copying itself, and each copy touches megabytes of fresh
 * pages at once (tens of milliseconds where page faults are expensive); this list can reserve room
 * for the slots an expiry pass may retire, whose pages are then touched a few at a time.
 */
import { EMPTY_INT32 } from './grown.js';

export class SlotList {
  #slots = EMPTY_INT32;
  length = 0;

  push(slot: number): void {
    if (this.length === this.#slots.length) this.reserve(Math.max(8, this.length));
    this.#slots[this.length++] = slot;
  }

  /** The last slot, taken off; undefined when empty. */
  pop(): number | undefined {
    return this.length === 0 ? undefined : this.#slots[--this.length];
  }

  at(i: number): number {
    return this.#slots[i]!;
  }

  /** Makes room for `more` slots beyond the current ones. */
  reserve(more: number): void {
    if (this.length + more <= this.#slots.length) return;
    const slots = new Int32Array(this.length + more);
    slots.set(this.#slots.subarray(0, this.length));
    this.#slots = slots;
  }

  /** Moves every slot of `other` onto this list, emptying `other`. */
  take(other: SlotList): void {
    if (this.length === 0) {
      [this.#slots, other.#slots] = [other.#slots, this.#slots];
      this.length = other.length;
    } else {
      this.reserve(other.length);
      this.#slots.set(other.#slots.subarray(0, other.length), this.length);
      this.length += other.length;
    }
    other.length = 0;
  }

  clear(): void {
    this.#slots = EMPTY_INT32;
    this.length = 0;
  }
}
