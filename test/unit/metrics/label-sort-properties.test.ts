/**
 * The radix sort of series by label values against a comparator sort in UTF-8 byte order, on
 * random tables built to reach every path of it: shared prefixes, few distinct values (the same
 * string object or equal copies), empty values, values that are prefixes of others, surrogate
 * pairs, lone surrogates and U+E000-U+FFFF, one to six labels, and sizes about each threshold
 * (insertion sort, bucket budget, comparison fallback, step work). In one piece, a few elements
 * at a time, and in slices.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SlotSort, sortSlots, sortSlotsInSlices } from '../../../src/metrics/label-sort.js';
import { compareUtf8 } from '../../../src/model/byte-order.js';

/** Units a value's tail is made of: ASCII only (the two-unit buckets), or spread wide (one unit, comparisons). */
const NARROW = ['0', '1', '9', 'a', 'b', 'z', '/', '_'];
const WIDE = [
  'a',
  'z',
  '/',
  '\u0000',
  'é',
  '\uD7FF',
  '\uE000',
  '\uFFFD',
  '\uFFFF',
  '\u{1F600}',
  '\u{10FFFF}',
  '\uD800',
];
const PREFIXES = ['', '', 'value_', 'path/', 'a', 'ab'];
const SIZES = [0, 1, 2, 15, 16, 17, 18, 63, 64, 65, 100, 255, 256, 257, 1023, 1024, 1025, 2000];

interface Shape {
  readonly size: number;
  readonly width: number;
  readonly wide: boolean;
  /** Per column: how many distinct values it draws from (0: a fresh value per row). */
  readonly pools: readonly number[];
  readonly seed: number;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  size: fc.oneof(fc.constantFrom(...SIZES), fc.integer({ min: 0, max: 2100 })),
  width: fc.integer({ min: 1, max: 6 }),
  wide: fc.boolean(),
  pools: fc.array(fc.constantFrom(0, 0, 1, 2, 3, 10, 50), { minLength: 6, maxLength: 6 }),
  seed: fc.integer(),
});

/** A small deterministic generator (mulberry32), so a failing shape replays exactly. */
function random(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tableOf({ size, width, wide, pools, seed }: Shape): string[][] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const units = wide ? WIDE : NARROW;
  const fresh = (prefix: string): string => {
    let value = prefix;
    for (let n = Math.floor(next() * 7); n > 0; n--) value += pick(units);
    return value;
  };
  return Array.from({ length: width }, (_, k) => {
    const prefix = pick(PREFIXES);
    const pool = Array.from({ length: pools[k]! }, () => fresh(prefix));
    return Array.from({ length: size }, () => {
      if (pool.length === 0) return fresh(prefix);
      const value = pick(pool);
      // Equal values are sometimes the same string, sometimes an equal copy.
      return next() < 0.5 ? value : [...value].join('');
    });
  });
}

function byColumns(columns: readonly (readonly string[])[]): (a: number, b: number) => number {
  return (a, b) => {
    for (const column of columns) {
      const c = compareUtf8(column[a]!, column[b]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** The slots sorted hold the label values in the reference order, and each slot once. */
function assertSorted(slots: Int32Array, columns: readonly (readonly string[])[]): void {
  const size = slots.length;
  const rows = (order: Iterable<number>) => [...order].map((slot) => columns.map((column) => column[slot]!));
  const expected = Array.from({ length: size }, (_, i) => i).sort(byColumns(columns));
  assert.deepEqual(rows(slots), rows(expected));
  assert.deepEqual(
    [...slots].sort((a, b) => a - b),
    Array.from({ length: size }, (_, i) => i),
  );
}

/** Slots in a shuffled order, so that no input arrives sorted. */
function shuffledSlots(size: number, seed: number): Int32Array {
  const next = random(~seed);
  const slots = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots;
}

test('sortSlots orders random tables as a UTF-8 comparator sort does', () => {
  fc.assert(
    fc.property(shape, (s) => {
      const columns = tableOf(s);
      const slots = shuffledSlots(s.size, s.seed);
      sortSlots(slots, columns);
      assertSorted(slots, columns);
    }),
    { numRuns: 400 },
  );
});

test('a sort taken a few elements at a time gives the same order, each step within its work', () => {
  fc.assert(
    fc.property(shape, fc.integer({ min: 1, max: 40 }), (s, work) => {
      const columns = tableOf(s);
      const slots = shuffledSlots(s.size, s.seed);
      const sort = new SlotSort(slots, columns);
      // A pass or two per unit read, at most a dozen units per value: a sort that makes no progress fails here.
      const most = (s.size * s.width * 64) / work + s.size + 1;
      let steps = 1;
      while (!sort.step(work)) {
        steps++;
        assert.ok(steps <= most, `more than ${most} steps of ${work}`);
      }
      assertSorted(slots, columns);
      // Every slot is looked at at least once, and a step stops within an insertion sort (16) of its work.
      if (s.size > 16) assert.ok(steps >= Math.floor(s.size / (work + 16)), `${steps} steps of ${work}`);
    }),
    { numRuns: 300 },
  );
});

test('sortSlotsInSlices with a zero slice gives the same order on ranges larger than a step', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 16_000, max: 40_000 }), fc.integer(), async (size, seed) => {
      const columns = tableOf({ size, width: 3, wide: seed % 2 === 0, pools: [10, 0, 0], seed });
      const slots = shuffledSlots(size, seed);
      await sortSlotsInSlices(slots, columns, 0);
      assertSorted(slots, columns);
    }),
    { numRuns: 6 },
  );
});
