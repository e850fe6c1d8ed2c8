import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Counter,
  type CounterPoint,
  DEFAULT_BUCKETS,
  exponentialBuckets,
  Gauge,
  Histogram,
  InvalidValueError,
  LabelError,
  linearBuckets,
  MetricDefinitionError,
  Registry,
  Summary,
} from '../../../src/index.js';

test('counter counts with and without labels, and children are cached', () => {
  const registry = new Registry();
  const c = new Counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['method', 'code'] as const,
    constLabels: { app: 'api' },
    registry,
  });
  c.inc({ method: 'GET', code: '200' });
  c.inc({ method: 'GET', code: '200' }, 2.5);
  const ok = c.labels({ method: 'GET', code: '200' });
  assert.equal(ok, c.labels({ method: 'GET', code: '200' }));
  ok.inc();
  ok.inc(3);
  assert.equal(c.get({ method: 'GET', code: '200' }), 7.5);
  assert.equal(c.get({ method: 'GET', code: '500' }), undefined);
  const jobs = new Counter({ name: 'jobs_total', help: 'Jobs.', registry });
  jobs.inc();
  jobs.inc(5);
  assert.equal(jobs.get(), 6);
});

test('counter appends _total to a name without it, and names a bad name as written', () => {
  const c = new Counter({ name: 'jobs', help: 'Jobs.', registry: null });
  assert.equal(c.name, 'jobs_total');
  assert.throws(
    () => new Counter({ name: 'http-requests', help: 'h', registry: null, nameValidation: 'legacy' }),
    (e: unknown) =>
      e instanceof MetricDefinitionError && e.metric === 'http-requests' && /"http-requests"/.test(e.message),
  );
});

test('numbers and strings address the same series', () => {
  const c = new Counter({ name: 'codes_total', help: 'h', labelNames: ['code'] as const, registry: null });
  c.inc({ code: 200 });
  c.inc({ code: '200' });
  assert.equal(c.get({ code: '200' }), 2);
  assert.equal(c.snapshot().points.length, 1);
});

test('label sets that join to the same string stay distinct', () => {
  const c = new Counter({ name: 'pairs_total', help: 'h', labelNames: ['a', 'b'] as const, registry: null });
  c.inc({ a: 'x|', b: '' });
  c.inc({ a: 'x', b: '|' }, 2);
  c.inc({ a: 'x,b=', b: '' }, 3);
  c.inc({ a: 'x', b: ',b=' }, 4);
  assert.equal(c.get({ a: 'x|', b: '' }), 1);
  assert.equal(c.get({ a: 'x', b: '|' }), 2);
  assert.equal(c.get({ a: 'x,b=', b: '' }), 3);
  assert.equal(c.get({ a: 'x', b: ',b=' }), 4);
  assert.equal(c.snapshot().points.length, 4);
});

test('rejects negative, NaN and non-number counter increments, naming metric and value', () => {
  const c = new Counter({ name: 'x_total', help: 'h', registry: null });
  for (const bad of [-1, Number.NEGATIVE_INFINITY, Number.NaN, '1' as unknown as number]) {
    assert.throws(
      () => c.inc(bad),
      (e: unknown) => e instanceof InvalidValueError && e.metric === 'x_total' && Object.is(e.value, bad),
    );
  }
  assert.equal(c.get(), 0);
});

test('rejects wrong label sets at run time', () => {
  const c = new Counter({ name: 'l_total', help: 'h', labelNames: ['a', 'b'] as const, registry: null });
  const call = (labels: unknown) => () => (c.inc as (l: unknown) => void)(labels);
  assert.throws(call({ a: '1' }), /missing "b"/);
  assert.throws(call({ a: '1', b: '2', c: '3' }), /unexpected "c"/);
  assert.throws(call({ a: '1', B: '2' }), /missing "b"; unexpected "B"/);
  assert.throws(call(undefined), LabelError);
  assert.throws(call({ a: true, b: '2' }), /label "a" must be a string or a number/);
  assert.throws(call({ a: '\ud800', b: '2' }), /lone UTF-16 surrogate/);
  c.inc({ a: '1', b: '2' });
  // An extra key is refused on an existing series too, not only when the series is created.
  assert.throws(call({ a: '1', b: '2', c: '3' }), /unexpected "c"/);
  const plain = new Counter({ name: 'p_total', help: 'h', registry: null });
  assert.throws(() => (plain.labels as (l: unknown) => unknown)({ a: '1' }), /has no labels/);
});

