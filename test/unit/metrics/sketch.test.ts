import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Summary } from '../../../src/index.js';
import { DDSketch } from '../../../src/metrics/sketch.js';

const value = fc.oneof(
  fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
  fc.double({ min: -1e9, max: -1e-9, noNaN: true }),
  fc.constant(0),
);

function exact(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

test('every quantile estimate is within the stated relative error of the exact rank value (property)', () => {
  for (const accuracy of [0.01, 0.05]) {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sketch = new DDSketch(accuracy);
          for (const v of values) sketch.add(v);
          const want = exact(
            [...values].sort((a, b) => a - b),
            q,
          );
          const got = sketch.quantile(q);
          // 1e-12 absorbs floating-point rounding in log/pow.
          return Math.abs(got - want) <= accuracy * Math.abs(want) * (1 + 1e-12);
        },
      ),
      { numRuns: 500 },
    );
  }
});

test('merging sketches equals one sketch fed every value', () => {
  fc.assert(
    fc.property(fc.array(value, { maxLength: 100 }), fc.array(value, { maxLength: 100 }), (a, b) => {
      const left = new DDSketch(0.01);
      const right = new DDSketch(0.01);
      const all = new DDSketch(0.01);
      for (const v of a) left.add(v);
      for (const v of b) right.add(v);
      for (const v of [...a, ...b]) all.add(v);
      left.merge(right.state());
      assert.deepEqual(left.state(), all.state());
      for (const q of [0, 0.25, 0.5, 0.9, 0.99, 1]) assert.equal(left.quantile(q), all.quantile(q));
    }),
    { numRuns: 300 },
  );
});

test('refuses to merge sketches of different accuracy', () => {
  assert.throws(() => new DDSketch(0.01).merge(new DDSketch(0.02)), /relative accuracy/);
});

test('a summary exposes its window sketch for merging across processes', async () => {
  const s = new Summary({ name: 's', help: 'h', registry: null });
  for (let i = 1; i <= 1000; i++) s.observe(i);
  const [family] = await s.collect();
  assert.ok(family?.type === 'summary');
  const state = family.points[0]!.sketch!;
  const rebuilt = new DDSketch(state.relativeAccuracy);
  rebuilt.merge(state);
  assert.equal(rebuilt.count, 1000);
  assert.deepEqual(
    family.points[0]!.quantiles.map((q) => q.value),
    [0.5, 0.9, 0.99].map((q) => rebuilt.quantile(q)),
  );
});

test('memory grows with the value range, not the number of values', () => {
  const sketch = new DDSketch(0.01);
  for (let i = 0; i < 100_000; i++) sketch.add(1 + (i % 1000) / 1000);
  assert.ok(sketch.state().positive.length < 40, `${sketch.state().positive.length} buckets`);
});
