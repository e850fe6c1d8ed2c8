/**
 * A list of slots in Int32Array chunks of a fixed size: the retired and the free slots of a series
 * store. A JavaScript array of a million numbers grows by copying itself, and each copy touches
 * megabytes of fresh memory at once (tens of milliseconds where page faults are expensive); this
 * list only ever adds a chunk of 64 KiB. The first chunk starts small and doubles up to that
 * size: most metrics free a few slots at a time, and a full chunk for each of their two lists
 * made a metric that ever lost a series cost 128 KiB more.
 */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const FIRST_CHUNK = 16;

export class SlotList {
  #chunks: Int32Array[] = [];
  length = 0;

  push(slot: number): void {
    const i = this.length++;
    const k = i >> CHUNK_BITS;
    if (k === this.#chunks.length) {
      this.#chunks.push(new Int32Array(k === 0 ? FIRST_CHUNK : CHUNK));
    } else if (k === 0 && i === this.#chunks[0]!.length) {
      const first = new Int32Array(Math.min(CHUNK, i * 2));
      first.set(this.#chunks[0]!);
      this.#chunks[0] = first;
    }
    this.#chunks[k]![i & MASK] = slot;
  }

  /** The last slot, taken off; undefined when empty. */
  pop(): number | undefined {
    if (this.length === 0) return undefined;
    const i = --this.length;
    const slot = this.#chunks[i >> CHUNK_BITS]![i & MASK]!;
    // Keep one spare chunk, so that a push and a pop at a chunk's edge do not allocate each time.
    if ((i & MASK) === 0 && this.#chunks.length > (i >> CHUNK_BITS) + 1) this.#chunks.pop();
    return slot;
  }

  at(i: number): number {
    return this.#chunks[i >> CHUNK_BITS]![i & MASK]!;
  }

  /** Moves every slot of `other` onto this list, emptying `other`. */
  take(other: SlotList): void {
    if (this.length === 0) {
      [this.#chunks, other.#chunks] = [other.#chunks, this.#chunks];
      this.length = other.length;
    } else {
      for (let i = 0; i < other.length; i++) this.push(other.at(i));
    }
    other.clear();
  }

  clear(): void {
    this.#chunks = [];
    this.length = 0;
  }
}
