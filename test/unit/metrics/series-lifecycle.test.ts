/**
 * Series lifecycle: the `maxSeries` cap with its overflow series and self-metric, `ttlSeconds`
 * expiry driven by an injected clock (no sleeping), revival through held children, and how
 * `remove()` and `reset()` interact with both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../../src/exposition/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  MetricDefinitionError,
  OVERFLOW_LABEL_VALUE,
  OVERFLOW_METRIC_NAME,
  Registry,
  RegistryOptionError,
  Summary,
} from '../../../src/index.js';

/** A clock the test moves by hand, in milliseconds. */
function manualClock(start = 1_000_000): { now: () => number; advance: (seconds: number) => void } {
  let ms = start;
  return { now: () => ms, advance: (seconds) => (ms += seconds * 1000) };
}

async function series(registry: Registry, name: string): Promise<[Record<string, string>, number][]> {
  const family = (await registry.collect()).find((f) => f.name === name);
  if (family === undefined) return [];
  return family.points.map((p) => [
    Object.fromEntries(p.labels.names.map((n, i) => [n, p.labels.values[i]!])),
    'value' in p ? p.value : p.count,
  ]);
}

async function overflowCount(registry: Registry, metric: string): Promise<number | undefined> {
  return (await series(registry, OVERFLOW_METRIC_NAME)).find(([l]) => l.metric === metric)?.[1];
}

function captureWarnings(t: { after: (fn: () => void) => void }): string[] {
  const messages: string[] = [];
  const listener = (w: Error): void => {
    if (w.name === 'SeriesOverflowWarning') messages.push(w.message);
  };
  process.on('warning', listener);
  t.after(() => process.off('warning', listener));
  return messages;
}

/** Warnings are delivered on a later tick. */
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('past maxSeries, new label sets go to the overflow series and totals stay exact', async (t) => {
  const warnings = captureWarnings(t);
  const registry = new Registry();
  const c = new Counter({
    name: 'capped_requests_total',
    help: 'h',
    labelNames: ['path', 'method'] as const,
    constLabels: { app: 'x' },
    maxSeries: 3,
    registry,
  });
  assert.equal(await overflowCount(registry, 'capped_requests_total'), 0);
  let total = 0;
  for (let i = 0; i < 10; i++) {
    c.inc({ path: `/p${i}`, method: 'GET' }, i + 1);
    total += i + 1;
  }
  c.inc({ path: '/p0', method: 'GET' }, 100);
  total += 100;
  const got = await series(registry, 'capped_requests_total');
  assert.equal(got.length, 4);
  assert.equal(
    got.reduce((sum, [, v]) => sum + v, 0),
    total,
  );
  const overflow = got.find(([l]) => l.path === OVERFLOW_LABEL_VALUE);
  assert.deepEqual(overflow, [
    { app: 'x', method: OVERFLOW_LABEL_VALUE, path: OVERFLOW_LABEL_VALUE },
    4 + 5 + 6 + 7 + 8 + 9 + 10,
  ]);
  assert.equal(c.get({ path: '/p0', method: 'GET' }), 101);
  assert.equal(c.get({ path: '/p9', method: 'GET' }), undefined);
  assert.equal(await overflowCount(registry, 'capped_requests_total'), 7);
  await nextTick();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /capped_requests_total/);
  assert.match(warnings[0]!, /3 series/);
});

test('the overflow series of a histogram and a gauge take the refused updates', async () => {
  const registry = new Registry();
  const h = new Histogram({
    name: 'capped_seconds',
    help: 'h',
    labelNames: ['a'] as const,
    maxSeries: 1,
    registry,
  });
  const g = new Gauge({
    name: 'capped_gauge',
    help: 'h',
    labelNames: ['a'] as const,
    maxSeries: 1,
    registry,
  });
  for (const a of ['x', 'y', 'z']) {
    h.observe({ a }, 1);
    g.inc({ a });
  }
  assert.equal(h.get({ a: OVERFLOW_LABEL_VALUE })?.count, 2);
  assert.equal(g.get({ a: OVERFLOW_LABEL_VALUE }), 2);
  assert.equal(await overflowCount(registry, 'capped_seconds'), 2);
  assert.equal(await overflowCount(registry, 'capped_gauge'), 2);
  // The label set of the overflow series addresses it, so it never appears twice.
  g.inc({ a: OVERFLOW_LABEL_VALUE });
  assert.equal((await series(registry, 'capped_gauge')).length, 2);
});

