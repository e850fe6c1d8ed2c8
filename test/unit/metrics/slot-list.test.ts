/**
 * The chunked slot list of the series store (retired and free slots) behaves as an array used as
 * a stack, across chunk edges, and `take` moves every slot, in order, whether or not the taker is
 * empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SlotList } from '../../../src/metrics/slot-list.js';

function contents(list: SlotList): number[] {
  return Array.from({ length: list.length }, (_, i) => list.at(i));
}

test('a slot list is a stack, across chunk edges', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('push', 'pop', 'bulk'), fc.integer({ min: 0, max: 40_000 })), {
        maxLength: 40,
      }),
      (ops) => {
        const list = new SlotList();
        const model: number[] = [];
        for (const [op, n] of ops) {
          if (op === 'push') {
            list.push(n);
            model.push(n);
          } else if (op === 'pop') {
            for (let k = 0; k < n % 20_000; k++) assert.equal(list.pop(), model.pop());
          } else {
            for (let k = 0; k < n; k++) {
              list.push(k);
              model.push(k);
            }
          }
          assert.equal(list.length, model.length);
        }
        assert.deepEqual(contents(list), model);
      },
    ),
    { numRuns: 60 },
  );
});

test('take moves every slot in order and empties the other list', () => {
  for (const [mine, theirs] of [
    [0, 20_000],
    [5, 20_000],
    [16_384, 3],
    [0, 0],
  ] as const) {
    const a = new SlotList();
    const b = new SlotList();
    for (let i = 0; i < mine; i++) a.push(i);
    for (let i = 0; i < theirs; i++) b.push(100_000 + i);
    a.take(b);
    assert.equal(b.length, 0);
    assert.deepEqual(contents(a), [
      ...Array.from({ length: mine }, (_, i) => i),
      ...Array.from({ length: theirs }, (_, i) => 100_000 + i),
    ]);
    b.push(7);
    assert.equal(b.pop(), 7);
  }
});

test('a list of a few slots holds a few slots’ worth of memory, not a whole chunk', () => {
  // Every metric that ever frees a slot keeps two of these lists; a full 64 KiB chunk each made a
  // registry of a thousand such metrics hold over 100 MB. Memory outside the heap only grows
  // between these two reads (a collection could only lower it), so the bound cannot flake.
  const before = process.memoryUsage().arrayBuffers;
  const lists = Array.from({ length: 200 }, (_, i) => {
    const list = new SlotList();
    list.push(i);
    list.push(i + 1);
    return list;
  });
  const added = process.memoryUsage().arrayBuffers - before;
  assert.ok(added < 1_000_000, `200 lists of two slots took ${added} bytes outside the heap`);
  assert.deepEqual(contents(lists[7]!), [7, 8]);
});
