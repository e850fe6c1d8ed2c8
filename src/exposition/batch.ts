/**
 * Sample lines of many series, gathered into flat strings a few at a time: short-lived line
 * strings die young, where a hundred thousand kept until one final join survive every minor
 * garbage collection, which then becomes most of a render's cost. A batch is bounded by its
 * length, not by its rows: a string over V8's regular object size (128 KiB) is allocated as a
 * large object on pages of its own, fresh from the system each time, and that costs more than
 * writing its text (1,000 default-bucket histogram series rendered in 6 ms as batches of 512 rows,
 * 300 kB each, and in 3.3 ms in batches of this size).
 */

/** Characters per batch: within the regular object size even when two bytes per character. */
const BATCH_CHARS = 16384;

/** Pushes onto `out` the text of rows `from` (inclusive) to `to` (exclusive), joined in batches. */
export function pushRows(out: string[], from: number, to: number, row: (i: number) => string): void {
  const batch: string[] = [];
  let chars = 0;
  for (let i = from; i < to; i++) {
    const text = row(i);
    batch.push(text);
    chars += text.length;
    if (chars >= BATCH_CHARS) {
      out.push(batch.join(''));
      batch.length = 0;
      chars = 0;
    }
  }
  if (batch.length > 0) out.push(batch.join(''));
}