test('the registry default cap applies to metrics that set none; a metric option wins', async () => {
  const registry = new Registry({ defaultMaxSeries: 2 });
  const a = new Counter({ name: 'a_total', help: 'h', labelNames: ['k'] as const, registry });
  const b = new Counter({
    name: 'b_total',
    help: 'h',
    labelNames: ['k'] as const,
    registry,
    maxSeries: Infinity,
  });
  for (let i = 0; i < 5; i++) {
    a.inc({ k: String(i) });
    b.inc({ k: String(i) });
  }
  assert.equal((await series(registry, 'a_total')).length, 3);
  assert.equal((await series(registry, 'b_total')).length, 5);
  assert.equal(a.maxSeries, 2);
  assert.equal(b.maxSeries, Infinity);
  assert.equal(await overflowCount(registry, 'b_total'), undefined);
});

test('bad lifecycle options are typed errors naming the metric or option and the value', () => {
  assert.throws(
    () =>
      new Counter({ name: 'x_total', help: 'h', labelNames: ['a'] as const, maxSeries: 0, registry: null }),
    (e: unknown) =>
      e instanceof MetricDefinitionError && /x_total/.test(e.message) && /maxSeries.*0/.test(e.message),
  );
  assert.throws(
    () => new Counter({ name: 'x_total', help: 'h', ttlSeconds: -1, registry: null }),
    (e: unknown) => e instanceof MetricDefinitionError && /ttlSeconds.*-1/.test(e.message),
  );
  assert.throws(
    () => new Counter({ name: 'x_total', help: 'h', maxSeries: 1.5, registry: null }),
    MetricDefinitionError,
  );
  assert.throws(
    () => new Registry({ defaultTtlSeconds: Number.NaN }),
    (e: unknown) => e instanceof RegistryOptionError && /defaultTtlSeconds.*NaN/.test(e.message),
  );
  assert.throws(() => new Registry({ defaultMaxSeries: -3 }), RegistryOptionError);
});

test('a series not updated for ttlSeconds leaves the exposition; updated ones stay', async () => {
  const clock = manualClock();
  const registry = new Registry();
  const c = new Counter({
    name: 'ttl_total',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 60,
    clock: clock.now,
    registry,
  });
  c.inc({ k: 'old' });
  c.inc({ k: 'busy' });
  for (let s = 0; s < 4; s++) {
    clock.advance(15);
    await registry.collect();
  }
  // 60 s after the updates, but only 45 s after the collection that followed them: both stay.
  assert.equal((await series(registry, 'ttl_total')).length, 2);
  c.inc({ k: 'busy' });
  clock.advance(15);
  await registry.collect();
  assert.deepEqual(
    (await series(registry, 'ttl_total')).map(([l]) => l.k),
    ['busy'],
  );
  assert.equal(c.get({ k: 'old' }), undefined);
  for (let s = 0; s < 3; s++) {
    clock.advance(15);
    c.inc({ k: 'busy' });
    await registry.collect();
  }
  assert.deepEqual(await series(registry, 'ttl_total'), [[{ k: 'busy' }, 5]]);
});

test('a series never leaves before its TTL, however collections fall', async () => {
  const clock = manualClock();
  const registry = new Registry();
  const g = new Gauge({
    name: 'ttl_gauge',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 10,
    clock: clock.now,
    registry,
  });
  g.set({ k: 'a' }, 1);
  clock.advance(9.999);
  await registry.collect();
  assert.equal((await series(registry, 'ttl_gauge')).length, 1);
  clock.advance(0.002);
  // The update lies before the previous collection, which is now more than 10 s ago.
  assert.equal((await series(registry, 'ttl_gauge')).length, 1);
  clock.advance(10);
  assert.equal((await series(registry, 'ttl_gauge')).length, 0);
});

