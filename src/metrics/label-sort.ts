/**
 * Sorting series by their label values in UTF-8 byte order: a most-significant-digit radix sort
 * over the label columns. A range of slots equal so far first skips the prefix its values all
 * share (`path/`, `value_`), then is counting-sorted by the next two code units, which splits it
 * into up to thousands of ranges in a few passes over it; a range whose values ended goes on with
 * the next label. So each series costs a few passes per label, not one per character as in a
 * three-way radix quicksort, nor a string comparison per pair as in a comparator sort. The work is
 * split into steps, so that a large sort can give the event loop a turn between them.
 */
import { codePointRank } from '../model/byte-order.js';
import { slicer } from '../model/next-turn.js';

/** Ranges this short are finished by insertion sort. */
const SMALL = 16;
/** Ranges shorter than this, whose units spread too wide to count cheaply, are sorted by comparisons. */
const COMPARE_BELOW = 1024;
/**
 * The slots a pass takes in its first call on a range. The JIT optimizes a long-running loop in
 * the middle of it, from what the function has run so far; after a short first call that is the
 * whole function, so the optimized code does not fail (and get thrown away) right after the loop.
 */
const FIRST_CHUNK = 64;
/** Elements looked at between two looks at the clock. */
const STEP_WORK = 16_384;
/** Elements merged between two looks at the clock (a power of two). */
const MERGE_CHECK_EVERY = 4096;
/** Elements block-copied between two looks at the clock. */
const COPY_BLOCK = 65_536;
/**
 * Unit keys: 0 past the end of a value, else the UTF-16 unit's rank in code point order
 * (surrogates after U+E000-U+FFFF, as their code points are in UTF-8) plus one.
 */
const UNIT_KEYS = 0x10001;

/** How many units from `depth` on `a` and `b` share, up to `most`. */
function sharedUnits(a: string, b: string, depth: number, most: number): number {
  const limit = Math.min(most, b.length - depth);
  let m = 0;
  while (m < limit && a.charCodeAt(depth + m) === b.charCodeAt(depth + m)) m++;
  return m;
}

/** The most buckets a counting sort of `n` slots may use: each bucket costs about what a slot does. */
function bucketBudget(n: number): number {
  return Math.min(UNIT_KEYS, Math.max(64, 4 * n));
}

/** Where the sort of the current range is: each phase is a pass over the range, resumable. */
enum Phase {
  /** Finding the prefix all values of the range share from `depth` on. */
  Prefix,
  /** Reading the two units at `depth` of each value, and their least and greatest. */
  Units,
  /** Turning the units into bucket numbers and counting the slots of each bucket. */
  Count,
  /** Moving each slot to its bucket. */
  Scatter,
}

/**
 * A sort of `slots` by their values in `columns`, done a step at a time: `step(work)` sorts on
 * for about `work` elements and says whether the sort is done. The columns must not change
 * until it is.
 */
export class SlotSort {
  /** The ranges still to sort, four numbers each: first slot, end, column, depth. */
  readonly #todo: number[] = [];
  /** Per slot of the current range: its first unit key, then its bucket. */
  readonly #keys: Int32Array;
  /** Per slot of the current range: its second unit key, then the slots in bucket order. */
  readonly #spare: Int32Array;
  /** Slots per bucket, then where each bucket starts, then ends. */
  #counts = new Int32Array(64);

  /** The current range: slots `lo` to `hi`, equal before label `column` and in its first `depth` units. */
  #active = false;
  #lo = 0;
  #hi = 0;
  #column = 0;
  #depth = 0;
  #phase = Phase.Prefix;
  /** How far the current phase has come, from `lo`. */
  #done = 0;
  /** The first value of the range, the units from `depth` on it shares with all values looked at, and whether all equal it. */
  #leader = '';
  #shared = 0;
  #allEqual = true;
  /** The least and greatest unit keys other than the end (0) among the first and second units. */
  #minFirst = 0;
  #maxFirst = 0;
  #minSecond = 0;
  #maxSecond = 0;
  /** Whether the buckets go by both units read, or by the first. */
  #byTwo = false;
  /** Buckets per first unit: the end, then one per second unit key from least to greatest (1 by the first unit). */
  #perFirst = 1;
  #buckets = 0;

  constructor(
    private readonly slots: Int32Array,
    private readonly columns: readonly (readonly string[])[],
  ) {
    const n = slots.length > 1 && columns.length > 0 ? slots.length : 0;
    if (n > 0) this.#todo.push(0, n, 0, 0);
    this.#keys = new Int32Array(n);
    this.#spare = new Int32Array(n);
  }

