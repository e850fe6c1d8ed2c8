/**
 * Native histograms: bucket keys and bounds as client_golang computes them (docs/formats.md §4), spans
 * and deltas, the zero bucket, NaN and ±Inf, bucket limiting, and the exposition of the result.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  parseProtobuf,
  renderOpenMetrics,
  renderProtobuf,
  renderText,
} from '../../../src/exposition/index.js';
import {
  DEFAULT_NATIVE_ZERO_THRESHOLD,
  Histogram,
  type HistogramPoint,
  isMetricDefinitionError,
} from '../../../src/index.js';
import { NATIVE_HISTOGRAM_BOUNDS } from '../../../src/metrics/native-bounds.js';
import {
  bucketKey,
  bucketUpperBound,
  nativeSpans,
  pickSchema,
} from '../../../src/metrics/native-histogram.js';

const BOUNDS_JSON = new URL('../../conformance/native-histogram-bounds.json', import.meta.url).pathname;
const MAX = Number.MAX_VALUE;

function native(options: ConstructorParameters<typeof Histogram<never>>[0]['native'] = true) {
  return new Histogram({ name: 'nh_seconds', help: 'h', registry: null, native: options });
}

/** The number of observations in the buckets that deltas describe. */
function bucketTotal(deltas: readonly number[]): number {
  let count = 0;
  let total = 0;
  for (const d of deltas) {
    count += d;
    total += count;
  }
  return total;
}

function point(h: Histogram): HistogramPoint {
  return h.snapshot().points[0] as HistogramPoint;
}

