/**
 * A columnar family is a plain object: its `points`, built from the columns on first read, are an
 * own enumerable property like any other, and its columns are invisible to everyone but the
 * library's encoders (a copy has none).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, type CounterFamily, labelSet } from '../../../src/index.js';
import { columnsOf, seriesCount } from '../../../src/model/columns.js';

function snapshot(): CounterFamily {
  const counter = new Counter({
    name: 'jobs_total',
    help: 'Jobs.',
    labelNames: ['queue'] as const,
    registry: null,
  });
  counter.inc({ queue: 'b' }, 2);
  counter.inc({ queue: 'a' }, 1);
  return counter.snapshot() as CounterFamily;
}

test('a columnar family is a plain object whose points are an own enumerable, frozen property', () => {
  const family = snapshot();
  assert.equal(Object.getPrototypeOf(family), Object.prototype);
  assert.deepEqual(Object.keys(family), ['name', 'help', 'type', 'points']);
  assert.equal(seriesCount(family), 2);
  const points = family.points;
  assert.ok(Object.isFrozen(points));
  assert.equal(family.points, points, 'built once, then kept');
  const descriptor = Object.getOwnPropertyDescriptor(family, 'points')!;
  assert.equal(descriptor.value, points);
  assert.equal(descriptor.enumerable, true);
  assert.equal(descriptor.writable, false);
  assert.deepStrictEqual(
    points.map((p) => [p.labels, p.value]),
    [
      [labelSet({ queue: 'a' }), 1],
      [labelSet({ queue: 'b' }), 2],
    ],
  );
});

test('spread and JSON copies carry the points and not the columns', () => {
  const family = snapshot();
  const copy = { ...family };
  assert.equal(columnsOf(copy), undefined);
  assert.ok(columnsOf(family) !== undefined);
  assert.equal(copy.points, family.points);
  const json = JSON.parse(JSON.stringify(family)) as { points: { value: number }[] };
  assert.deepEqual(
    json.points.map((p) => p.value),
    [1, 2],
  );
  assert.deepStrictEqual(Object.keys(json), ['name', 'help', 'type', 'points']);
});

test('points read through an object that inherits from the family are the family’s own', () => {
  const family = snapshot();
  const child = Object.create(family) as CounterFamily;
  const points = child.points;
  assert.equal(points.length, 2);
  assert.equal(family.points, points);
  assert.ok(Object.hasOwn(family, 'points'));
  assert.ok(!Object.hasOwn(child, 'points'));
});

test('the getter of points refuses an object that is no metric family', () => {
  const getter = Object.getOwnPropertyDescriptor(snapshot(), 'points')!.get!;
  assert.throws(() => getter.call({}), TypeError);
});

test('a snapshot’s escaping flags stay as they were when a later series needs escaping', () => {
  // Declared sorted, the snapshot shares the store's flags; unsorted, it builds its own.
  for (const labelNames of [
    ['a', 'b'],
    ['b', 'a'],
  ]) {
    const counter = new Counter({ name: 'flags_total', help: 'h', labelNames, registry: null });
    counter.inc({ a: 'plain', b: 'plain' });
    const before = counter.snapshot();
    assert.deepEqual(columnsOf(before)!.special, [false, false]);
    counter.inc({ a: 'say "hi"', b: 'back\\slash' });
    const after = counter.snapshot();
    assert.deepEqual(columnsOf(before)!.special, [false, false], `${labelNames}: the earlier snapshot`);
    assert.deepEqual(columnsOf(after)!.special, [true, true], `${labelNames}: the later one`);
  }
});