test('validates metric and label names', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ name: '' }, /invalid metric name/],
    [{ name: 'a\uDC00' }, /invalid metric name/],
    [{ name: 42 }, /invalid metric name/],
    [{ name: '1abc', nameValidation: 'legacy' }, /invalid metric name "1abc": it must match/],
    [{ name: 'a-b', nameValidation: 'legacy' }, /invalid metric name/],
    [{ name: 'ok', labelNames: ['bad-name'], nameValidation: 'legacy' }, /invalid label name/],
    [{ name: 'ok', labelNames: [''] }, /invalid label name ""/],
    [{ name: 'ok', labelNames: ['\uD800x'] }, /invalid label name/],
    [{ name: 'ok', nameValidation: 'ascii' }, /nameValidation must be 'utf8' or 'legacy'/],
    [{ name: 'ok', labelNames: ['__x'] }, /reserved/],
    [{ name: 'ok', labelNames: ['a', 'a'] }, /duplicate label name "a"/],
    [{ name: 'ok', labelNames: ['a'], constLabels: { a: 'x' } }, /duplicate label name "a"/],
    [{ name: 'ok', constLabels: { c: 1 } }, /constant label "c" must have a well-formed string value/],
    [{ name: 'ok', unit: 'seconds' }, /must end with "_seconds"/],
  ];
  for (const [options, message] of bad) {
    assert.throws(
      () => new Gauge({ help: 'h', registry: null, ...options } as never),
      (e: unknown) => {
        assert.ok(e instanceof MetricDefinitionError);
        assert.match(e.message, message);
        return true;
      },
    );
  }
  assert.throws(
    () => new Histogram({ name: 'h', help: 'h', labelNames: ['le'], registry: null }),
    /"le" is reserved/,
  );
  assert.throws(
    () => new Summary({ name: 's', help: 'h', labelNames: ['quantile'], registry: null }),
    /"quantile" is reserved/,
  );
  assert.doesNotThrow(
    () => new Gauge({ name: 'g', help: 'h', labelNames: ['le', 'quantile'], registry: null }),
  );
});

test('gauge sets, increments, decrements, and times', async () => {
  const g = new Gauge({ name: 'g', help: 'h', labelNames: ['q'] as const, registry: null });
  g.set({ q: 'a' }, 10);
  g.inc({ q: 'a' });
  g.inc({ q: 'a' }, 2);
  g.dec({ q: 'a' }, 0.5);
  g.dec({ q: 'a' });
  assert.equal(g.get({ q: 'a' }), 11.5);
  g.set({ q: 'a' }, Number.NEGATIVE_INFINITY);
  assert.equal(g.get({ q: 'a' }), Number.NEGATIVE_INFINITY);
  assert.throws(() => g.set({ q: 'a' }, '1' as unknown as number), InvalidValueError);
  const before = Date.now() / 1000;
  g.setToCurrentTime({ q: 'now' });
  assert.ok(g.get({ q: 'now' })! >= before && g.get({ q: 'now' })! <= Date.now() / 1000);
  const end = g.startTimer({ q: 't' });
  await new Promise((r) => setTimeout(r, 20));
  const seconds = end();
  // Seconds, not milliseconds: 20 ms of sleep is 0.02, however late a loaded machine wakes us.
  assert.ok(seconds >= 0.015 && seconds < 10, `elapsed ${seconds}`);
  assert.equal(g.get({ q: 't' }), seconds);
  assert.equal(end(), seconds, 'a second end() returns the same duration');
});

