/** A typed array of `capacity` elements holding the old one's. */
export function grown<T extends Float64Array | Int32Array>(old: T, capacity: number): T {
  const out = new (old.constructor as new (n: number) => T)(capacity);
  out.set(old);
  return out;
}

/**
 * The column of no slots, shared: even an empty typed array costs two objects (about 180 bytes),
 * which a registry of many small metrics pays several times per metric. A column is replaced by
 * `grown` before anything is written to it.
 */
export const EMPTY_FLOAT64 = new Float64Array(0);
export const EMPTY_INT32 = new Int32Array(0);
