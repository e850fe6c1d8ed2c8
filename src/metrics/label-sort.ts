/**
 * Sorting series by their label values in UTF-8 byte order: a multikey quicksort (three-way radix
 * quicksort) over the label columns. It partitions by one code unit at a time, so a label value
 * shared by many series, or a long common prefix (`path/...`), costs one integer comparison per
 * series and character instead of a string comparison per pair: 100,000 new series sort several
 * times faster than with a comparator. The work is split into steps, so that a large sort can give
 * the event loop a turn between them.
 */
import { slicer } from '../model/next-turn.js';

/** Ranges this short are finished by insertion sort. */
const SMALL = 12;
/** Elements partitioned between two looks at the clock. */
const STEP_WORK = 16_384;
/** Elements merged between two looks at the clock (a power of two). */
const MERGE_CHECK_EVERY = 4096;

/**
 * The sort key of the code unit at `depth` of `value`: UTF-16 units ranked in code point order
 * (surrogates after U+E000-U+FFFF, as their code points are in UTF-8), -1 past the end.
 */
function unitAt(value: string, depth: number): number {
  if (depth >= value.length) return -1;
  const unit = value.charCodeAt(depth);
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** A range of `slots` still to sort: equal in the columns before `column`, and in its first `depth` units. */
interface Range {
  readonly lo: number;
  readonly hi: number;
  readonly column: number;
  readonly depth: number;
}

class SlotSort {
  readonly #todo: Range[];

  constructor(
    private readonly slots: Int32Array,
    private readonly columns: readonly (readonly string[])[],
  ) {
    this.#todo =
      slots.length > 1 && columns.length > 0 ? [{ lo: 0, hi: slots.length, column: 0, depth: 0 }] : [];
  }

  /** Sorts on for about `work` elements; returns whether the sort is done. */
  step(work: number): boolean {
    let done = 0;
    while (done < work) {
      const range = this.#todo.pop();
      if (range === undefined) return true;
      done += range.hi - range.lo;
      if (range.hi - range.lo <= SMALL) this.#insertionSort(range);
      else this.#partition(range);
    }
    return this.#todo.length === 0;
  }

  /** Splits a range into the slots below, equal to and above a pivot unit at its depth. */
  #partition({ lo, hi, column, depth }: Range): void {
    const { slots } = this;
    const values = this.columns[column]!;
    const pivot = median(
      unitAt(values[slots[lo]!]!, depth),
      unitAt(values[slots[(lo + hi) >>> 1]!]!, depth),
      unitAt(values[slots[hi - 1]!]!, depth),
    );
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const unit = unitAt(values[slots[i]!]!, depth);
      if (unit < pivot) {
        const s = slots[i]!;
        slots[i++] = slots[lt]!;
        slots[lt++] = s;
      } else if (unit > pivot) {
        const s = slots[i]!;
        slots[i] = slots[--gt]!;
        slots[gt] = s;
      } else {
        i++;
      }
    }
    if (lt - lo > 1) this.#todo.push({ lo, hi: lt, column, depth });
    if (hi - gt > 1) this.#todo.push({ lo: gt, hi, column, depth });
    if (gt - lt > 1) {
      // Equal so far: past the end of the values the next label decides, else the next unit.
      if (pivot >= 0) this.#todo.push({ lo: lt, hi: gt, column, depth: depth + 1 });
      else if (column + 1 < this.columns.length)
        this.#todo.push({ lo: lt, hi: gt, column: column + 1, depth: 0 });
    }
  }

  #insertionSort({ lo, hi, column, depth }: Range): void {
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

  /** Compares two slots from unit `depth` of label `column` on. */
  #compareFrom(a: number, b: number, column: number, depth: number): number {
    for (let k = column; k < this.columns.length; k++) {
      const values = this.columns[k]!;
      const x = values[a]!;
      const y = values[b]!;
      if (x !== y) {
        for (let d = k === column ? depth : 0; ; d++) {
          const u = unitAt(x, d);
          const v = unitAt(y, d);
          if (u !== v) return u - v;
        }
      }
    }
    return 0;
  }
}

function median(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
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
  const pause = slicer(sliceMs);
  const out = new Int32Array(order.length + added.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < order.length && j < added.length) {
    out[o++] = compare(added[j]!, order[i]!) < 0 ? added[j++]! : order[i++]!;
    if ((o & (MERGE_CHECK_EVERY - 1)) === 0) await pause();
  }
  while (i < order.length) out[o++] = order[i++]!;
  while (j < added.length) out[o++] = added[j++]!;
  return out;
}