test('a held child that outlived its series brings it back with its full value', async () => {
  const clock = manualClock();
  const registry = new Registry();
  const c = new Counter({
    name: 'revive_total',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 30,
    clock: clock.now,
    registry,
  });
  const h = new Histogram({
    name: 'revive_seconds',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 30,
    clock: clock.now,
    registry,
  });
  const s = new Summary({
    name: 'revive_summary',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 30,
    clock: clock.now,
    registry,
  });
  const child = c.labels({ k: 'held' });
  const hchild = h.labels({ k: 'held' });
  const schild = s.labels({ k: 'held' });
  child.inc(41);
  hchild.observe(0.5);
  schild.observe(2);
  for (let i = 0; i < 4; i++) {
    clock.advance(30);
    await registry.collect();
  }
  assert.deepEqual(await series(registry, 'revive_total'), []);
  assert.deepEqual(await series(registry, 'revive_seconds'), []);
  assert.deepEqual(await series(registry, 'revive_summary'), []);
  child.inc();
  hchild.observe(0.5);
  schild.observe(2);
  assert.deepEqual(await series(registry, 'revive_total'), [[{ k: 'held' }, 42]]);
  assert.deepEqual(await series(registry, 'revive_seconds'), [[{ k: 'held' }, 2]]);
  assert.deepEqual(await series(registry, 'revive_summary'), [[{ k: 'held' }, 2]]);
  // Through the metric as well: the same child, never a second series of the same labels.
  for (let i = 0; i < 4; i++) {
    clock.advance(30);
    await registry.collect();
  }
  assert.equal(c.labels({ k: 'held' }), child);
  c.inc({ k: 'held' });
  assert.deepEqual(await series(registry, 'revive_total'), [[{ k: 'held' }, 43]]);
});

test('remove() zeroes a series and takes it out; it comes back from zero, also through a held child', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'removed_total', help: 'h', labelNames: ['k'] as const, registry });
  const held = c.labels({ k: 'a' });
  held.inc(5);
  c.inc({ k: 'b' }, 7);
  assert.equal(c.remove({ k: 'a' }), true);
  assert.equal(c.remove({ k: 'a' }), false);
  assert.deepEqual(await series(registry, 'removed_total'), [[{ k: 'b' }, 7]]);
  held.inc();
  assert.deepEqual(await series(registry, 'removed_total'), [
    [{ k: 'a' }, 1],
    [{ k: 'b' }, 7],
  ]);
  assert.equal(c.labels({ k: 'a' }), held);
});

test('reset() takes every series out, zeroed; held children and new updates start from zero', async () => {
  const clock = manualClock();
  const registry = new Registry();
  const c = new Counter({
    name: 'reset_total',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 60,
    clock: clock.now,
    registry,
  });
  const held = c.labels({ k: 'a' });
  held.inc(5);
  c.inc({ k: 'b' }, 7);
  c.reset();
  assert.deepEqual(await series(registry, 'reset_total'), []);
  held.inc();
  c.inc({ k: 'b' });
  assert.deepEqual(await series(registry, 'reset_total'), [
    [{ k: 'a' }, 1],
    [{ k: 'b' }, 1],
  ]);
  // Expiry still applies to the series brought back.
  for (let i = 0; i < 3; i++) {
    clock.advance(60);
    await registry.collect();
  }
  assert.deepEqual(await series(registry, 'reset_total'), []);
});

test('expired series free room under the cap; the overflow series expires and comes back too', async () => {
  const clock = manualClock();
  const registry = new Registry({ defaultMaxSeries: 2, defaultTtlSeconds: 10 });
  const c = new Counter({
    name: 'both_total',
    help: 'h',
    labelNames: ['k'] as const,
    clock: clock.now,
    registry,
  });
  c.inc({ k: 'a' });
  c.inc({ k: 'b' });
  c.inc({ k: 'c' });
  assert.equal(c.get({ k: OVERFLOW_LABEL_VALUE }), 1);
  for (let i = 0; i < 3; i++) {
    clock.advance(10);
    await registry.collect();
  }
  assert.deepEqual(await series(registry, 'both_total'), []);
  c.inc({ k: 'c' });
  c.inc({ k: 'd' });
  c.inc({ k: 'e' });
  assert.deepEqual(
    (await series(registry, 'both_total')).map(([l, v]) => [l.k, v]),
    [
      // The metric holds its overflow series, so like any held child it comes back with its value.
      [OVERFLOW_LABEL_VALUE, 2],
      ['c', 1],
      ['d', 1],
    ],
  );
  assert.equal(await overflowCount(registry, 'both_total'), 2);
});

test('a metric without labels ignores the lifecycle rules: its one series stays', async () => {
  const clock = manualClock();
  const registry = new Registry({ defaultMaxSeries: 1, defaultTtlSeconds: 1 });
  const c = new Counter({ name: 'plain_total', help: 'h', clock: clock.now, registry });
  c.inc();
  clock.advance(100);
  await registry.collect();
  clock.advance(100);
  assert.match(renderText(await registry.collect()), /^plain_total 1$/m);
});

