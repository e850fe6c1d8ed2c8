/**
 * The series store by slot: exposition order in UTF-8 byte order (also for many series sorted in
 * slices, and for series created while such a sort runs), slot reuse that never lets a held series
 * write into another series' slot, and snapshots that do not change after they are taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../../src/exposition/index.js';
import { Counter, Gauge, type GaugePoint, Histogram, Registry } from '../../../src/index.js';
import { compareUtf8 } from '../../../src/model/byte-order.js';

function labelsOf(family: { points: readonly { labels: { values: readonly string[] } }[] }): string[][] {
  return family.points.map((p) => [...p.labels.values]);
}

function byUtf8(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareUtf8(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

test('series are exposed in UTF-8 byte order of their label values, surrogates included', () => {
  const c = new Counter({ name: 'order_total', help: 'h', labelNames: ['b', 'a'] as const, registry: null });
  const values = ['z', 'a', '\u{1F600}', '\uFFFD', 'é', 'A', ''];
  for (const a of values) for (const b of ['2', '1']) c.inc({ a, b });
  const got = labelsOf(c.snapshot());
  assert.equal(got.length, values.length * 2);
  assert.deepEqual(got, [...got].sort(byUtf8));
  // U+1F600 (a surrogate pair in UTF-16) sorts after U+FFFD in UTF-8, unlike with `<`.
  const order = got.map(([a]) => a);
  assert.ok(order.indexOf('\uFFFD') < order.indexOf('\u{1F600}'));
});

test('many new series are sorted in slices at collection; series created meanwhile come next time', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'many_total', help: 'h', labelNames: ['k'] as const, registry });
  const n = 30_000;
  for (let i = 0; i < n; i++) c.inc({ k: `key-${(i * 7919) % n}` }, 1);
  const collecting = registry.collect();
  // The collection has to give the event loop a turn; updates made then are not lost.
  c.inc({ k: 'late' }, 5);
  c.inc({ k: 'key-0' }, 1);
  const first = (await collecting).find((f) => f.name === 'many_total')!;
  const firstLabels = labelsOf(first).map(([k]) => k!);
  assert.ok(firstLabels.length === n || firstLabels.length === n + 1);
  assert.deepEqual(firstLabels, [...firstLabels].sort(compareUtf8));
  const second = (await registry.collect()).find((f) => f.name === 'many_total')!;
  const keys = labelsOf(second).map(([k]) => k!);
  assert.equal(keys.length, n + 1);
  assert.deepEqual(keys, [...keys].sort(compareUtf8));
  assert.equal(c.get({ k: 'late' }), 5);
  assert.equal(c.get({ k: 'key-0' }), 2);
});

test('a held series whose slot was freed and reused comes back in a slot of its own', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'reuse_total', help: 'h', labelNames: ['k'] as const, registry });
  const h = new Histogram({ name: 'reuse_seconds', help: 'h', labelNames: ['k'] as const, registry });
  const held = c.labels({ k: 'a' });
  const heldHistogram = h.labels({ k: 'a' });
  held.inc(3);
  heldHistogram.observe(1);
  assert.equal(c.remove({ k: 'a' }), true);
  assert.equal(h.remove({ k: 'a' }), true);
  // The collection frees the slot, and the next new series takes it.
  await registry.collect();
  c.inc({ k: 'b' }, 10);
  h.observe({ k: 'b' }, 100);
  held.inc(2);
  heldHistogram.observe(2);
  assert.equal(c.get({ k: 'b' }), 10);
  assert.equal(c.get({ k: 'a' }), 2);
  assert.equal(held.get(), 2);
  assert.equal(h.get({ k: 'b' })?.sum, 100);
  assert.equal(h.get({ k: 'a' })?.sum, 2);
  assert.match(renderText(await registry.collect()), /^reuse_total\{k="a"\} 2\nreuse_total\{k="b"\} 10$/m);
});

test('a snapshot does not change when series are updated, removed and reused after it', async () => {
  const g = new Gauge({ name: 'frozen', help: 'h', labelNames: ['k'] as const, registry: null });
  g.set({ k: 'a' }, 1);
  g.set({ k: 'b' }, 2);
  const snapshot = g.snapshot();
  g.set({ k: 'a' }, 100);
  g.remove({ k: 'b' });
  g.snapshot();
  g.set({ k: 'c' }, 3);
  assert.equal(
    renderText([snapshot]),
    '# HELP frozen h\n# TYPE frozen gauge\nfrozen{k="a"} 1\nfrozen{k="b"} 2\n',
  );
  assert.deepEqual(
    (snapshot.points as readonly GaugePoint[]).map((p) => [p.labels.values[0], p.value]),
    [
      ['a', 1],
      ['b', 2],
    ],
  );
});

test('labels() returns the same object while it is held, for every type', () => {
  const c = new Counter({ name: 'same_total', help: 'h', labelNames: ['k'] as const, registry: null });
  const g = new Gauge({ name: 'same', help: 'h', labelNames: ['k'] as const, registry: null });
  const h = new Histogram({ name: 'same_seconds', help: 'h', labelNames: ['k'] as const, registry: null });
  assert.equal(c.labels({ k: 'x' }), c.labels({ k: 'x' }));
  assert.equal(g.labels({ k: 'x' }), g.labels({ k: 'x' }));
  assert.equal(h.labels({ k: 'x' }), h.labels({ k: 'x' }));
  assert.notEqual(c.labels({ k: 'x' }), c.labels({ k: 'y' }));
});