  /** Sorts on for about `work` elements; returns whether the sort is done. */
  step(work: number): boolean {
    let done = 0;
    while (done < work) {
      if (!this.#active) {
        const todo = this.#todo;
        if (todo.length === 0) return true;
        const depth = todo.pop()!;
        const column = todo.pop()!;
        const hi = todo.pop()!;
        const lo = todo.pop()!;
        const n = hi - lo;
        done += n <= SMALL ? n : 1;
        if (n <= SMALL) this.#insertionSort(lo, hi, column, depth);
        else this.#begin(lo, hi, column, depth);
      }
      if (this.#active) done += this.#advance(Math.max(1, work - done));
    }
    return this.#todo.length === 0 && !this.#active;
  }

  #begin(lo: number, hi: number, column: number, depth: number): void {
    this.#active = true;
    this.#lo = lo;
    this.#hi = hi;
    this.#column = column;
    this.#depth = depth;
    this.#done = 0;
    const values = this.columns[column]!;
    const leader = values[this.slots[lo]!]!;
    const middle = values[this.slots[(lo + hi) >>> 1]!]!;
    const last = values[this.slots[hi - 1]!]!;
    // Two more values first: when they share nothing with the first, the range does not either.
    let shared = leader.length - depth;
    if (middle !== leader) shared = sharedUnits(leader, middle, depth, shared);
    if (last !== leader) shared = sharedUnits(leader, last, depth, shared);
    this.#leader = leader;
    this.#shared = shared;
    // Nothing shared, the range is not looked through: its units tell equal values apart from others.
    this.#allEqual = shared > 0 && middle === leader && last === leader;
    if (shared > 0) this.#phase = Phase.Prefix;
    else this.#endPrefix();
  }

  /**
   * Goes on with the current range for up to `work` slots, through as many phases as that takes;
   * returns the slots looked at. Each pass is a function of its own, with one loop, so that the
   * JIT, which optimizes a long loop while it runs, has seen all of the loop when it does.
   */
  #advance(work: number): number {
    const n = this.#hi - this.#lo;
    let looked = 0;
    while (this.#active && looked < work) {
      const from = this.#done;
      const to = Math.min(n, from + work - looked, from === 0 ? FIRST_CHUNK : n);
      looked += to - from;
      this.#done = to;
      switch (this.#phase) {
        case Phase.Prefix:
          if (!this.#sharePrefix(from, to)) this.#done = n;
          if (this.#done === n) this.#endPrefix();
          break;
        case Phase.Units:
          this.#readUnits(from, to);
          if (to === n) this.#endUnits(n);
          break;
        case Phase.Count:
          this.#count(from, to);
          if (to === n) this.#startBuckets();
          break;
        case Phase.Scatter:
          this.#scatter(from, to);
          if (to === n) this.#endScatter(n);
          break;
      }
    }
    return looked;
  }

  /**
   * Narrows the units shared with the leader to what slots `from` to `to` share too: values that
   * all start alike skip that prefix, at one look per value rather than a pass per unit. False
   * once nothing is shared (and so not all values are equal), when the rest need not be looked at.
   */
  #sharePrefix(from: number, to: number): boolean {
    const { slots } = this;
    const values = this.columns[this.#column]!;
    const base = this.#lo;
    const depth = this.#depth;
    const leader = this.#leader;
    let shared = this.#shared;
    let allEqual = this.#allEqual;
    for (let i = from; i < to; i++) {
      const value = values[slots[base + i]!]!;
      if (value === leader) continue;
      allEqual = false;
      shared = sharedUnits(leader, value, depth, shared);
      if (shared === 0) break;
    }
    this.#shared = shared;
    this.#allEqual = allEqual;
    return shared > 0;
  }

  #readUnits(from: number, to: number): void {
    const { slots } = this;
    const values = this.columns[this.#column]!;
    const base = this.#lo;
    const depth = this.#depth;
    const keys = this.#keys;
    const spare = this.#spare;
    let minFirst = this.#minFirst;
    let maxFirst = this.#maxFirst;
    let minSecond = this.#minSecond;
    let maxSecond = this.#maxSecond;
    for (let i = from; i < to; i++) {
      const value = values[slots[base + i]!]!;
      const length = value.length;
      let a = 0;
      let b = 0;
      if (depth < length) {
        a = codePointRank(value.charCodeAt(depth)) + 1;
        if (a < minFirst) minFirst = a;
        if (a > maxFirst) maxFirst = a;
        if (depth + 1 < length) {
          b = codePointRank(value.charCodeAt(depth + 1)) + 1;
          if (b < minSecond) minSecond = b;
          if (b > maxSecond) maxSecond = b;
        }
      }
      keys[i] = a;
      spare[i] = b;
    }
    this.#minFirst = minFirst;
    this.#maxFirst = maxFirst;
    this.#minSecond = minSecond;
    this.#maxSecond = maxSecond;
  }

  /** Numbers the buckets by first unit, then second; bucket 0 of each is for values that end, which sort first. */
  #count(from: number, to: number): void {
    const keys = this.#keys;
    const spare = this.#spare;
    const counts = this.#counts;
    const firstBase = this.#minFirst - 1;
    const secondBase = this.#minSecond - 1;
    const perFirst = this.#perFirst;
    for (let i = from; i < to; i++) {
      const a = keys[i]!;
      const b = perFirst === 1 ? 0 : spare[i]!;
      const bucket = (a === 0 ? 0 : a - firstBase) * perFirst + (b === 0 ? 0 : b - secondBase);
      keys[i] = bucket;
      counts[bucket]!++;
    }
  }

