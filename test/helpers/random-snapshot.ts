/**
 * One seeded generator of random snapshots for every codec test: families of every type whose
 * points pass the registry's family checks (so any encoder must take them), with the inputs that
 * break codecs — UTF-8 metric and label names, hostile help and label values, NaN, ±Inf and -0
 * wherever the model allows them, exemplars (counter and per bucket, +Inf included), created
 * times and timestamps, native histograms on both sides of zero, and summaries with DDSketch
 * state. Points of a family either share one label-names array (as metrics emit them) or use
 * their own names (as user collectors may), and histograms either share one bounds array or not.
 *
 * Built on fast-check, so a property over `snapshotArbitrary` shrinks a failure to a small
 * snapshot and reports the seed; `sampleSnapshots(seed, n)` gives the same snapshots for a seed.
 * Timestamps are whole milliseconds (created times and exemplar timestamps in seconds), as
 * clients take them, which every format carries exactly.
 */
import fc from 'fast-check';
import type {
  BucketSpan,
  CounterPoint,
  Exemplar,
  GaugePoint,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  NativeHistogramData,
  Quantile,
  SketchState,
  SummaryPoint,
} from '../../src/model/family.js';
import { labelSet } from '../../src/model/family.js';

/** The floats that codecs get wrong first. */
export const SPECIAL_FLOATS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  0.1,
];

/** Stems of metric names; none contains a digit, so the `_f<index>` suffix keeps names apart. */
const STEMS = ['http_requests', 'queue_depth', 'rpc', 'café', 'http.server.duration', '温度', 'a:b'];
/** Label names, legacy and UTF-8; none is reserved for a type (`le`, `quantile`) or starts with `__`. */
const LABEL_NAMES = ['code', 'method', 'path', '_x', 'http.method', 'ünïcode', '😀 emoji', 'a"b'];
const HOSTILE_TEXT = ['', '"', '\\', '\n', '"}', '# EOF', 'a\\nb', 'é', '😀', ' ', 'x'.repeat(40)];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
);

/** Any float, specials weighted up. */
const anyFloat = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_FLOATS) },
  { weight: 3, arbitrary: fc.double() },
);
/** A float >= 0 (or -0), not NaN: counter values, sums of summaries, zero thresholds. */
const nonNegativeFloat = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.MIN_VALUE, 0.1) },
  { weight: 3, arbitrary: fc.double({ min: 0, noNaN: true }) },
);
/** A whole observation count. */
const count = fc.oneof(fc.nat(20), fc.nat(2 ** 40), fc.constant(Number.MAX_SAFE_INTEGER));
const timestampMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
/** Seconds since the epoch at millisecond precision. */
const seconds = timestampMs.map((ms) => ms / 1000);
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined, freq: 2 });

const labelNames = fc
  .uniqueArray(fc.constantFrom(...LABEL_NAMES), { maxLength: 3 })
  .map((names) => labelSet(Object.fromEntries(names.map((n) => [n, '']))).names);

function labelsOf(names: readonly string[], values: readonly string[]): LabelSet {
  return labelSet(Object.fromEntries(names.map((n, i) => [n, values[i]!])));
}

/** An exemplar with `value`; its labels stay under OpenMetrics' 128 code points. */
const exemplarWith = (value: fc.Arbitrary<number>): fc.Arbitrary<Exemplar> =>
  fc
    .record({
      labels: fc.uniqueArray(fc.constantFrom('trace_id', 'span_id', 'ünï'), { maxLength: 2 }).chain((names) =>
        fc
          .array(fc.string({ maxLength: 16, unit: 'binary' }), {
            minLength: names.length,
            maxLength: names.length,
          })
          .map((values) => labelsOf(names, values)),
      ),
      value,
      timestamp: optional(seconds),
    })
    .map(({ labels, value, timestamp }) =>
      timestamp === undefined ? { labels, value } : { labels, value, timestamp },
    );

/** What each point has besides its labels and value: one tuple of random parts per point. */
interface PointParts {
  readonly values: readonly string[];
  readonly ownNames: readonly string[] | undefined;
  readonly timestampMs: number | undefined;
  readonly created: number | undefined;
}

const pointParts = fc.record({
  values: fc.array(text, { minLength: 3, maxLength: 3 }),
  ownNames: fc.option(labelNames, { nil: undefined, freq: 4 }),
  timestampMs: fc.option(timestampMs, { nil: undefined, freq: 4 }),
  created: optional(seconds),
});

/**
 * Label sets for `parts`: the family's shared names array unless a point has its own, and no
 * two points of the family with the same set.
 */
