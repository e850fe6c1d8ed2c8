import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, labelSet, type MetricFamily, Registry, Summary } from '../../../src/index.js';
import { familyProblem, sampleNamesOf } from '../../../src/registry/validate-family.js';

const none = labelSet();
const gauge = (over: Record<string, unknown>): unknown => ({
  name: 'g',
  help: 'h',
  type: 'gauge',
  points: [{ labels: none, value: 1 }],
  ...over,
});
const counter = (value: unknown, over: Record<string, unknown> = {}): unknown => ({
  name: 'c_total',
  help: 'h',
  type: 'counter',
  points: [{ labels: none, value, ...over }],
});
const histogram = (point: Record<string, unknown>, type = 'histogram'): unknown => ({
  name: 'h',
  help: 'h',
  type,
  points: [{ labels: none, upperBounds: [1, 2], cumulativeCounts: [1, 2], count: 3, sum: 4, ...point }],
});
const summary = (quantiles: unknown): unknown => ({
  name: 's',
  help: 'h',
  type: 'summary',
  points: [{ labels: none, quantiles, count: 1, sum: 1 }],
});
const raw = (names: unknown[], values: unknown[]) => ({ names, values });
const native = (over: Record<string, unknown>) => ({
  schema: 0,
  zeroThreshold: 0,
  zeroCount: 1,
  positiveSpans: [{ offset: 0, length: 2 }],
  positiveDeltas: [1, 0],
  negativeSpans: [],
  negativeDeltas: [],
  ...over,
});

test('valid families of every type pass', async () => {
  const registry = new Registry();
  new Counter({ name: 'ok_total', help: 'h', labelNames: ['a'] as const, registry }).inc({ a: 'x' });
  new Histogram({ name: 'ok_seconds', help: 'h', unit: 'seconds', registry }).observe(0.3);
  new Summary({ name: 'ok_s', help: 'h', registry }).observe(1);
  for (const family of await registry.collect()) assert.equal(familyProblem(family), undefined, family.name);
  const valid: unknown[] = [
    gauge({ points: [{ labels: labelSet({ a: '"}\n# EOF' }), value: Number.NaN }] }),
    gauge({ unit: 'bytes', name: 'size_bytes' }),
    counter(Number.POSITIVE_INFINITY, { created: 1, timestampMs: 5 }),
    counter(1, { exemplar: { labels: labelSet({ trace: 'x'.repeat(123) }), value: 1 } }),
    histogram({ native: native({}), upperBounds: [], cumulativeCounts: [] }),
    histogram({ exemplars: [{ labels: none, value: 0.5 }, undefined, { labels: none, value: 9 }] }),
    histogram({}, 'gaugehistogram'),
    histogram({ upperBounds: [-1, 2], sum: -3 }, 'gaugehistogram'),
    histogram({ sum: Number.NaN }),
    summary([{ quantile: 0.5, value: Number.NaN }]),
    summary([
      { quantile: 0, value: 1 },
      { quantile: 1, value: 2 },
    ]),
    gauge({
      points: [
        { labels: labelSet({ a: 'y' }), value: 1 },
        { labels: labelSet({ a: 'x' }), value: 1 },
      ],
    }),
  ];
  for (const family of valid) assert.equal(familyProblem(family), undefined, JSON.stringify(family));
});

