/**
 * NaN and ±Inf where the data model allows them (client_golang's semantics), refusals where it
 * does not, and how every exposition format writes the special values.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseProtobuf,
  renderOpenMetrics,
  renderProtobuf,
  renderText,
} from '../../../src/exposition/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  isInvalidValueError,
  type MetricFamily,
  Registry,
  Summary,
} from '../../../src/index.js';

const INF = Number.POSITIVE_INFINITY;

function refused(metric: string, value: unknown): (e: unknown) => boolean {
  return (e) => isInvalidValueError(e) && e.metric === metric && Object.is(e.value, value);
}

describe('gauge', () => {
  test('set, inc and dec accept NaN and ±Inf', () => {
    const g = new Gauge({ name: 'g', help: 'h', registry: null });
    g.set(Number.NaN);
    assert.ok(Number.isNaN(g.get()));
    g.set(INF);
    assert.equal(g.get(), INF);
    g.dec(INF);
    assert.ok(Number.isNaN(g.get()), 'Inf - Inf is NaN');
    g.set(0);
    g.inc(-INF);
    assert.equal(g.get(), -INF);
    g.set(1);
    g.inc(Number.NaN);
    assert.ok(Number.isNaN(g.get()));
  });

  test('a non-number is refused, naming metric and value, and the value is kept', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'] as const, registry: null });
    g.set({ a: 'x' }, 3);
    for (const bad of ['1', null, 1n, {}]) {
      assert.throws(() => g.set({ a: 'x' }, bad as number), refused('g', bad));
      assert.throws(() => g.inc({ a: 'x' }, bad as number), refused('g', bad));
      assert.throws(() => g.dec({ a: 'x' }, bad as number), refused('g', bad));
    }
    assert.equal(g.get({ a: 'x' }), 3);
  });
});

describe('counter', () => {
  test('+Inf is an allowed increment; the counter stays +Inf', () => {
    const c = new Counter({ name: 'c_total', help: 'h', registry: null });
    c.inc(INF, { trace_id: 'a' });
    c.inc(1);
    assert.equal(c.get(), INF);
    assert.equal(c.labels().exemplar?.value, INF);
  });

  test('NaN, negative, -Inf and non-number increments are refused and add nothing', () => {
    const c = new Counter({ name: 'c_total', help: 'h', registry: null });
    c.inc(2);
    for (const bad of [Number.NaN, -1, -INF, -0.5, '1', null]) {
      assert.throws(() => c.inc(bad as number), refused('c_total', bad));
    }
    assert.equal(c.get(), 2);
  });
});

describe('classic histogram', () => {
  test('NaN counts in _count (so the +Inf bucket) and _sum, in no finite bucket', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], registry: null });
    h.observe(0.5);
    h.observe(Number.NaN, { trace_id: 'nan' });
    const v = h.get();
    assert.equal(v.count, 2);
    assert.ok(Number.isNaN(v.sum));
    assert.deepEqual(
      v.buckets.map((b) => b.cumulativeCount),
      [1, 1, 2],
    );
    const point = h.snapshot().points[0]!;
    assert.ok('exemplars' in point);
    assert.equal(point.exemplars?.[0], undefined);
    assert.ok(Number.isNaN(point.exemplars?.[2]?.value ?? 0), 'the NaN exemplar sits in the +Inf bucket');
  });

  test('+Inf goes to the +Inf bucket and -Inf to the first one', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], registry: null });
    h.observe(INF);
    h.observe(-INF);
    assert.deepEqual(
      h.get().buckets.map((b) => b.cumulativeCount),
      [1, 1, 2],
    );
  });

  test('a non-number is refused and nothing is counted', () => {
    const h = new Histogram({ name: 'h', help: 'h', registry: null });
    for (const bad of ['1', null, true])
      assert.throws(() => h.observe(bad as unknown as number), refused('h', bad));
    assert.equal(h.get().count, 0);
  });
});

describe('summary', () => {
  test('NaN and ±Inf count in _count and _sum; quantiles describe the finite observations', () => {
    const s = new Summary({ name: 's', help: 'h', quantiles: [0, 0.5, 1], registry: null });
    for (const v of [1, 2, 3]) s.observe(v);
    s.observe(Number.NaN);
    s.observe(INF);
    s.observe(-INF);
    const v = s.get();
    assert.equal(v.count, 6);
    assert.ok(Number.isNaN(v.sum));
    const [lo, mid, hi] = v.quantiles.map((q) => q.value);
    assert.ok(Math.abs(lo! - 1) <= 0.01, `q0 ${lo}`);
    assert.ok(Math.abs(mid! - 2) <= 0.02, `q0.5 ${mid}`);
    assert.ok(Math.abs(hi! - 3) <= 0.03, `q1 ${hi}`);
    const point = s.snapshot().points[0]!;
    assert.ok('sketch' in point && point.sketch !== undefined);
    const { zeroCount, positive, negative } = point.sketch;
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    assert.equal(zeroCount + sum(positive) + sum(negative), 3, 'the sketch holds the finite values only');
  });

  test('only infinities leave the quantiles NaN, as an empty window does', () => {
    const s = new Summary({ name: 's', help: 'h', registry: null });
    s.observe(INF);
    assert.equal(s.get().sum, INF);
    assert.ok(s.get().quantiles.every((q) => Number.isNaN(q.value)));
  });

  test('a non-number is refused', () => {
    const s = new Summary({ name: 's', help: 'h', registry: null });
    assert.throws(() => s.observe('1' as unknown as number), refused('s', '1'));
    assert.equal(s.get().count, 0);
  });
});

async function specials(): Promise<MetricFamily[]> {
  const registry = new Registry();
  const g = new Gauge({ name: 'g', help: 'h', labelNames: ['v'] as const, registry });
  g.set({ v: 'nan' }, Number.NaN);
  g.set({ v: 'inf' }, INF);
  g.set({ v: 'ninf' }, -INF);
  new Counter({ name: 'c_total', help: 'h', registry }).inc(INF);
  new Histogram({ name: 'hn', help: 'h', buckets: [1], registry }).observe(Number.NaN, { trace_id: 'n' });
  new Histogram({ name: 'hi', help: 'h', buckets: [1], registry }).observe(INF);
  new Summary({ name: 'sn', help: 'h', quantiles: [0.5], registry }).observe(Number.NaN);
  new Summary({ name: 'si', help: 'h', quantiles: [0.5], registry }).observe(INF);
  return registry.collect();
}

describe('exposition of special values', () => {
  test('text 0.0.4 writes NaN, +Inf and -Inf for every sample', async () => {
    const text = renderText(await specials());
    for (const line of [
      'g{v="nan"} NaN',
      'g{v="inf"} +Inf',
      'g{v="ninf"} -Inf',
      'c_total +Inf',
      'hn_bucket{le="1"} 0',
      'hn_bucket{le="+Inf"} 1',
      'hn_sum NaN',
      'hn_count 1',
      'hi_sum +Inf',
      'sn{quantile="0.5"} NaN',
      'sn_sum NaN',
      'sn_count 1',
      'si_sum +Inf',
    ]) {
      assert.ok(text.split('\n').includes(line), `${line} in\n${text}`);
    }
  });

  test('OpenMetrics leaves out _sum and _count when the sum is NaN, keeps +Inf sums', async () => {
    const text = renderOpenMetrics(await specials());
    const lines = text.split('\n');
    assert.ok(
      lines.some((l) => /^hn_bucket\{le="\+Inf"\} 1 # \{trace_id="n"\} NaN /.test(l)),
      text,
    );
    for (const absent of ['hn_sum', 'hn_count', 'sn_sum', 'sn_count']) {
      assert.ok(!lines.some((l) => l.startsWith(`${absent} `)), `${absent} absent in\n${text}`);
    }
    for (const present of ['c_total +Inf', 'g{v="nan"} NaN', 'hi_sum +Inf', 'hi_count 1', 'si_sum +Inf']) {
      assert.ok(lines.includes(present), `${present} in\n${text}`);
    }
  });

  test('OpenMetrics leaves out a summary _sum that negative observations made negative', () => {
    const s = new Summary({ name: 'neg', help: 'h', quantiles: [], registry: null });
    s.observe(-1);
    const text = renderOpenMetrics([s.snapshot()]);
    assert.ok(!/^neg_(sum|count) /m.test(text), text);
  });

  test('protobuf carries every special value through a round trip', async () => {
    const families = await specials();
    const parsed = parseProtobuf(renderProtobuf(families));
    const byName = new Map(parsed.map((f) => [f.name, f]));
    const gauge = byName.get('g')!;
    assert.equal(gauge.type, 'gauge');
    const values = gauge.points.map((p) => ('value' in p ? p.value : 0));
    assert.ok(values.some(Number.isNaN));
    assert.ok(values.includes(INF) && values.includes(-INF));
    const counter = byName.get('c_total')!.points[0]!;
    assert.ok('value' in counter && counter.value === INF);
    const hn = byName.get('hn')!.points[0]!;
    assert.ok('sum' in hn && Number.isNaN(hn.sum) && hn.count === 1);
    const si = byName.get('si')!.points[0]!;
    assert.ok('sum' in si && si.sum === INF && si.count === 1);
  });
});
