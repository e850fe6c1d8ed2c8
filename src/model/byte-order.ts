/**
 * String order by UTF-8 bytes, the order client_golang sorts families, series and label pairs in.
 * JavaScript's `<` compares UTF-16 code units, which puts characters above U+FFFF (stored as
 * surrogates, 0xD800-0xDFFF) before U+E000-U+FFFF; in UTF-8, as in code points, they come after.
 */

/** Negative, zero or positive as `a` sorts before, with or after `b` by their UTF-8 bytes. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * Moves surrogates above U+E000-U+FFFF so code units compare in code point order. Comparing
 * the first differing unit suffices: a surrogate pair only ever differs from a unit of the
 * other string at its high half, or at its low half after equal high halves.
 */
export function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