function seriesLabels(familyNames: readonly string[], parts: readonly PointParts[]): LabelSet[] {
  const seen = new Set<string>();
  const out: LabelSet[] = [];
  for (const p of parts) {
    const names = p.ownNames ?? familyNames;
    const labels =
      names === familyNames && names.length > 0
        ? { names: familyNames, values: Object.freeze(p.values.slice(0, names.length)) }
        : labelsOf(names, p.values);
    const key = JSON.stringify([labels.names, labels.values]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(Object.freeze(labels));
  }
  return out;
}

const base = fc.record({
  stem: fc.constantFrom(...STEMS),
  help: text,
  unit: fc.option(fc.constantFrom('seconds', 'bytes'), { nil: undefined, freq: 3 }),
  names: labelNames,
  parts: fc.array(pointParts, { maxLength: 5 }),
});

function familyName(stem: string, index: number, unit: string | undefined, suffix = ''): string {
  return `${stem}_f${index}${unit === undefined ? '' : `_${unit}`}${suffix}`;
}

interface Base {
  readonly stem: string;
  readonly help: string;
  readonly unit: string | undefined;
}

function head(b: Base, index: number, suffix = ''): { name: string; help: string; unit?: string } {
  const name = familyName(b.stem, index, b.unit, suffix);
  return b.unit === undefined ? { name, help: b.help } : { name, help: b.help, unit: b.unit };
}

/** Reused optional fields, left out rather than set to undefined (exact optional properties). */
function times(p: PointParts, withCreated: boolean) {
  return {
    ...(p.timestampMs !== undefined ? { timestampMs: p.timestampMs } : {}),
    ...(withCreated && p.created !== undefined ? { created: p.created } : {}),
  };
}

const counterFamily = (index: number): fc.Arbitrary<MetricFamily> =>
  base.chain((b) =>
    fc
      .array(
        fc.record({ value: nonNegativeFloat, exemplar: optional(exemplarWith(fc.double({ noNaN: true }))) }),
        {
          minLength: b.parts.length,
          maxLength: b.parts.length,
        },
      )
      .map((extras) => {
        const labels = seriesLabels(b.names, b.parts);
        const points: CounterPoint[] = labels.map((l, i) => ({
          labels: l,
          value: extras[i]!.value,
          ...times(b.parts[i]!, true),
          ...(extras[i]!.exemplar !== undefined ? { exemplar: extras[i]!.exemplar } : {}),
        }));
        return { ...head(b, index, '_total'), type: 'counter' as const, points };
      }),
  );

const gaugeFamily = (index: number, type: 'gauge' | 'untyped'): fc.Arbitrary<MetricFamily> =>
  base.chain((b) =>
    fc.array(anyFloat, { minLength: b.parts.length, maxLength: b.parts.length }).map((values) => {
      const points: GaugePoint[] = seriesLabels(b.names, b.parts).map((l, i) => ({
        labels: l,
        value: values[i]!,
        ...times(b.parts[i]!, false),
      }));
      return { ...head(b, index), type, points };
    }),
  );

const bounds = fc
  .uniqueArray(
    fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 0.005, 1, 10)),
    {
      maxLength: 5,
      // -0 and 0 are one bound.
      selector: (b) => (b === 0 ? 0 : b),
    },
  )
  .map((b) => Object.freeze([...b].sort((x, y) => x - y)));

/** Absolute counts of consecutive native buckets, as spans and deltas. */
const nativeSide = fc
  .array(fc.record({ gap: fc.nat(3), counts: fc.array(fc.nat(9), { minLength: 1, maxLength: 4 }) }), {
    maxLength: 3,
  })
  .chain((runs) =>
    fc.integer({ min: -8, max: 8 }).map((start) => {
      const spans: BucketSpan[] = [];
      const deltas: number[] = [];
      let previous = 0;
      let total = 0;
      runs.forEach((run, r) => {
        spans.push({ offset: r === 0 ? start : run.gap, length: run.counts.length });
        for (const c of run.counts) {
          deltas.push(c - previous);
          previous = c;
          total += c;
        }
      });
      return { spans, deltas, total };
    }),
  );

const native = fc
  .record({
    schema: fc.integer({ min: -4, max: 8 }),
    zeroThreshold: fc.constantFrom(0, -0, 2 ** -128, 0.001),
    zeroCount: fc.nat(5),
    positive: nativeSide,
    negative: nativeSide,
  })
  .map(({ schema, zeroThreshold, zeroCount, positive, negative }) => ({
    data: {
      schema,
      zeroThreshold,
      zeroCount,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
    } satisfies NativeHistogramData,
    total: zeroCount + positive.total + negative.total,
  }));

/** An exemplar value inside bucket `slot` of `upper`: (previous bound, bound], +Inf last. */
function valueInBucket(upper: readonly number[], slot: number): number {
  const high = upper[slot];
  if (high !== undefined) return high;
  const low = upper.at(-1);
  // Above the last bound; past Number.MAX_VALUE that is +Inf, still inside the +Inf bucket.
  return low === undefined ? 0 : low + Math.abs(low) + 1;
}

const histogramExtras = fc.record({
  ownBounds: fc.option(bounds, { nil: undefined, freq: 3 }),
  steps: fc.array(fc.nat(7), { minLength: 6, maxLength: 6 }),
  sum: anyFloat,
  exemplarSlots: fc.uniqueArray(fc.nat(5), { maxLength: 3 }),
  exemplar: exemplarWith(fc.constant(0)),
  native: optional(native),
});