describe('bucket keys and bounds', () => {
  test('the bounds table equals client_golang’s table in the conformance copy', () => {
    const json = JSON.parse(readFileSync(BOUNDS_JSON, 'utf8')) as Record<string, number[]>;
    assert.deepEqual(
      NATIVE_HISTOGRAM_BOUNDS,
      Array.from({ length: 9 }, (_, s) => json[String(s)]),
    );
  });

  test('the verified index examples of docs/formats.md §4', () => {
    assert.equal(bucketKey(1, 0), 0);
    assert.equal(bucketKey(3, -1), 1);
    assert.equal(bucketKey(1.05, 3), 1);
    assert.equal(bucketKey(MAX, 8), 262144);
    assert.equal(bucketKey(Number.POSITIVE_INFINITY, 8), 262145);
  });

  test('negative values take the key of their magnitude', () => {
    assert.equal(bucketKey(-1.05, 3), 1);
    assert.equal(bucketKey(Number.NEGATIVE_INFINITY, 8), 262145);
  });

  test('a value on a boundary belongs to the bucket it closes', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (const key of [-100, -1, 0, 1, 7, 100]) {
        // Keys whose bound is a normal number; further out the bound underflows or overflows.
        if (Math.abs(key * 2 ** -schema) > 1000) continue;
        assert.equal(bucketKey(bucketUpperBound(key, schema), schema), key, `key ${key} at schema ${schema}`);
      }
    }
  });

  test('the bucket of MaxFloat64 ends at MaxFloat64 and the next one at +Inf', () => {
    for (let schema = -4; schema <= 8; schema++) {
      const last = bucketKey(MAX, schema);
      assert.equal(bucketUpperBound(last, schema), MAX, `schema ${schema}`);
      assert.equal(bucketUpperBound(last + 1, schema), Number.POSITIVE_INFINITY);
      assert.equal(bucketKey(Number.POSITIVE_INFINITY, schema), last + 1);
    }
  });

  test('every normal value lies in its bucket: lower < v ≤ upper, bounds close to 2^(key/2^schema)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2 ** -1022, max: MAX, noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -4, max: 8 }),
        (v, schema) => {
          const key = bucketKey(v, schema);
          const upper = bucketUpperBound(key, schema);
          const lower = bucketUpperBound(key - 1, schema);
          assert.ok(lower < v && v <= upper, `${v} at schema ${schema}: key ${key} is (${lower}, ${upper}]`);
          const exponent = key / 2 ** schema;
          if (exponent < 1023) {
            assert.ok(Math.abs(upper / 2 ** exponent - 1) < 1e-14, `${upper} vs 2^${exponent}`);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('subnormal values get a bucket around them (bounds this small are rounded)', () => {
    for (const v of [5e-324, 1e-320, 2 ** -1050, 2 ** -1023 * 1.5]) {
      for (const schema of [-4, 0, 3, 8]) {
        const key = bucketKey(v, schema);
        assert.ok(bucketUpperBound(key, schema) >= v, `${v} at schema ${schema}`);
        assert.ok(bucketUpperBound(key - 1, schema) <= v, `${v} at schema ${schema}`);
      }
    }
  });

  test('pickSchema: the factor 1.1 gives schema 3, and schemas stay within [-4, 8]', () => {
    assert.equal(pickSchema(1.1), 3);
    assert.equal(pickSchema(2), 0);
    assert.equal(pickSchema(4), -1);
    assert.equal(pickSchema(1.0001), 8);
    assert.equal(pickSchema(1e10), -4);
  });
});

describe('spans and deltas', () => {
  const example = new Map([
    [-2, 3],
    [-1, 5],
    [2, 1],
    [4, 3],
    [5, 2],
  ]);

  test('the example of docs/formats.md §4, a span at every gap', () => {
    assert.deepEqual(nativeSpans(example, 0), {
      spans: [
        { offset: -2, length: 2 },
        { offset: 2, length: 1 },
        { offset: 1, length: 2 },
      ],
      deltas: [3, 2, -4, 2, -1],
    });
  });

  test('by default, as client_golang, gaps of up to two buckets are filled with zero buckets', () => {
    assert.deepEqual(nativeSpans(example), {
      spans: [{ offset: -2, length: 8 }],
      deltas: [3, 2, -5, 0, 1, -1, 3, -1],
    });
    assert.deepEqual(
      nativeSpans(
        new Map([
          [0, 1],
          [4, 1],
        ]),
      ),
      {
        spans: [
          { offset: 0, length: 1 },
          { offset: 3, length: 1 },
        ],
        deltas: [1, 0],
      },
    );
  });

  test('no buckets give no spans', () => {
    assert.deepEqual(nativeSpans(new Map()), { spans: [], deltas: [] });
  });
});

describe('Histogram with native buckets', () => {
  test('counts values into exponential buckets, schema 3 by default, without classic buckets', () => {
    const h = native();
    for (const v of [1, 1.05, 1.05, 2, -1, 0]) h.observe(v);
    assert.deepEqual(h.upperBounds, []);
    assert.deepEqual(h.get().native, {
      schema: 3,
      zeroThreshold: DEFAULT_NATIVE_ZERO_THRESHOLD,
      zeroCount: 1,
      // keys 0 (1), 1 (1.05 twice), 8 (2): the gap 2…7 is more than two buckets.
      positiveSpans: [
        { offset: 0, length: 2 },
        { offset: 6, length: 1 },
      ],
      positiveDeltas: [1, 1, -1],
      negativeSpans: [{ offset: 0, length: 1 }],
      negativeDeltas: [1],
    });
    assert.equal(h.get().count, 6);
    assert.equal(h.get().sum, 4.1);
  });

  test('the zero bucket takes values within the threshold; threshold 0 takes exact zeros only', () => {
    const h = native();
    for (const v of [0, -0, 1e-40, -1e-40, DEFAULT_NATIVE_ZERO_THRESHOLD]) h.observe(v);
    assert.equal(h.get().native?.zeroCount, 5);
    assert.deepEqual(h.get().native?.positiveSpans, []);

    const exact = native({ zeroThreshold: 0 });
    for (const v of [0, 1e-40, -1e-40]) exact.observe(v);
    const n = exact.get().native!;
    assert.equal(n.zeroCount, 1);
    assert.equal(n.zeroThreshold, 0);
    assert.equal(n.positiveDeltas.length, 1);
    assert.equal(n.negativeDeltas.length, 1);
  });

  test('NaN counts in count and sum only; a non-number is refused', () => {
    const h = native();
    h.observe(1);
    h.observe(Number.NaN);
    const value = h.get();
    assert.equal(value.count, 2);
    assert.ok(Number.isNaN(value.sum));
    assert.deepEqual(value.native?.positiveDeltas, [1]);
    assert.equal(value.native?.zeroCount, 0);
    assert.throws(() => h.observe('1' as unknown as number), { name: 'InvalidValueError' });
  });

  test('±Inf go into the buckets after the one of ±MaxFloat64', () => {
    const h = native();
    h.observe(Number.POSITIVE_INFINITY);
    h.observe(Number.NEGATIVE_INFINITY);
    h.observe(MAX);
    const n = h.get().native!;
    assert.deepEqual(n.positiveSpans, [{ offset: 8192, length: 2 }]);
    assert.deepEqual(n.positiveDeltas, [1, 0]);
    assert.deepEqual(n.negativeSpans, [{ offset: 8193, length: 1 }]);
  });

  test('bucketFactor picks the schema', () => {
    const h = native({ bucketFactor: 2 });
    h.observe(3);
    assert.equal(h.get().native?.schema, 0);
    assert.deepEqual(h.get().native?.positiveSpans, [{ offset: 2, length: 1 }]);
  });

  test('classic and native buckets together when both are configured', () => {
    const h = new Histogram({ name: 'both', help: 'h', registry: null, buckets: [1, 2], native: true });
    for (const v of [0.5, 1.5, 3]) h.observe(v);
    const p = point(h);
    assert.deepEqual(p.upperBounds, [1, 2]);
    assert.deepEqual(p.cumulativeCounts, [1, 2]);
    assert.equal(p.native?.schema, 3);
    assert.equal(bucketTotal(p.native!.positiveDeltas), 3);
  });

  test('text formats show only +Inf, _sum and _count for a native-only histogram', () => {
    const h = native();
    h.observe(0.25);
    h.observe(4);
    const families = [h.snapshot()];
    assert.equal(
      renderText(families),
      [
        '# HELP nh_seconds h',
        '# TYPE nh_seconds histogram',
        'nh_seconds_bucket{le="+Inf"} 2',
        'nh_seconds_sum 4.25',
        'nh_seconds_count 2',
        '',
      ].join('\n'),
    );
    assert.match(
      renderOpenMetrics(families),
      /^nh_seconds_bucket\{le="\+Inf"\} 2\nnh_seconds_sum 4\.25\nnh_seconds_count 2\n/m,
    );
  });

  test('protobuf round trip keeps schema, zero bucket, spans and deltas', () => {
    const h = new Histogram({
      name: 'rt_seconds',
      help: 'h',
      labelNames: ['route'] as const,
      registry: null,
      native: { bucketFactor: 1.05 },
    });
    for (const v of [0, 0.001, 0.002, 0.5, 0.51, 3, -2, -2.1, 1e6]) h.observe({ route: '/a' }, v);
    h.observe({ route: '/b' }, 1);
    const family = h.snapshot();
    const [decoded] = parseProtobuf(renderProtobuf([family]));
    assert.ok(decoded?.type === 'histogram');
    assert.equal(decoded.points.length, 2);
    for (let i = 0; i < 2; i++) {
      const ours = family.points[i] as HistogramPoint;
      const theirs: HistogramPoint = decoded.points[i]!;
      assert.deepEqual(theirs.native, ours.native);
      assert.equal(theirs.count, ours.count);
      assert.equal(theirs.sum, ours.sum);
      assert.deepEqual(theirs.upperBounds, []);
    }
    assert.equal((family.points[0] as HistogramPoint).native?.schema, 4);
  });

  test('an empty native histogram is exposed as native (no-op span) and decodes back as empty', () => {
    const h = native({ zeroThreshold: 0 });
    const [decoded] = parseProtobuf(renderProtobuf([h.snapshot()]));
    assert.ok(decoded?.type === 'histogram');
    assert.deepEqual(decoded.points[0]?.native, point(h).native);
  });

  test('a zero-bucket observation also applies the bucket limit, as client_golang does', () => {
    // Go (client_golang): factor 1.1 and at most 2 buckets; 1, 1e100, 1e-30 leave 3 buckets at schema 2
    // after one halving, and the observation of 0 halves once more, to schema 1.
    const h = native({ bucketFactor: 1.1, maxBuckets: 2 });
    for (const v of [1, 1e100, 1e-30]) h.observe(v);
    assert.equal(h.get().native?.schema, 2);
    h.observe(0);
    assert.equal(h.get().native?.schema, 1);
    assert.equal(h.get().native?.zeroCount, 1);
  });

  test('reset() empties native buckets and restores the configured schema', () => {
    const h = native({ bucketFactor: 2, maxBuckets: 2 });
    for (const v of [1, 2, 4]) h.observe(v);
    assert.equal(h.get().native?.schema, -1);
    h.reset();
    assert.deepEqual(h.get().native, {
      schema: 0,
      zeroThreshold: DEFAULT_NATIVE_ZERO_THRESHOLD,
      zeroCount: 0,
      positiveSpans: [],
      positiveDeltas: [],
      negativeSpans: [],
      negativeDeltas: [],
    });
    assert.equal(h.get().count, 0);
  });

  test('refuses bad options with MetricDefinitionError naming the metric', () => {
    const bad = [
      { bucketFactor: 1 },
      { bucketFactor: Number.POSITIVE_INFINITY },
      { zeroThreshold: -1 },
      { maxBuckets: 1.5 },
      { maxBuckets: -1 },
      { minResetDurationSeconds: Number.NaN },
      { maxZeroThreshold: -0.1 },
    ];
    for (const options of bad) {
      assert.throws(
        () => native(options),
        (e: unknown) => isMetricDefinitionError(e) && e.message.includes('"nh_seconds"'),
        JSON.stringify(options),
      );
    }
    assert.throws(() => native('yes' as unknown as true), { name: 'MetricDefinitionError' });
  });

  test('buckets: [] or [+Inf] with native means no classic buckets; without native it is an error', () => {
    assert.deepEqual(
      new Histogram({ name: 'a', help: 'h', registry: null, native: true, buckets: [] }).upperBounds,
      [],
    );
    assert.deepEqual(
      new Histogram({
        name: 'b',
        help: 'h',
        registry: null,
        native: true,
        buckets: [Number.POSITIVE_INFINITY],
      }).upperBounds,
      [],
    );
    assert.throws(() => new Histogram({ name: 'c', help: 'h', registry: null, buckets: [] }), {
      name: 'MetricDefinitionError',
    });
  });
});

describe('bucket limiting', () => {
  test('halves the resolution when the limit is passed: buckets 2k-1 and 2k merge', () => {
    const h = native({ bucketFactor: 2, maxBuckets: 4 });
    for (const v of [1, 2, 4, 8]) h.observe(v);
    assert.equal(h.get().native?.schema, 0);
    h.observe(16);
    const n = h.get().native!;
    assert.equal(n.schema, -1);
    // keys 0,1,2,3,4 at schema 0 become 0,1,1,2,2.
    assert.deepEqual(n.positiveSpans, [{ offset: 0, length: 3 }]);
    assert.deepEqual(n.positiveDeltas, [1, 1, 0]);
    assert.equal(h.get().count, 5);
  });

  test('counts positive and negative buckets together, and stops halving at schema -4', () => {
    const h = native({ bucketFactor: 2, maxBuckets: 1 });
    h.observe(1);
    h.observe(-1e300);
    assert.equal(h.get().native?.schema, -1);
    for (let i = 0; i < 10; i++) h.observe(-1e300);
    h.observe(1e300);
    assert.equal(h.get().native?.schema, -4);
    assert.equal(h.get().count, 13);
  });

  test('widens the zero bucket up to maxZeroThreshold before halving', () => {
    const h = native({ bucketFactor: 2, maxBuckets: 2, maxZeroThreshold: 1 });
    for (const v of [0.5, 1, 4]) h.observe(v);
    let n = h.get().native!;
    // The smallest bucket, (0.25, 0.5], went into the zero bucket, whose threshold is now 0.5.
    assert.deepEqual([n.zeroThreshold, n.zeroCount, n.schema], [0.5, 1, 0]);
    assert.deepEqual(n.positiveSpans, [{ offset: 0, length: 3 }]);
    h.observe(8);
    n = h.get().native!;
    assert.deepEqual([n.zeroThreshold, n.zeroCount, n.schema], [1, 2, 0]);
    h.observe(16);
    n = h.get().native!;
    // The threshold is at its maximum: halve. Keys 2, 3, 4 become 1, 2, 2.
    assert.deepEqual([n.zeroThreshold, n.zeroCount, n.schema], [1, 2, -1]);
    assert.deepEqual(n.positiveSpans, [{ offset: 1, length: 2 }]);
    assert.deepEqual(n.positiveDeltas, [1, 1]);
    // Later values within the wider threshold count as zero.
    h.observe(-0.75);
    assert.equal(h.get().native?.zeroCount, 3);
  });

  test('resets instead, keeping the current value, once minResetDurationSeconds have passed', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000_000_000 });
    const h = native({ bucketFactor: 2, maxBuckets: 2, minResetDurationSeconds: 60 });
    assert.equal(point(h).created, 1_000_000_000);
    h.observe(1);
    h.observe(2);
    t.mock.timers.tick(61_000);
    h.observe(4);
    const p = point(h);
    assert.equal(p.count, 1);
    assert.equal(p.sum, 4);
    assert.equal(p.created, 1_000_000_061);
    assert.deepEqual(p.native?.positiveSpans, [{ offset: 2, length: 1 }]);
    assert.equal(p.native?.schema, 0);
  });

  test('a series that lost resolution early is reset right after the first collection once due', (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_000_000_000_000 });
    const h = native({ bucketFactor: 2, maxBuckets: 2, minResetDurationSeconds: 60 });
    h.observe(1);
    t.mock.timers.tick(10_000);
    h.observe(2);
    h.observe(4);
    assert.equal(h.get().native?.schema, -1);
    t.mock.timers.tick(49_000);
    assert.equal(point(h).count, 3, 'not due yet: nothing is reset');
    t.mock.timers.tick(1_000);
    const due = point(h);
    assert.equal(due.count, 3, 'the collection that finds the reset due still shows every value');
    assert.equal(due.native?.schema, -1);
    const after = point(h);
    assert.equal(after.count, 0);
    assert.equal(after.created, 1_000_000_060);
    assert.equal(after.native?.schema, 0);
  });

  test('maxBuckets 0 never limits', () => {
    const h = native({ maxBuckets: 0 });
    for (let i = 0; i < 300; i++) h.observe(2 ** (i / 8));
    const n = h.get().native!;
    assert.equal(n.schema, 3);
    assert.equal(
      n.positiveSpans.reduce((a, s) => a + s.length, 0),
      n.positiveDeltas.length,
    );
    assert.equal(n.positiveDeltas.length, 300);
  });
});
