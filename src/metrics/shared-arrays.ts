/**
 * Small constant arrays that many metrics would otherwise each hold a copy of: a registry of a
 * thousand metrics with two labels would keep thousands of `[0, 1]` and `[false, false]`.
 * Frozen, one per length.
 */
const identities: (readonly number[])[] = [];
const falses: (readonly boolean[])[] = [];
const blanks: (readonly string[])[] = [];

/** `[0, 1, ..., n - 1]`. */
export function identity(n: number): readonly number[] {
  identities[n] ??= Object.freeze(Array.from({ length: n }, (_, i) => i));
  return identities[n]!;
}

/** `n` times `false`. */
export function allFalse(n: number): readonly boolean[] {
  falses[n] ??= Object.freeze(new Array<boolean>(n).fill(false));
  return falses[n]!;
}

/** `n` empty strings. */
export function allBlank(n: number): readonly string[] {
  blanks[n] ??= Object.freeze(new Array<string>(n).fill(''));
  return blanks[n]!;
}

/** Whether `values` is `[0, 1, ..., values.length - 1]`. */
export function isIdentity(values: readonly number[]): boolean {
  return values.every((value, i) => value === i);
}