  #scatter(from: number, to: number): void {
    const { slots } = this;
    const base = this.#lo;
    const keys = this.#keys;
    const spare = this.#spare;
    const counts = this.#counts;
    for (let i = from; i < to; i++) spare[counts[keys[i]!]!++] = slots[base + i]!;
  }

  #endPrefix(): void {
    if (this.#allEqual) {
      // All values of the range are equal: the next label decides.
      this.#active = false;
      this.#next(this.#lo, this.#hi);
      return;
    }
    this.#depth += this.#shared;
    this.#phase = Phase.Units;
    this.#done = 0;
    this.#minFirst = UNIT_KEYS;
    this.#maxFirst = 0;
    this.#minSecond = UNIT_KEYS;
    this.#maxSecond = 0;
  }

  /** Chooses the buckets: by both units if few enough, else by the first, else sorts by comparisons. */
  #endUnits(n: number): void {
    if (this.#maxFirst === 0) {
      // Every value ended: all are equal.
      this.#active = false;
      this.#next(this.#lo, this.#hi);
      return;
    }
    const firstKeys = this.#maxFirst - this.#minFirst + 2;
    const secondKeys = this.#maxSecond === 0 ? 1 : this.#maxSecond - this.#minSecond + 2;
    const budget = bucketBudget(n);
    this.#byTwo = firstKeys * secondKeys <= budget;
    if (this.#byTwo) {
      this.#perFirst = secondKeys;
    } else if (firstKeys <= budget || n >= COMPARE_BELOW) {
      this.#perFirst = 1;
    } else {
      this.#active = false;
      this.#compareSort(this.#lo, this.#hi, this.#column, this.#depth);
      return;
    }
    const buckets = firstKeys * this.#perFirst;
    this.#buckets = buckets;
    if (this.#counts.length < buckets)
      this.#counts = new Int32Array(Math.max(buckets, 2 * this.#counts.length));
    this.#counts.fill(0, 0, buckets);
    this.#phase = Phase.Count;
    this.#done = 0;
  }

  /** Turns the counts into where each bucket starts. */
  #startBuckets(): void {
    const counts = this.#counts;
    const buckets = this.#buckets;
    let start = 0;
    for (let k = 0; k < buckets; k++) {
      const size = counts[k]!;
      counts[k] = start;
      start += size;
    }
    this.#phase = Phase.Scatter;
    this.#done = 0;
  }

  /** Puts the slots back in bucket order, and queues each bucket of two or more slots. */
  #endScatter(n: number): void {
    const lo = this.#lo;
    this.slots.set(this.#spare.subarray(0, n), lo);
    this.#active = false;
    const counts = this.#counts;
    const perFirst = this.#perFirst;
    const byTwo = this.#byTwo;
    const deeper = this.#depth + (byTwo ? 2 : 1);
    let start = 0;
    for (let k = 0; k < this.#buckets; k++) {
      const end = counts[k]!;
      if (end - start > 1) {
        // Values that ended within the units read are equal to the others of their bucket.
        if (k < perFirst || (byTwo && k % perFirst === 0)) this.#next(lo + start, lo + end);
        else this.#todo.push(lo + start, lo + end, this.#column, deeper);
      }
      start = end;
    }
  }

  /** Queues slots `lo` to `hi`, equal in the current label, for the next label if there is one. */
  #next(lo: number, hi: number): void {
    if (this.#column + 1 < this.columns.length) this.#todo.push(lo, hi, this.#column + 1, 0);
  }

  #insertionSort(lo: number, hi: number, column: number, depth: number): void {
    const { slots } = this;
    for (let i = lo + 1; i < hi; i++) {
      const x = slots[i]!;
      let j = i - 1;
      while (j >= lo && this.#compareFrom(slots[j]!, x, column, depth) > 0) {
        slots[j + 1] = slots[j]!;
        j--;
      }
      slots[j + 1] = x;
    }
  }

  #compareSort(lo: number, hi: number, column: number, depth: number): void {
    this.slots.subarray(lo, hi).sort((a, b) => this.#compareFrom(a, b, column, depth));
  }

  /** Compares two slots from unit `depth` of label `column` on. */
  #compareFrom(a: number, b: number, column: number, depth: number): number {
    for (let k = column; k < this.columns.length; k++) {
      const values = this.columns[k]!;
      const x = values[a]!;
      const y = values[b]!;
      if (x === y) continue;
      const common = Math.min(x.length, y.length);
      for (let d = k === column ? depth : 0; d < common; d++) {
        const u = x.charCodeAt(d);
        const v = y.charCodeAt(d);
        if (u !== v) return codePointRank(u) - codePointRank(v);
      }
      return x.length - y.length;
    }
    return 0;
  }
}

