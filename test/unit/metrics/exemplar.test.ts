/**
 * Exemplars on counters and histograms: the API forms, OpenMetrics' rules (valid names, at most
 * 128 code points, value = increment or observation, timestamp = now), which exemplar is kept,
 * and their exposition in OpenMetrics and protobuf.
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
  type CounterPoint,
  Histogram,
  type HistogramPoint,
  isLabelError,
} from '../../../src/index.js';

const NOW_MS = 1_700_000_000_250;
const NOW = 1_700_000_000.25;

function counterPoint(c: Counter<string>, i = 0): CounterPoint {
  return c.snapshot().points[i] as CounterPoint;
}

function histogramPoint(h: Histogram<string>, i = 0): HistogramPoint {
  return h.snapshot().points[i] as HistogramPoint;
}

const ex = (names: string[], values: string[], value: number, timestamp = NOW) => ({
  labels: { names, values },
  value,
  timestamp,
});

describe('counter exemplars', () => {
  test('every form of inc() attaches an exemplar whose value is the increment, timestamped now', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW_MS });
    const plain = new Counter({ name: 'ex_jobs_total', help: 'h', registry: null });
    plain.inc(2, { trace_id: 'a' });
    assert.deepEqual(counterPoint(plain).exemplar, ex(['trace_id'], ['a'], 2));
    plain.labels().inc(3, { trace_id: 'b' });
    assert.deepEqual(counterPoint(plain).exemplar, ex(['trace_id'], ['b'], 3));

    const labelled = new Counter({
      name: 'ex_requests_total',
      help: 'h',
      labelNames: ['code'] as const,
      registry: null,
    });
    labelled.inc({ code: '200' }, 1, { trace_id: 'c', span_id: 'd' });
    assert.deepEqual(counterPoint(labelled).exemplar, ex(['span_id', 'trace_id'], ['d', 'c'], 1));
    t.mock.timers.tick(1000);
    labelled.labels({ code: '200' }).inc(undefined, { trace_id: 'e' });
    assert.deepEqual(counterPoint(labelled).exemplar, ex(['trace_id'], ['e'], 1, NOW + 1));
    assert.equal(labelled.get({ code: '200' }), 2);
  });

  test('the latest exemplar is kept; increments without one leave it; reset() drops it', () => {
    const c = new Counter({ name: 'ex_total', help: 'h', registry: null });
    assert.equal('exemplar' in counterPoint(c), false);
    c.inc(1, { trace_id: 'first' });
    c.inc(1, { trace_id: 'second' });
    c.inc(5);
    assert.deepEqual(counterPoint(c).exemplar?.labels.values, ['second']);
    c.reset();
    assert.equal(counterPoint(c).exemplar, undefined);
  });

  test('OpenMetrics writes the exemplar after the _total sample', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW_MS });
    const c = new Counter({ name: 'om_total', help: 'h', labelNames: ['code'] as const, registry: null });
    c.inc({ code: '200' }, 0.5, { trace_id: 'abc"\\' });
    const text = renderOpenMetrics([c.snapshot()]);
    assert.match(text, /^om_total\{code="200"\} 0\.5 # \{trace_id="abc\\"\\\\"\} 0\.5 1\.70000000025e\+09$/m);
    assert.doesNotMatch(renderText([c.snapshot()]), /#.*trace_id/);
  });

  test('an empty exemplar label set is allowed', () => {
    const c = new Counter({ name: 'empty_total', help: 'h', registry: null });
    c.inc(1, {});
    assert.match(renderOpenMetrics([c.snapshot()]), /^empty_total 1\.0 # \{\} 1\.0 /m);
  });
});

describe('exemplar rules', () => {
  const c = new Counter({ name: 'rules_total', help: 'h', registry: null });

  test('128 code points of names and values pass, 129 fail with a LabelError naming the metric', () => {
    c.inc(1, { trace_id: 'x'.repeat(120) });
    c.inc(1, { a: '🚀'.repeat(127) });
    assert.throws(
      () => c.inc(1, { trace_id: 'x'.repeat(121) }),
      (e: unknown) =>
        isLabelError(e) &&
        e.metric === 'rules_total' &&
        e.message.includes('129 code points') &&
        e.message.includes('at most 128'),
    );
    assert.throws(() => c.inc(1, { a: '🚀'.repeat(128) }), { name: 'LabelError' });
    assert.throws(() => c.inc(1, { a: 'x'.repeat(60), b: 'y'.repeat(67) }), { name: 'LabelError' });
  });

  test('invalid label names and non-string values are refused, and nothing is counted', () => {
    const before = c.get();
    for (const labels of [{ '': 'c' }, { 'a\uDC00': 'd' }]) {
      assert.throws(() => c.inc(1, labels), /invalid exemplar label name/);
    }
    assert.throws(
      () => c.inc(1, { trace_id: 7 as unknown as string }),
      /must have a well-formed string value/,
    );
    assert.throws(() => c.inc(1, { trace_id: '\ud800' }), { name: 'LabelError' });
    assert.throws(() => c.inc(1, 'abc' as unknown as Record<string, string>), /must be an object of strings/);
    assert.throws(() => c.inc(1, null as unknown as Record<string, string>), { name: 'LabelError' });
    assert.equal(c.get(), before);
  });
});

describe('histogram exemplars', () => {
  test('each classic bucket keeps its latest exemplar, whose value is the observation', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW_MS });
    const h = new Histogram({
      name: 'ex_seconds',
      help: 'h',
      labelNames: ['route'] as const,
      buckets: [0.1, 1],
      registry: null,
    });
    h.observe({ route: '/' }, 0.05, { trace_id: 'a' });
    h.observe({ route: '/' }, 0.5, { trace_id: 'b' });
    h.observe({ route: '/' }, 0.7, { trace_id: 'c' });
    h.labels({ route: '/' }).observe(5, { trace_id: 'd' });
    h.observe({ route: '/' }, 0.2);
    assert.deepEqual(histogramPoint(h).exemplars, [
      ex(['trace_id'], ['a'], 0.05),
      ex(['trace_id'], ['c'], 0.7),
      ex(['trace_id'], ['d'], 5),
    ]);
    assert.equal(
      renderOpenMetrics([h.snapshot()]),
      [
        '# HELP ex_seconds h',
        '# TYPE ex_seconds histogram',
        'ex_seconds_bucket{route="/",le="0.1"} 1 # {trace_id="a"} 0.05 1.70000000025e+09',
        'ex_seconds_bucket{route="/",le="1.0"} 4 # {trace_id="c"} 0.7 1.70000000025e+09',
        'ex_seconds_bucket{route="/",le="+Inf"} 5 # {trace_id="d"} 5.0 1.70000000025e+09',
        'ex_seconds_sum{route="/"} 6.45',
        'ex_seconds_count{route="/"} 5',
        'ex_seconds_created{route="/"} 1.70000000025e+09',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  test('the unlabelled form, and the slots without an exemplar stay empty', () => {
    const h = new Histogram({ name: 'plain_seconds', help: 'h', buckets: [1, 2], registry: null });
    h.observe(1.5, { trace_id: 'x' });
    const slots = histogramPoint(h).exemplars!;
    assert.equal(slots.length, 3);
    assert.equal(slots[0], undefined);
    assert.equal(slots[1]?.value, 1.5);
    assert.equal(slots[2], undefined);
  });

  test('a native-only histogram keeps its exemplar in the +Inf bucket, NaN included', () => {
    const h = new Histogram({ name: 'n_seconds', help: 'h', native: true, registry: null });
    h.observe(0.3, { trace_id: 'n1' });
    assert.equal(histogramPoint(h).exemplars?.[0]?.value, 0.3);
    h.observe(Number.NaN, { trace_id: 'n2' });
    assert.deepEqual(histogramPoint(h).exemplars?.[0]?.labels.values, ['n2']);
  });

  test('an invalid exemplar records nothing; reset() drops the exemplars', () => {
    const h = new Histogram({ name: 'bad_seconds', help: 'h', registry: null });
    assert.throws(() => h.observe(1, { '': 'x' }), { name: 'LabelError' });
    assert.equal(h.get().count, 0);
    h.observe(1, { a: 'x' });
    h.reset();
    assert.equal(histogramPoint(h).exemplars, undefined);
  });

  test('protobuf round trip of counter, classic and native histogram exemplars', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: NOW_MS });
    const c = new Counter({ name: 'pb_total', help: 'h', labelNames: ['a'] as const, registry: null });
    c.inc({ a: '1' }, 2, { trace_id: 't1' });
    c.inc({ a: '2' });
    const classic = new Histogram({ name: 'pb_seconds', help: 'h', buckets: [1], registry: null });
    classic.observe(0.5, { trace_id: 't2' });
    classic.observe(3, { trace_id: 't3' });
    const nativeOnly = new Histogram({ name: 'pbn_seconds', help: 'h', native: true, registry: null });
    nativeOnly.observe(0.25, { trace_id: 't4', span_id: 's' });
    const families = [c.snapshot(), classic.snapshot(), nativeOnly.snapshot()];
    const decoded = parseProtobuf(renderProtobuf(families));
    assert.deepEqual(
      decoded.map((f) =>
        f.points.map((p) => ('exemplar' in p ? p.exemplar : 'exemplars' in p ? p.exemplars : undefined)),
      ),
      [
        [ex(['trace_id'], ['t1'], 2), undefined],
        [[ex(['trace_id'], ['t2'], 0.5), ex(['trace_id'], ['t3'], 3)]],
        [[ex(['span_id', 'trace_id'], ['s', 't4'], 0.25)]],
      ],
    );
    const n = decoded[2]!.points[0] as HistogramPoint;
    assert.deepEqual(n.native, (nativeOnly.snapshot().points[0] as HistogramPoint).native);
  });
});