test('startTimer merges extra labels given at the end, and works with using', () => {
  const h = new Histogram({ name: 'h', help: 'h', labelNames: ['route', 'status'] as const, registry: null });
  const end = h.startTimer({ route: '/x' });
  end({ status: '200' });
  assert.equal(h.get({ route: '/x', status: '200' })?.count, 1);
  {
    using _timer = h.startTimer({ route: '/y', status: '500' });
  }
  assert.equal(h.get({ route: '/y', status: '500' })?.count, 1);
});

test('histogram counts each bucket, sum and count', () => {
  const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 5], registry: null });
  for (const v of [0.5, 1, 1.5, 2, 3, 5, 7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) h.observe(v);
  const value = h.get();
  assert.deepEqual(
    value.buckets.map((b) => [b.upperBound, b.cumulativeCount]),
    [
      [1, 3],
      [2, 5],
      [5, 7],
      [Number.POSITIVE_INFINITY, 9],
    ],
  );
  assert.equal(value.count, 9);
  assert.ok(Number.isNaN(value.sum), 'sum of +Inf and -Inf is NaN');
  assert.throws(() => h.observe('1' as unknown as number), InvalidValueError);
});

test('histogram with many buckets finds the right bucket (binary search)', () => {
  const bounds = linearBuckets(0, 1, 40);
  const h = new Histogram({ name: 'h', help: 'h', buckets: bounds, registry: null });
  for (let v = -0.5; v <= 41; v += 0.5) h.observe(v);
  const cumulative = h.get().buckets;
  for (const b of cumulative) {
    let expected = 0;
    for (let v = -0.5; v <= 41; v += 0.5) if (v <= b.upperBound) expected++;
    assert.equal(b.cumulativeCount, expected, `le=${b.upperBound}`);
  }
});

