/**
 * The copies a snapshot takes of the columns that change with every update (values, histogram
 * cells). A small copy goes into a plain array: a typed array has its memory outside the heap,
 * which costs more to allocate and free than the copy itself when a registry of many small
 * families is collected. A large copy goes into a typed array taken from a pool: a fresh buffer of
 * megabytes costs its page faults at first touch (tens of milliseconds where they are expensive),
 * a reused one only the copy. A buffer goes back to the pool once the snapshot holding it is
 * garbage, so no snapshot ever sees its numbers change.
 */
import { slicer } from '../model/next-turn.js';

const SMALL_COPY = 8192;
/** Buffers a pool keeps ready for the next snapshot. */
const POOL_SIZE = 1;

interface Returned {
  readonly pool: Float64Array[];
  readonly buffer: Float64Array;
}

/**
 * Puts a buffer back once its snapshot is garbage. Cloudflare Workers have no
 * FinalizationRegistry: there nothing is pooled, and every large copy gets a buffer of its own.
 */
const returned =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Returned>(({ pool, buffer }) => {
        if (pool.length < POOL_SIZE) pool.push(buffer);
      })
    : undefined;

/** Numbers copied between two looks at the clock in `prepare`. */
const CHUNK = 65536;
/** The longest piece of a copy in slices before the event loop gets a turn. */
const SLICE_MS = 4;

export class SnapshotCopies {
  readonly #pool: Float64Array[] = [];
  /** A copy made in slices by `prepare`, for the next `copy`, and how far it went. */
  #ready: { readonly buffer: Float64Array; readonly length: number } | undefined;
  /** Pooled buffers copied into since the last `heldBy`. */
  readonly #unowned: Float64Array[] = [];

  /** A copy of the first `length` numbers of `column`; pass what holds it to `heldBy`. */
  copy(column: Float64Array, length: number): ArrayLike<number> {
    if (length <= SMALL_COPY) {
      const out: number[] = [];
      for (let i = 0; i < length; i++) out.push(column[i]!);
      return out;
    }
    const ready = this.#ready;
    this.#ready = undefined;
    let buffer: Float64Array | undefined;
    if (ready !== undefined && ready.buffer.length >= length) {
      // Slots added since `prepare` are copied now; the others were copied moments ago.
      if (length > ready.length) ready.buffer.set(column.subarray(ready.length, length), ready.length);
      this.#unowned.push(ready.buffer);
      return ready.buffer.subarray(0, length);
    }
    while (buffer === undefined && this.#pool.length > 0) {
      const candidate = this.#pool.pop()!;
      // Too small for the column now, or far larger than it: let it go.
      if (candidate.length >= length && candidate.length <= 2 * length) buffer = candidate;
    }
    buffer ??= new Float64Array(length + (length >>> 3));
    buffer.set(column.subarray(0, length));
    this.#unowned.push(buffer);
    return buffer.subarray(0, length);
  }

  /**
   * Copies a large column ahead of `copy`, a chunk at a time with turns of the event loop between,
   * so that neither the copy nor the first touch of a fresh buffer blocks it. `column` is read
   * anew for each chunk, since the column may be replaced by a larger one meanwhile. The caller
   * keeps slots from being reused until `copy` runs.
   */
  async prepare(column: () => Float64Array, length: number): Promise<void> {
    if (length <= SMALL_COPY) return;
    const buffer = this.#pool.pop() ?? new Float64Array(length + (length >>> 3));
    if (buffer.length < length) return;
    const pause = slicer(SLICE_MS);
    for (let from = 0; from < length; from += CHUNK) {
      const to = Math.min(length, from + CHUNK);
      buffer.set(column().subarray(from, to), from);
      await pause();
    }
    this.#ready = { buffer, length };
  }

  /** The copies made since the last call go back to the pool once `owner` is garbage. */
  heldBy(owner: object): void {
    if (returned !== undefined)
      for (const buffer of this.#unowned) returned.register(owner, { pool: this.#pool, buffer });
    this.#unowned.length = 0;
  }
}
