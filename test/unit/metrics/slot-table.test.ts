/**
 * The slot table, the index from label values to slot: agrees with a Map over any sequence of
 * inserts and deletes, also when every hash collides (backward-shift deletion must keep each run
 * reachable); and the lookup fast path never takes a label from a prototype.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Counter } from '../../../src/index.js';
import { hashValues, SlotTable } from '../../../src/metrics/slot-table.js';

type Op = { readonly insert: boolean; readonly key: number };

/** Runs `ops` on a table whose hash of key k is `hash(k)` and on a Map; both must agree after each. */
function agrees(ops: readonly Op[], hash: (key: number) => number): void {
  const column: string[] = [];
  const table = new SlotTable([column]);
  const model = new Map<string, number>();
  const free: number[] = [];
  let top = 0;
  for (const { insert, key } of ops) {
    const value = `v${key}`;
    const found = table.find([value], hash(key));
    assert.equal(found, model.get(value) ?? -1, `find ${value}`);
    if (insert && found < 0) {
      const slot = free.pop() ?? top++;
      table.grow(top);
      column[slot] = value;
      table.insert(slot, hash(key));
      model.set(value, slot);
    } else if (!insert && found >= 0) {
      table.delete(found);
      model.delete(value);
      free.push(found);
    }
    assert.equal(table.size, model.size);
  }
  for (const [value, slot] of model) assert.equal(table.find([value], hash(Number(value.slice(1)))), slot);
}

const ops = fc.array(fc.record({ insert: fc.boolean(), key: fc.integer({ min: 0, max: 300 }) }), {
  maxLength: 600,
});

test('the slot table agrees with a Map over inserts and deletes', () => {
  fc.assert(
    fc.property(ops, (list) => agrees(list, (k) => hashValues([`v${k}`]))),
    { numRuns: 200 },
  );
});

test('the slot table agrees with a Map when hashes collide (runs across deletions and wrap-around)', () => {
  // Few distinct hashes, some at the end of the bucket array, so runs wrap and overlap.
  fc.assert(
    fc.property(ops, (list) => agrees(list, (k) => [0, 1, 7, -1, 0x7fffffff][k % 5]!)),
    { numRuns: 200 },
  );
});

test('the slot table grows and shrinks with its entries', () => {
  const column: string[] = [];
  const table = new SlotTable([column]);
  table.grow(10_000);
  for (let slot = 0; slot < 10_000; slot++) {
    column[slot] = String(slot);
    table.insert(slot, hashValues([column[slot]!]));
  }
  const grownTo = table.buckets.length;
  assert.ok(grownTo >= (10_000 * 4) / 3, `${grownTo} buckets for 10,000 entries`);
  for (let slot = 0; slot < 9_990; slot++) table.delete(slot);
  assert.ok(table.buckets.length < grownTo / 8, `${table.buckets.length} buckets left for 10 entries`);
  for (let slot = 9_990; slot < 10_000; slot++)
    assert.equal(table.find([String(slot)], hashValues([String(slot)])), slot);
});

test('the lookup never takes a label from a polluted Object.prototype', () => {
  const c = new Counter({
    name: 'pollute_total',
    help: 'h',
    labelNames: ['method', 'code'] as const,
    registry: null,
  });
  c.inc({ method: 'GET', code: '200' });
  const proto = Object.prototype as Record<string, unknown>;
  proto.code = '200';
  try {
    assert.throws(() => (c.inc as (l: unknown) => void)({ method: 'GET' }), /missing "code"/);
    // With an own `code` the label set is right, pollution or not.
    c.inc({ method: 'GET', code: '200' });
  } finally {
    delete proto.code;
  }
  assert.equal(c.get({ method: 'GET', code: '200' }), 2);
});

test('records without Object.prototype, and class instances, find their series', () => {
  const c = new Counter({
    name: 'records_total',
    help: 'h',
    labelNames: ['a', 'b', 'c', 'd'] as const,
    registry: null,
  });
  const bare = Object.assign(Object.create(null) as Record<string, string>, {
    a: '1',
    b: '2',
    c: '3',
    d: '4',
  });
  class Labels {
    constructor(
      readonly a: string,
      readonly b: string,
      readonly c: string,
      readonly d: string,
    ) {}
  }
  c.inc(bare as { a: string; b: string; c: string; d: string });
  c.inc(new Labels('1', '2', '3', '4'));
  c.inc({ a: '1', b: '2', c: '3', d: '4' });
  assert.equal(c.get({ a: '1', b: '2', c: '3', d: '4' }), 3);
  for (const names of [['a'], ['a', 'b'], ['a', 'b', 'c']] as const) {
    const m = new Counter({
      name: `arity_${names.length}_total`,
      help: 'h',
      labelNames: names,
      registry: null,
    });
    const record = Object.fromEntries(names.map((n) => [n, n]));
    m.inc(record as never);
    m.inc(Object.assign(Object.create(null) as object, record) as never);
    assert.equal(m.get(record as never), 2);
  }
});

test('long label values (whose hashes are remembered, up to a bound) find their series past the bound', () => {
  const c = new Counter({
    name: 'long_values_total',
    help: 'h',
    labelNames: ['route', 'method'] as const,
    registry: null,
  });
  const route = (i: number): string => `/api/v1/tenants/:tenant/projects/${i}/items`;
  const n = 20_000;
  for (let i = 0; i < n; i++) c.inc({ route: route(i), method: 'GET' }, i);
  // Fresh copies of the strings, looked up after the memory of hashes started over several times.
  for (let i = 0; i < n; i += 7) assert.equal(c.get({ route: route(i), method: 'GET' }), i, route(i));
  c.inc({ route: route(5), method: 'GET' });
  assert.equal(c.get({ route: route(5), method: 'GET' }), 6);
  assert.equal(c.snapshot().points.length, n);
});
