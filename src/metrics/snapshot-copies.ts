/**
 * The copies a snapshot takes of the columns that change with every update (values, histogram
 * cells). A small copy goes into a plain array: a typed array has its memory outside the heap,
 * which costs more to allocate and free than the copy itself when a registry of many small
 * families is collected. A large copy goes into a fresh typed array, filled a chunk at a time with
 * turns of the event loop between (see `prepare`), so that neither the copy nor the first touch of
 * the buffer's pages blocks the loop. Copies are not kept for reuse: a pooled buffer would stay
 * alive between scrapes, as large as the columns it copies (for a histogram, more than everything
 * else its series cost).
 */
import { slicer } from '../model/next-turn.js';

const SMALL_COPY = 8192;
/** Numbers copied between two looks at the clock in `prepare`. */
const CHUNK = 16_384;
/** The longest piece of a copy in slices before the event loop gets a turn. */
const SLICE_MS = 4;

export class SnapshotCopies {
  /** A copy made in slices by `prepare`, for the next `copy`, and how far it went. */
  #ready: { readonly buffer: Float64Array; readonly length: number } | undefined;

  /** A copy of the first `length` numbers of `column`. */
  copy(column: Float64Array, length: number): ArrayLike<number> {
    if (length <= SMALL_COPY) {
      // Filled first so that V8 allocates the elements once, at their final size.
      const out = new Array<number>(length).fill(0);
      for (let i = 0; i < length; i++) out[i] = column[i]!;
      return out;
    }
    const ready = this.#ready;
    this.#ready = undefined;
    if (ready !== undefined && ready.buffer.length >= length) {
      // Slots added since `prepare` are copied now; the others were copied moments ago.
      if (length > ready.length) ready.buffer.set(column.subarray(ready.length, length), ready.length);
      return ready.buffer.subarray(0, length);
    }
    return column.slice(0, length);
  }

  /**
   * Copies a large column ahead of `copy`, a chunk at a time with turns of the event loop between.
   * `column` is read anew for each chunk, since the column may be replaced by a larger one
   * meanwhile. The caller keeps slots from being reused until `copy` runs.
   */
  async prepare(column: () => Float64Array, length: number): Promise<void> {
    if (length <= SMALL_COPY) return;
    // Room for the series created before `copy`, which then copies only those.
    const buffer = new Float64Array(length + (length >>> 3));
    const pause = slicer(SLICE_MS);
    for (let from = 0; from < length; from += CHUNK) {
      const to = Math.min(length, from + CHUNK);
      buffer.set(column().subarray(from, to), from);
      await pause();
    }
    this.#ready = { buffer, length };
  }
}