/** Sorts `slots` in place by their values in `columns` (label by label), in UTF-8 byte order. */
export function sortSlots(slots: Int32Array, columns: readonly (readonly string[])[]): void {
  new SlotSort(slots, columns).step(Number.POSITIVE_INFINITY);
}

/** The same, giving the event loop a turn every `sliceMs`. */
export async function sortSlotsInSlices(
  slots: Int32Array,
  columns: readonly (readonly string[])[],
  sliceMs: number,
): Promise<void> {
  const pause = slicer(sliceMs);
  const sort = new SlotSort(slots, columns);
  while (!sort.step(STEP_WORK)) await pause();
}

/**
 * Merges sorted `added` into sorted `order`, into a new array. Each added slot finds its place by
 * binary search and the slots between are block-copied, so a few new series among a million cost
 * a few hundred comparisons, not a million.
 */
export function merge(
  order: Int32Array,
  added: Int32Array,
  compare: (a: number, b: number) => number,
): Int32Array {
  if (order.length === 0) return added;
  const out = new Int32Array(order.length + added.length);
  let from = 0;
  let o = 0;
  for (let j = 0; j < added.length; j++) {
    const slot = added[j]!;
    let lo = from;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(order[mid]!, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.set(order.subarray(from, lo), o);
    o += lo - from;
    out[o++] = slot;
    from = lo;
  }
  out.set(order.subarray(from), o);
  return out;
}

/** Merges sorted `added` into sorted `order`, into a new array, yielding every `sliceMs`. */
export async function mergeInSlices(
  order: Int32Array,
  added: Int32Array,
  compare: (a: number, b: number) => number,
  sliceMs: number,
): Promise<Int32Array> {
  if (order.length === 0) return added;
  const pause = slicer(sliceMs);
  const out = new Int32Array(order.length + added.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < order.length && j < added.length) {
    out[o++] = compare(added[j]!, order[i]!) < 0 ? added[j++]! : order[i++]!;
    if ((o & (MERGE_CHECK_EVERY - 1)) === 0) await pause();
  }
  // The rest in blocks, each touching fresh pages of `out` (which can cost more than the copy).
  for (const [rest, from] of [
    [order, i],
    [added, j],
  ] as const) {
    for (let k = from; k < rest.length; k += COPY_BLOCK) {
      const end = Math.min(rest.length, k + COPY_BLOCK);
      out.set(rest.subarray(k, end), o);
      o += end - k;
      await pause();
    }
  }
  return out;
}

/** The slots of `slots` in a new typed array, copied a block at a time with turns between. */
export async function toSlotArrayInSlices(slots: readonly number[], sliceMs: number): Promise<Int32Array> {
  const pause = slicer(sliceMs);
  const out = new Int32Array(slots.length);
  for (let k = 0; k < slots.length; k += COPY_BLOCK) {
    const end = Math.min(slots.length, k + COPY_BLOCK);
    for (let i = k; i < end; i++) out[i] = slots[i]!;
    await pause();
  }
  return out;
}