test('validates buckets and builds linear and exponential ones', () => {
  assert.deepEqual(DEFAULT_BUCKETS, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  assert.deepEqual(linearBuckets(1, 2, 3), [1, 3, 5]);
  assert.deepEqual(exponentialBuckets(1, 2, 4), [1, 2, 4, 8]);
  assert.throws(() => linearBuckets(0, 0, 3), /width must be > 0/);
  assert.throws(() => exponentialBuckets(0, 2, 3), /start must be > 0/);
  assert.throws(() => exponentialBuckets(1, 1, 3), /factor must be > 1/);
  const make = (buckets: number[]) => () => new Histogram({ name: 'h', help: 'h', buckets, registry: null });
  assert.throws(make([2, 1]), /strictly increasing/);
  assert.throws(make([1, 1]), /strictly increasing/);
  assert.throws(make([1, Number.NaN]), /finite/);
  assert.throws(make([Number.POSITIVE_INFINITY, 1]), /finite/);
  assert.throws(make([]), /at least one/);
  assert.deepEqual(
    new Histogram({ name: 'h', help: 'h', buckets: [1, 2, Number.POSITIVE_INFINITY], registry: null })
      .upperBounds,
    [1, 2],
  );
});

test('summary reports count, sum and quantiles', () => {
  const s = new Summary({ name: 's', help: 'h', quantiles: [0.99, 0.5], registry: null });
  for (let i = 1; i <= 100; i++) s.observe(i);
  const value = s.get();
  assert.equal(value.count, 100);
  assert.equal(value.sum, 5050);
  assert.deepEqual(
    value.quantiles.map((q) => q.quantile),
    [0.5, 0.99],
  );
  // Exact values of rank floor(q*(n-1)): 50 and 99; the estimate is within 1 %.
  assert.ok(Math.abs(value.quantiles[0]!.value - 50) <= 0.5);
  assert.ok(Math.abs(value.quantiles[1]!.value - 99) <= 0.99);
  assert.throws(() => s.observe('1' as unknown as number), InvalidValueError);
  assert.throws(
    () => new Summary({ name: 's', help: 'h', quantiles: [1.5], registry: null }),
    /must be a number in \[0, 1\]/,
  );
  assert.throws(
    () => new Summary({ name: 's', help: 'h', quantiles: [0.5, 0.5], registry: null }),
    /listed twice/,
  );
  assert.throws(() => new Summary({ name: 's', help: 'h', ageBuckets: 0, registry: null }), /ageBuckets/);
  assert.throws(
    () => new Summary({ name: 's', help: 'h', maxAgeSeconds: -1, registry: null }),
    /maxAgeSeconds/,
  );
});

test('summary quantiles forget observations older than the window', async () => {
  const s = new Summary({ name: 's', help: 'h', maxAgeSeconds: 0.2, ageBuckets: 2, registry: null });
  s.observe(1000);
  assert.ok(Math.abs(s.get().quantiles[0]!.value - 1000) <= 10);
  await new Promise((r) => setTimeout(r, 260));
  s.observe(1);
  const value = s.get();
  assert.ok(Math.abs(value.quantiles[2]!.value - 1) <= 0.01, `p99 ${value.quantiles[2]!.value}`);
  assert.equal(value.count, 2, 'count and sum are all-time');
  assert.equal(value.sum, 1001);
  await new Promise((r) => setTimeout(r, 450));
  assert.ok(Number.isNaN(s.get().quantiles[0]!.value), 'an empty window gives NaN');
});

test('remove and reset drop series; reset zeroes a metric without labels', () => {
  const c = new Counter({ name: 'r_total', help: 'h', labelNames: ['a', 'b'] as const, registry: null });
  c.inc({ a: '1', b: '1' });
  c.inc({ a: '1', b: '2' });
  assert.equal(c.remove({ a: '1', b: '1' }), true);
  assert.equal(c.remove({ a: '1', b: '1' }), false);
  assert.equal(c.get({ a: '1', b: '1' }), undefined);
  assert.equal(c.get({ a: '1', b: '2' }), 1);
  c.inc({ a: '1', b: '1' }, 5);
  assert.equal(c.get({ a: '1', b: '1' }), 5, 'a removed series starts again from zero');
  c.reset();
  assert.equal(c.snapshot().points.length, 0);
  const plain = new Counter({ name: 'p_total', help: 'h', registry: null });
  plain.inc(3);
  const createdBefore = (plain.snapshot().points[0] as CounterPoint).created!;
  plain.reset();
  assert.equal(plain.get(), 0);
  assert.ok((plain.snapshot().points[0] as CounterPoint).created! >= createdBefore);
  assert.equal(plain.snapshot().points.length, 1);
});

test('the collect hook runs before each collection, sync or async', async () => {
  let calls = 0;
  const registry = new Registry();
  const g = new Gauge({
    name: 'hooked',
    help: 'h',
    registry,
    collect() {
      calls++;
      g.set(calls);
    },
  });
  const a = new Gauge({
    name: 'hooked_async',
    help: 'h',
    registry,
    async collect() {
      await new Promise((r) => setTimeout(r, 5));
      a.set(42);
    },
  });
  const families = await registry.collect();
  assert.equal(calls, 1);
  assert.deepEqual(
    families.map((f) => [f.name, f.points[0] && 'value' in f.points[0] ? f.points[0].value : undefined]),
    [
      ['hooked', 1],
      ['hooked_async', 42],
    ],
  );
});

test('snapshots list series sorted by label values', () => {
  const g = new Gauge({ name: 'g', help: 'h', labelNames: ['k'] as const, registry: null });
  for (const k of ['b', 'a', 'c', 'aa']) g.set({ k }, 1);
  assert.deepEqual(
    g.snapshot().points.map((p) => p.labels.values[0]),
    ['a', 'aa', 'b', 'c'],
  );
});

test('label names that are keywords or Object.prototype members work and are still checked', () => {
  const c = new Counter({
    name: 'kw_total',
    help: 'h',
    labelNames: ['class', 'constructor', 'toString'] as const,
    registry: null,
  });
  c.inc({ class: 'a', constructor: 'b', toString: 'c' });
  c.inc({ class: 'a', constructor: 'b', toString: 'c' }, 2);
  assert.equal(c.get({ class: 'a', constructor: 'b', toString: 'c' }), 3);
  // A missing `constructor` must not be read from Object.prototype.
  assert.throws(
    () => (c.inc as (l: unknown) => void)({ class: 'a', toString: 'c' }),
    /missing "constructor"/,
  );
});
