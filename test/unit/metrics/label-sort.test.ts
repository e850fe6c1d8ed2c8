/**
 * The radix sort of series by label values: the same order as a comparator sort in UTF-8
 * byte order, label by label, for values with shared prefixes, empty values, prefixes of each
 * other, surrogate pairs and characters above U+E000; in one piece and in slices. And the merge of
 * new series into a sorted order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { merge, mergeInSlices, sortSlots, sortSlotsInSlices } from '../../../src/metrics/label-sort.js';
import { compareUtf8 } from '../../../src/model/byte-order.js';

/** Label values from a small alphabet, so that equal values, shared prefixes and prefixes abound. */
const value = fc
  .array(fc.constantFrom('a', 'b', 'z', '/', '0', '\uFFFD', '\uE000', '\u{1F600}', '\u{10FFFF}', 'é'), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

function byColumns(columns: readonly (readonly string[])[]): (a: number, b: number) => number {
  return (a, b) => {
    for (const column of columns) {
      const c = compareUtf8(column[a]!, column[b]!);
      if (c !== 0) return c;
    }
    return a - b;
  };
}

/** Rows of 1-3 label values; duplicates allowed (the store never has them, the order must still hold). */
const table = fc
  .integer({ min: 1, max: 3 })
  .chain((width) => fc.array(fc.array(value, { minLength: width, maxLength: width }), { maxLength: 400 }));

function columnsOf(rows: readonly string[][]): string[][] {
  const width = rows[0]?.length ?? 1;
  return Array.from({ length: width }, (_, k) => rows.map((row) => row[k]!));
}

/** The label values of the sorted slots, which is what the order decides. */
function valuesIn(slots: Int32Array, columns: readonly string[][]): string[][] {
  return [...slots].map((slot) => columns.map((column) => column[slot]!));
}

test('sortSlots orders slots as a UTF-8 comparator sort does, label by label', () => {
  fc.assert(
    fc.property(table, (rows) => {
      const columns = columnsOf(rows);
      const slots = Int32Array.from(rows.keys());
      sortSlots(slots, columns);
      const expected = Int32Array.from([...rows.keys()].sort(byColumns(columns)));
      assert.deepEqual(valuesIn(slots, columns), valuesIn(expected, columns));
      assert.deepEqual(
        [...slots].sort((a, b) => a - b),
        [...rows.keys()],
      );
    }),
    { numRuns: 300 },
  );
});

test('the sort in slices gives the same order and yields on a large sort', async () => {
  const n = 60_000;
  const columns = [
    Array.from({ length: n }, (_, i) => `value_${i % 7}`),
    Array.from({ length: n }, (_, i) => `path/${(i * 7919) % n}`),
  ];
  const slots = Int32Array.from({ length: n }, (_, i) => i);
  let turns = 0;
  const ticking = setInterval(() => turns++, 0);
  await sortSlotsInSlices(slots, columns, 0);
  clearInterval(ticking);
  const expected = Int32Array.from({ length: n }, (_, i) => i).sort(byColumns(columns));
  assert.deepEqual(slots, expected);
  assert.ok(turns > 0, 'the event loop had no turn during the sort');
});

test('merge and mergeInSlices insert sorted new slots into a sorted order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 0, max: 2000 }), { maxLength: 300 }),
      fc.nat(300),
      async (keys, split) => {
        const compare = (a: number, b: number): number => keys[a]! - keys[b]!;
        const all = [...keys.keys()];
        const order = Int32Array.from(all.slice(split)).sort(compare);
        const added = Int32Array.from(all.slice(0, split)).sort(compare);
        const expected = Int32Array.from(all).sort(compare);
        assert.deepEqual(merge(order, added, compare), expected);
        assert.deepEqual(await mergeInSlices(order, added, compare, 0), expected);
      },
    ),
    { numRuns: 200 },
  );
});