test('a capped metric refused by its registry leaves no overflow entry behind', async () => {
  const registry = new Registry();
  new Gauge({ name: 'taken', help: 'h', registry });
  assert.throws(
    () => new Counter({ name: 'taken', help: 'h', labelNames: ['k'] as const, maxSeries: 2, registry }),
  );
  assert.equal(await overflowCount(registry, 'taken_total'), undefined);
});

test('expiry of many series (the pass in slices): a series updated or removed meanwhile is handled', async () => {
  const clock = manualClock();
  const registry = new Registry();
  const c = new Counter({
    name: 'many_ttl_total',
    help: 'h',
    labelNames: ['k'] as const,
    ttlSeconds: 10,
    clock: clock.now,
    registry,
  });
  const n = 40_000;
  for (let i = 0; i < n; i++) c.inc({ k: `s${i}` });
  const held = c.labels({ k: 's7' });
  held.inc(4);
  assert.equal((await series(registry, 'many_ttl_total')).length, n);
  clock.advance(11);
  await registry.collect();
  clock.advance(11);
  const collecting = registry.collect();
  // During the expiry's pauses: one series is updated, one removed; neither may break the pass.
  await new Promise((resolve) => setImmediate(resolve));
  c.inc({ k: 's123' }, 2);
  c.remove({ k: 's456' });
  const families = await collecting;
  const left = families.find((f) => f.name === 'many_ttl_total')?.points ?? [];
  assert.ok(left.length <= 1, `${left.length} series left`);
  // The held series comes back with its full value at its next update.
  held.inc();
  const after = await series(registry, 'many_ttl_total');
  assert.deepEqual(
    after.filter(([l]) => l.k === 's7'),
    [[{ k: 's7' }, 6]],
  );
  // s123 was either updated during the pass and stayed (1 + 2), or taken out first and came back
  // from zero (2); one more increment makes 4 or 3.
  c.inc({ k: 's123' });
  assert.equal(c.get({ k: 's123' }), left.length === 1 ? 4 : 3);
  assert.equal(c.get({ k: 's456' }), undefined);
});

test('reset() of many series starts over at once; a sort in slices running then is dropped', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'many_reset_total', help: 'h', labelNames: ['k'] as const, registry });
  const n = 40_000;
  for (let i = 0; i < n; i++) c.inc({ k: `s${i}` }, i);
  const held = c.labels({ k: 's9' });
  const collecting = registry.collect();
  c.reset();
  c.inc({ k: 'after' }, 3);
  await collecting;
  assert.deepEqual(await series(registry, 'many_reset_total'), [[{ k: 'after' }, 3]]);
  held.inc();
  assert.deepEqual(await series(registry, 'many_reset_total'), [
    [{ k: 'after' }, 3],
    [{ k: 's9' }, 1],
  ]);
  for (let i = 0; i < 100; i++) c.inc({ k: `s${i}` });
  assert.equal((await series(registry, 'many_reset_total')).length, 101);
  assert.equal(c.get({ k: 's5' }), 1);
});

test('reset() of a histogram, a gauge and a summary with many series leaves them usable', async () => {
  const registry = new Registry();
  const h = new Histogram({ name: 'many_reset_seconds', help: 'h', labelNames: ['k'] as const, registry });
  const g = new Gauge({ name: 'many_reset_gauge', help: 'h', labelNames: ['k'] as const, registry });
  const s = new Summary({ name: 'many_reset_summary', help: 'h', labelNames: ['k'] as const, registry });
  for (let i = 0; i < 1000; i++) {
    h.observe({ k: `s${i}` }, i / 100);
    g.set({ k: `s${i}` }, i);
    s.observe({ k: `s${i}` }, i);
  }
  for (const m of [h, g, s]) m.reset();
  h.observe({ k: 'x' }, 0.2);
  g.set({ k: 'x' }, 2);
  s.observe({ k: 'x' }, 3);
  const text = renderText(await registry.collect());
  assert.match(text, /many_reset_seconds_count\{k="x"\} 1\n/);
  assert.match(text, /many_reset_gauge\{k="x"\} 2\n/);
  assert.match(text, /many_reset_summary_count\{k="x"\} 1\n/);
  assert.doesNotMatch(text, /k="s1"/);
});
