/**
 * Sorting a large number of new series without blocking the event loop: a bottom-up merge sort
 * that gives the event loop a turn every few milliseconds. Sorting a million series at once would
 * take a second or more, every other request waiting.
 */
import { slicer } from '../model/next-turn.js';

/** Runs sorted by insertion sort before merging; small enough to take microseconds. */
const RUN = 32;
/** Elements between two looks at the clock. */
const CHECK_EVERY = 4096;

/** Sorts `items` by `compare`, in place or not (use the result), yielding every `sliceMs`. */
export async function sortInSlices(
  items: number[],
  compare: (a: number, b: number) => number,
  sliceMs: number,
): Promise<number[]> {
  const pause = slicer(sliceMs);
  const n = items.length;
  let src = items;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const x = src[i]!;
      let j = i - 1;
      while (j >= lo && compare(src[j]!, x) > 0) {
        src[j + 1] = src[j]!;
        j--;
      }
      src[j + 1] = x;
    }
    if (lo % CHECK_EVERY === 0) await pause();
  }
  let dst = new Array<number>(n);
  for (let width = RUN; width < n; width *= 2) {
    let sinceCheck = 0;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        dst[o++] = compare(src[j]!, src[i]!) < 0 ? src[j++]! : src[i++]!;
        if (++sinceCheck >= CHECK_EVERY) {
          sinceCheck = 0;
          await pause();
        }
      }
      while (i < mid) dst[o++] = src[i++]!;
      while (j < hi) dst[o++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Merges sorted `added` into sorted `order`, into a new array, yielding every `sliceMs`. */
export async function mergeInSlices(
  order: Int32Array,
  added: readonly number[],
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
    if ((o & (CHECK_EVERY - 1)) === 0) await pause();
  }
  while (i < order.length) out[o++] = order[i++]!;
  while (j < added.length) out[o++] = added[j++]!;
  return out;
}