test('hostile or malformed families are refused with the problem named', () => {
  const cases: [unknown, RegExp][] = [
    [undefined, /must be an object, got undefined/],
    [
      gauge({ name: 'x 0\nadmin_password_resets_total 999\ny\ud800' }),
      /invalid metric family name "x 0\\nadmin/,
    ],
    [gauge({ name: 42 }), /invalid metric family name 42/],
    [gauge({ type: 'info' }), /unknown metric type "info"/],
    [{ ...(counter(1) as object), name: '_total' }, /without "_total"/],
    [gauge({ help: 7 }), /help must be a string/],
    [gauge({ help: 'bad \ud800 help' }), /lone UTF-16 surrogate/],
    [gauge({ name: 'g_seconds', unit: 'seconds\n# EOF' }), /invalid unit "seconds\\n# EOF"/],
    [gauge({ unit: 'seconds' }), /must end with "_seconds"/],
    [gauge({ points: 'x' }), /points must be an array/],
    [gauge({ points: [null] }), /point 0 must be an object/],
    [
      gauge({ points: [{ labels: raw(['a-b"}\ud800'], ['v']), value: 1 }] }),
      /invalid label name "a-b\\"}\\ud800"/,
    ],
    [gauge({ points: [{ labels: raw(['__name__'], ['v']), value: 1 }] }), /"__" prefix/],
    [gauge({ points: [{ labels: raw(['a', 'a'], ['v', 'w']), value: 1 }] }), /duplicate label name "a"/],
    [gauge({ points: [{ labels: raw(['b', 'a'], ['v', 'w']), value: 1 }] }), /must be sorted/],
    [gauge({ points: [{ labels: raw(['a'], []), value: 1 }] }), /1 label names but 0 values/],
    [gauge({ points: [{ labels: raw(['a'], [5]), value: 1 }] }), /label "a" must have a string value, got 5/],
    [gauge({ points: [{ labels: raw(['a'], ['\udc00']), value: 1 }] }), /lone UTF-16 surrogate/],
    [gauge({ points: [{ labels: none, value: '1' }] }), /the value must be a number, got "1"/],
    [
      gauge({ points: [{ labels: none, value: 1, timestampMs: Number.NaN }] }),
      /timestampMs must be a finite/,
    ],
    [
      gauge({
        points: [
          { labels: labelSet({ a: 'x' }), value: 1 },
          { labels: labelSet({ a: 'x' }), value: 2 },
        ],
      }),
      /two points have the same labels \{a="x"\}/,
    ],
    [
      gauge({
        points: [
          { labels: labelSet({ a: 'x' }), value: 1 },
          { labels: labelSet({ a: 'w' }), value: 1 },
          { labels: labelSet({ a: 'x' }), value: 2 },
        ],
      }),
      /two points have the same labels/,
    ],
    [counter(-1), /counter value must be a number >= 0 \(not NaN\), got -1/],
    [counter(Number.NaN), /got NaN/],
    [counter(1, { created: Number.POSITIVE_INFINITY }), /created must be a finite number/],
    [counter(1, { exemplar: { labels: labelSet({ t: 'x'.repeat(128) }), value: 1 } }), /129 code points/],
    [counter(1, { exemplar: { labels: none, value: Number.NaN } }), /exemplar: the value must be a number/],
    [histogram({ labels: labelSet({ le: '1' }) }), /"le" is reserved/],
    [histogram({ cumulativeCounts: [1] }), /2 upper bounds but 1 cumulative counts/],
    [histogram({ upperBounds: [2, 1] }), /upper bounds must increase/],
    [histogram({ upperBounds: [1, Number.POSITIVE_INFINITY] }), /upper bound 1 must be a finite number/],
    [histogram({ cumulativeCounts: [2, 1] }), /cumulative counts must not decrease/],
    [histogram({ cumulativeCounts: [1, Number.NaN] }), /cumulative count of bucket le=2/],
    [histogram({ count: 1 }), /count 1 \(the \+Inf bucket\) is below/],
    [histogram({ sum: '4' }), /sum must be a number/],
    [histogram({ exemplars: [{ labels: none, value: 1.5 }] }), /outside its bucket \(-Infinity, 1\]/],
    [histogram({ exemplars: [undefined, undefined, undefined, undefined] }), /at most one per bucket/],
    [histogram({ native: native({ schema: 9 }) }), /schema must be an integer from -4 to 8/],
    [histogram({ native: native({ positiveDeltas: [1] }) }), /cover 2 buckets but there are 1 deltas/],
    [histogram({ native: native({ positiveDeltas: [1, -2] }) }), /negative count -1/],
    [histogram({ native: native({ zeroCount: 5 }) }), /more than the count 3/],
    [summary([{ quantile: 1.5, value: 1 }]), /from 0 to 1, got 1.5/],
    [
      summary([
        { quantile: 0.5, value: 1 },
        { quantile: 0.5, value: 1 },
      ]),
      /quantiles must increase/,
    ],
    [summary([{ quantile: 0.5, value: 'x' }]), /must be a number >= 0 or NaN, got "x"/],
    [summary([{ quantile: 0.5, value: -1 }]), /must be a number >= 0 or NaN, got -1/],
    [
      { ...(summary([]) as object), points: [{ labels: none, quantiles: [], count: 1, sum: -2 }] },
      /sum must be a number >= 0/,
    ],
    [
      { ...(summary([]) as object), points: [{ labels: none, quantiles: [], count: 1.5, sum: 2 }] },
      /count must be a whole number >= 0, got 1.5/,
    ],
    [histogram({ cumulativeCounts: [0.5, 2] }), /le=1 must be a whole number >= 0, got 0.5/],
    [histogram({ count: Number.POSITIVE_INFINITY }), /count must be a whole number/],
    [histogram({ sum: Number.NaN }, 'gaugehistogram'), /gauge histogram's sum must not be NaN/],
    [histogram({ sum: -1 }, 'gaugehistogram'), /nor negative without a negative bucket, got -1/],
    [
      {
        ...(summary([]) as object),
        points: [{ labels: labelSet({ quantile: '1' }), quantiles: [], count: 0, sum: 0 }],
      },
      /"quantile" is reserved/,
    ],
  ];
  for (const [family, expected] of cases) {
    assert.match(familyProblem(family) ?? '(accepted)', expected, JSON.stringify(family));
  }
});

test('sample names: a counter takes its OpenMetrics family name, a histogram the suffixes of every format', () => {
  const of = (name: string, type: string) =>
    sampleNamesOf({ name, type, help: '', points: [] } as unknown as MetricFamily);
  assert.deepEqual(of('x_total', 'counter'), ['x_total', 'x', 'x_created']);
  // Text 0.0.4 writes a gauge histogram as a histogram (`_sum`, `_count`), OpenMetrics as `_gsum`,
  // `_gcount`: either kind takes both pairs.
  const histogram = (n: string) => [
    n,
    `${n}_bucket`,
    `${n}_count`,
    `${n}_sum`,
    `${n}_created`,
    `${n}_gcount`,
    `${n}_gsum`,
  ];
  assert.deepEqual(of('h', 'histogram'), histogram('h'));
  assert.deepEqual(of('g', 'gaugehistogram'), histogram('g'));
  assert.deepEqual(of('s', 'summary'), ['s', 's_count', 's_sum', 's_created']);
  assert.deepEqual(of('c', 'counter'), ['c'], 'a counter without _total takes only its name');
});
