/** A typed array of `capacity` elements holding the old one's. */
export function grown<T extends Float64Array | Int32Array>(old: T, capacity: number): T {
  const out = new (old.constructor as new (n: number) => T)(capacity);
  out.set(old);
  return out;
}
