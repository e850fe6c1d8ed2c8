/**
 * Sample lines of many series, gathered into flat strings a few hundred at a time: a few hundred
 * short-lived line strings die young, where a hundred thousand kept until one final join survive
 * every minor garbage collection, which then becomes most of a render's cost.
 */

const BATCH_ROWS = 512;

/** Pushes onto `out` the text of rows `from` (inclusive) to `to` (exclusive), joined in batches. */
export function pushRows(out: string[], from: number, to: number, row: (i: number) => string): void {
  const batch: string[] = [];
  for (let start = from; start < to; start += BATCH_ROWS) {
    const end = Math.min(to, start + BATCH_ROWS);
    batch.length = 0;
    for (let i = start; i < end; i++) batch.push(row(i));
    out.push(batch.join(''));
  }
}
