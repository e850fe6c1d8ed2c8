/**
 * The index of a metric's series, label values to slot: one open-addressing hash table of slots
 * that keeps no keys of its own. A slot found under a hash is confirmed against the label values
 * in the series store's columns, which hold them anyway, and each slot's hash sits in an Int32Array
 * by slot. That costs 12-20 bytes per series, where one Map per label cost 40-60 (three words per
 * entry, its buckets, tables half empty after growing): before, the largest part of a series.
 */
import { EMPTY_INT32, grown } from './grown.js';

/**
 * The hash seed, different in each process, so that label values crafted to collide in one
 * process do not collide in another.
 */
const SEED = (Math.random() * 0x1_0000_0000) | 0;
const FNV_PRIME = 16777619;
const MIN_BUCKETS = 8;
/**
 * The table of an empty index, shared and never written: one empty bucket, so a lookup misses
 * at once; the first insert makes a table of its own.
 */
const NO_BUCKETS = new Int32Array(1);
/** The most entries a shrinking table moves. */
const SHRINK_MAX = 16_384;

/** From this length on, a label value's hash is remembered (see `longHashes`). */
const LONG_VALUE = 24;
/** The most long values whose hash is remembered; past it the memory starts over. */
const LONG_HASHES_MAX = 8192;
/**
 * The hashes of long label values seen lately. V8 keeps the hash of a string in the string, where
 * this code cannot read it; hashing a route template of 50 characters on every update costs
 * more than the rest of the lookup, while a Map finds it by V8's own hash. Short values are
 * hashed faster than a Map lookup takes. Started over when full, so it holds at most a few
 * thousand strings, and a value missing from it is simply hashed again.
 */
const longHashes = new Map<string, number>();

/** The hash of one label value: FNV-1a over its UTF-16 code units, then its length. */
function valueHash(value: string): number {
  const long = value.length >= LONG_VALUE;
  if (long) {
    const known = longHashes.get(value);
    if (known !== undefined) return known;
  }
  let h = SEED;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), FNV_PRIME);
  // The length ends the value, so no value's hash is another's partial state.
  h = Math.imul(h ^ value.length, FNV_PRIME);
  if (long) {
    if (longHashes.size >= LONG_HASHES_MAX) longHashes.clear();
    longHashes.set(value, h);
  }
  return h;
}

/** Hashes one more label value into `h`; the order of the values counts. */
export function hashValue(value: string, h: number): number {
  return Math.imul(h ^ valueHash(value), 0x9e3779b1);
}

/** The first state of a hash, before any value. */
export function hashStart(): number {
  return SEED;
}

/**
 * The final mix of a hash: FNV's low bits, which pick the bucket, depend on few input bits
 * (the murmur3 finaliser spreads every bit over all of them).
 */
export function hashEnd(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of a whole label set's values. */
export function hashValues(values: readonly string[]): number {
  let h = SEED;
  for (const value of values) h = hashValue(value, h);
  return hashEnd(h);
}

export class SlotTable {
  /** Slot + 1 per bucket, 0 for an empty one; a power of two long, at most three quarters full. */
  buckets = NO_BUCKETS;
  mask = 0;
  /** The hash of each slot's label values, by slot. */
  hashes = EMPTY_INT32;
  #size = 0;

  /**
   * @param columns the store's label values by label and slot; the store replaces it when it
   *   replaces its columns.
   */
  constructor(public columns: readonly (readonly string[])[]) {}

  get size(): number {
    return this.#size;
  }

  /** Makes room for the hashes of slots below `capacity`. */
  grow(capacity: number): void {
    this.hashes = grown(this.hashes, capacity);
  }

  /** The slot whose label values are `values` (hashed to `h`), or -1. */
  find(values: readonly string[], h: number): number {
    const { buckets, mask, hashes, columns } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = buckets[i]! - 1;
      if (slot < 0) return -1;
      if (hashes[slot] === h && sameValues(columns, slot, values)) return slot;
    }
  }

  /** Adds `slot`, whose label values (already in the columns) hash to `h`, and are not in the table. */
  insert(slot: number, h: number): void {
    this.hashes[slot] = h;
    if ((this.#size + 1) * 4 > this.buckets.length * 3)
      this.#rehash(Math.max(MIN_BUCKETS, this.buckets.length * 2));
    this.#place(slot, h);
    this.#size++;
  }

  /** Takes `slot` out; its label values must still be in the columns. */
  delete(slot: number): void {
    const { buckets, mask } = this;
    let i = this.hashes[slot]! & mask;
    while (buckets[i] !== slot + 1) {
      if (buckets[i] === 0) return;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move up every later entry of the run that the gap would cut off
    // from its home bucket, so lookups never need tombstones.
    let gap = i;
    for (let j = (i + 1) & mask; buckets[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashes[buckets[j]! - 1]! & mask;
      if (((j - home) & mask) >= ((j - gap) & mask)) {
        buckets[gap] = buckets[j]!;
        gap = j;
      }
    }
    buckets[gap] = 0;
    this.#size--;
    // Shrinks once few entries are left, straight to their size: a rehash moves every entry, and
    // shrinking step by step while a million series leave would block for tens of milliseconds.
    if (
      this.#size * 8 < this.buckets.length &&
      this.#size <= SHRINK_MAX &&
      this.buckets.length > MIN_BUCKETS
    ) {
      let length = MIN_BUCKETS;
      while (length < this.#size * 2) length *= 2;
      this.#rehash(length);
    }
  }

  /** Empties the table; the hashes by slot start over too. */
  clear(): void {
    this.hashes = EMPTY_INT32;
    this.buckets = NO_BUCKETS;
    this.mask = 0;
    this.#size = 0;
  }

  #place(slot: number, h: number): void {
    const { buckets, mask } = this;
    let i = h & mask;
    while (buckets[i] !== 0) i = (i + 1) & mask;
    buckets[i] = slot + 1;
  }

  #rehash(length: number): void {
    const old = this.buckets;
    this.buckets = new Int32Array(length);
    this.mask = length - 1;
    for (let i = 0; i < old.length; i++) {
      const entry = old[i]!;
      if (entry !== 0) this.#place(entry - 1, this.hashes[entry - 1]!);
    }
  }
}

function sameValues(
  columns: readonly (readonly string[])[],
  slot: number,
  values: readonly string[],
): boolean {
  for (let k = 0; k < values.length; k++) if (columns[k]![slot] !== values[k]) return false;
  return true;
}