const histogramFamily = (index: number, type: 'histogram' | 'gaugehistogram'): fc.Arbitrary<MetricFamily> =>
  base.chain((b) =>
    fc
      .tuple(bounds, fc.array(histogramExtras, { minLength: b.parts.length, maxLength: b.parts.length }))
      .map(([familyBounds, extras]) => {
        const points: HistogramPoint[] = seriesLabels(b.names, b.parts).map((l, i) => {
          const x = extras[i]!;
          const upperBounds = x.ownBounds ?? familyBounds;
          let running = 0;
          const cumulativeCounts = upperBounds.map((_, k) => (running += x.steps[k]!));
          const count = Math.max(running + x.steps[5]!, x.native?.total ?? 0);
          const slots = x.exemplarSlots.filter((s) => s <= upperBounds.length);
          const exemplars =
            slots.length === 0
              ? undefined
              : Array.from({ length: upperBounds.length + 1 }, (_, s) =>
                  slots.includes(s) ? { ...x.exemplar, value: valueInBucket(upperBounds, s) } : undefined,
                );
          // A gauge histogram's sum is written as `_gsum`, which must not be NaN or negative here.
          const sum = type === 'gaugehistogram' && !(x.sum >= 0) ? Math.abs(x.sum) || 0 : x.sum;
          return {
            labels: l,
            upperBounds,
            cumulativeCounts,
            count,
            sum,
            ...times(b.parts[i]!, true),
            ...(exemplars !== undefined ? { exemplars } : {}),
            ...(x.native !== undefined ? { native: x.native.data } : {}),
          };
        });
        return { ...head(b, index), type, points };
      }),
  );

const sketch: fc.Arbitrary<SketchState> = fc
  .record({
    relativeAccuracy: fc.constantFrom(0.01, 0.001, 0.05),
    zeroCount: fc.nat(5),
    positiveOffset: fc.integer({ min: -2000, max: 2000 }),
    positive: fc.array(fc.nat(9), { maxLength: 6 }),
    negativeOffset: fc.integer({ min: -2000, max: 2000 }),
    negative: fc.array(fc.nat(9), { maxLength: 6 }),
  })
  // A plain object, as a sketch's state() returns (fast-check's records have no prototype).
  .map((state) => ({ ...state }));

const quantiles: fc.Arbitrary<Quantile[]> = fc
  .uniqueArray(fc.oneof(fc.constantFrom(0, 0.5, 0.99, 1), fc.double({ min: 0, max: 1, noNaN: true })), {
    maxLength: 4,
    selector: (q) => (q === 0 ? 0 : q),
  })
  .chain((qs) =>
    fc
      .array(fc.oneof(nonNegativeFloat, fc.constant(Number.NaN)), {
        minLength: qs.length,
        maxLength: qs.length,
      })
      .map((values) => [...qs].sort((a, b) => a - b).map((quantile, i) => ({ quantile, value: values[i]! }))),
  );

const summaryFamily = (index: number): fc.Arbitrary<MetricFamily> =>
  base.chain((b) =>
    fc
      .array(fc.record({ quantiles, count, sum: nonNegativeFloat, sketch: optional(sketch) }), {
        minLength: b.parts.length,
        maxLength: b.parts.length,
      })
      .map((extras) => {
        const points: SummaryPoint[] = seriesLabels(b.names, b.parts).map((l, i) => {
          const x = extras[i]!;
          return {
            labels: l,
            quantiles: x.quantiles,
            count: x.count,
            sum: x.sum,
            ...times(b.parts[i]!, true),
            ...(x.sketch !== undefined ? { sketch: x.sketch } : {}),
          };
        });
        return { ...head(b, index), type: 'summary' as const, points };
      }),
  );

/** One family of any type, named with `index` (families of different indexes never share a name). */
export function familyArbitrary(index: number): fc.Arbitrary<MetricFamily> {
  return fc.oneof(
    counterFamily(index),
    gaugeFamily(index, 'gauge'),
    gaugeFamily(index, 'untyped'),
    histogramFamily(index, 'histogram'),
    histogramFamily(index, 'gaugehistogram'),
    summaryFamily(index),
  );
}

/** A snapshot of up to `maxFamilies` families with distinct names, in any order. */
export function snapshotArbitrary(maxFamilies = 6): fc.Arbitrary<MetricFamily[]> {
  return fc
    .integer({ min: 0, max: maxFamilies })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => familyArbitrary(i))))
    .map((families) => [...families]);
}

/** `n` snapshots, the same ones for the same seed. */
export function sampleSnapshots(seed: number, n: number, maxFamilies = 6): MetricFamily[][] {
  return fc.sample(snapshotArbitrary(maxFamilies), { seed, numRuns: n });
}

/**
 * The seed of a property run: SNAPSHOT_SEED to replay a failure, else a fresh one. Tests print it
 * in their failure message, and fast-check reports it too.
 */
export function snapshotSeed(): number {
  const fromEnv = process.env.SNAPSHOT_SEED;
  return fromEnv === undefined ? Date.now() % 2 ** 31 : Number(fromEnv);
}
