/**
 * Differential test against client_golang: the same snapshot model is encoded by our text 0.0.4,
 * OpenMetrics and protobuf writers and by client_golang's Registry.Gather plus prometheus/common's
 * expfmt encoders (test/fixtures/golang-oracle), for fixed registries and for random ones built
 * from real metrics. The Go side gets every family's series in reverse order, so its own sorting
 * decides the order it writes.
 *
 * Debian's client_model 0.3 and common 0.39 have no unit, no created timestamps, no native
 * histogram exemplars, no gauge histogram in OpenMetrics and no UTF-8 names, so the families
 * compared carry none of these (unit tests cover them). One difference is deliberate and checked
 * as such: an OpenMetrics histogram with a negative bucket bound or a negative or NaN sum, and a
 * summary with a negative or NaN sum, have no `_sum` and `_count` in ours, as the OpenMetrics spec
 * requires; client_golang writes them.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { braces, labelText } from '../../src/exposition/escape.js';
import {
  formatCanonical,
  parseProtobuf,
  renderOpenMetrics,
  renderProtobuf,
  renderText,
} from '../../src/exposition/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  type HistogramPoint,
  labelSet,
  type MetricFamily,
  Registry,
  Summary,
} from '../../src/index.js';
import { compareLabelSets } from '../../src/model/labels.js';
import { buildGolangOracle, type GoEncoding, golangEncode } from '../helpers/golang-oracle.js';

const L = labelSet;
let oracle: string | undefined;

before(async () => {
  oracle = await buildGolangOracle();
});

/** What client_golang can express: no created timestamps, no units. */
function comparable(families: readonly MetricFamily[]): MetricFamily[] {
  return families.map((f) => {
    const { unit: _unit, ...rest } = f;
    const points = f.points.map((p) => {
      if (!('created' in p)) return p;
      const { created: _created, ...point } = p;
      return point;
    });
    return { ...rest, points } as MetricFamily;
  });
}

/** The same families with every family's series reversed, for the Go side to sort. */
function reversed(families: readonly MetricFamily[]): MetricFamily[] {
  return [...families].reverse().map((f) => ({ ...f, points: [...f.points].reverse() }) as MetricFamily);
}

/** A histogram point OpenMetrics may not give `_sum`/`_count`: a negative bound, or a sum below 0 or NaN. */
function omWithoutSum(p: HistogramPoint): boolean {
  return !((p.upperBounds.length === 0 || p.upperBounds[0]! >= 0) && p.sum >= 0);
}

/** client_golang's OpenMetrics output with the deliberate difference applied: those `_sum`/`_count` lines dropped. */
function expectedOpenMetrics(go: string, families: readonly MetricFamily[]): string {
  const drop = new Set<string>();
  for (const f of families) {
    if (f.type !== 'histogram' && f.type !== 'summary') continue;
    for (const p of f.points) {
      // A summary's `_sum` is a counter in OpenMetrics too: below 0 or NaN, both lines are left out.
      if (f.type === 'summary' ? p.sum >= 0 : !omWithoutSum(p as HistogramPoint)) continue;
      const b = braces(labelText(p.labels));
      drop.add(`${f.name}_sum${b} `);
      drop.add(`${f.name}_count${b} `);
    }
  }
  if (drop.size === 0) return go;
  return go
    .split('\n')
    .filter((line) => ![...drop].some((prefix) => line.startsWith(prefix)))
    .join('\n');
}

/**
 * client_golang writes an exemplar timestamp as float64(UnixNano)/1e9, which loses the last
 * digits (1700000000.25 becomes 1.7000000002499998e+09, read back as ...249 ms); ours writes the
 * seconds the model holds. Where a line differs only so, and Go's number is exactly that formula
 * applied to ours, Go's line is replaced by ours.
 */
function withOurExemplarTimestamps(go: string, ours: string): string {
  const goLines = go.split('\n');
  const ourLines = ours.split('\n');
  if (goLines.length !== ourLines.length) return go;
  return goLines
    .map((line, i) => {
      const mine = ourLines[i]!;
      if (line === mine || !line.includes(' # {')) return line;
      const cut = line.lastIndexOf(' ');
      const myCut = mine.lastIndexOf(' ');
      if (line.slice(0, cut) !== mine.slice(0, myCut)) return line;
      const seconds = Number(mine.slice(myCut + 1));
      return formatCanonical(unixNanoSeconds(seconds)) === line.slice(cut + 1) ? mine : line;
    })
    .join('\n');
}

/** Go's float64(t.UnixNano())/1e9 for the protobuf Timestamp the seconds are sent as. */
function unixNanoSeconds(seconds: number): number {
  let whole = Math.floor(seconds);
  let nanos = Math.round((seconds - whole) * 1e6) * 1000;
  if (nanos === 1e9) {
    whole += 1;
    nanos = 0;
  }
  return Number(BigInt(whole) * 1_000_000_000n + BigInt(nanos)) / 1e9;
}

function compare(label: string, families: readonly MetricFamily[], go: GoEncoding): void {
  assert.equal(go.error, undefined, `${label}: client_golang refused the registry: ${go.error}`);
  assert.equal(renderText(families), go.text, `${label}: text 0.0.4`);
  const om = renderOpenMetrics(families);
  assert.equal(
    om,
    withOurExemplarTimestamps(expectedOpenMetrics(go.openmetrics!, families), om),
    `${label}: OpenMetrics`,
  );
  const ours = renderProtobuf(families);
  const theirs = new Uint8Array(Buffer.from(go.protobuf ?? '', 'base64'));
  assert.deepEqual(parseProtobuf(ours), parseProtobuf(theirs), `${label}: protobuf, decoded`);
  assert.equal(
    Buffer.from(ours).toString('hex'),
    Buffer.from(theirs).toString('hex'),
    `${label}: protobuf bytes`,
  );
}

async function compareAll(
  registries: readonly (readonly MetricFamily[])[],
  labels: readonly string[],
): Promise<void> {
  const results = await golangEncode(oracle!, registries.map(reversed));
  assert.equal(results.length, registries.length);
  for (let i = 0; i < registries.length; i++) compare(labels[i]!, registries[i]!, results[i]!);
}

/** Snapshot families as a registry collects them from a collector that sorts its series. */
async function viaRegistry(families: readonly MetricFamily[]): Promise<MetricFamily[]> {
  const registry = new Registry();
  const sorted = families.map(
    (f) =>
      ({ ...f, points: [...f.points].sort((a, b) => compareLabelSets(a.labels, b.labels)) }) as MetricFamily,
  );
  registry.register({ collect: () => sorted });
  return collected(registry);
}

/** Collects a registry of real metrics, in the form client_golang can express. */
async function collected(registry: Registry): Promise<MetricFamily[]> {
  return comparable(await registry.collect());
}

const SPECIAL_FLOATS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  -1,
  1e-5,
  1e-4,
  123456,
  1e6,
  1e21,
  5e-324,
  Number.MAX_VALUE,
  -Number.MIN_VALUE,
  0.1 + 0.2,
];

function fixedRegistries(): { name: string; families: Promise<MetricFamily[]> | MetricFamily[] }[] {
  const specials: MetricFamily[] = [
    {
      name: 'special_gauge',
      help: 'Special floats.',
      type: 'gauge',
      points: SPECIAL_FLOATS.map((value, i) => ({ labels: L({ i: String(i).padStart(2, '0') }), value })),
    },
    {
      name: 'special_untyped',
      help: '',
      type: 'untyped',
      points: [
        { labels: L({ t: 'a' }), value: 1, timestampMs: -1 },
        { labels: L({ t: 'b' }), value: 2, timestampMs: 1520879607789 },
        { labels: L({ t: 'c' }), value: 3, timestampMs: 0 },
      ],
    },
  ];
  const escapes: MetricFamily[] = [
    {
      name: 'escapes_total',
      help: 'back\\slash "quote"\nnewline\ttab',
      type: 'counter',
      points: [
        { labels: L({ a: '\\', b: '"' }), value: 1 },
        { labels: L({ a: '\n', b: 'Björn 佖佥' }), value: 2 },
        { labels: L({ a: 'x\\"\ny', b: '\t' }), value: 3 },
      ],
    },
    { name: 'empty_help', help: '', type: 'gauge', points: [{ labels: L(), value: 0 }] },
  ];
  const exemplars: MetricFamily[] = [
    {
      name: 'ex_total',
      help: 'Exemplars.',
      type: 'counter',
      points: [
        {
          labels: L({ a: 'x' }),
          value: 4,
          exemplar: { labels: L({ trace_id: 'abc' }), value: 0.67, timestamp: 1520879607.789 },
        },
        { labels: L({ a: 'y' }), value: 1, exemplar: { labels: L({ trace_id: 'd' }), value: 1 } },
      ],
    },
    {
      name: 'ex_seconds',
      help: 'Bucket exemplars.',
      type: 'histogram',
      points: [
        {
          labels: L(),
          upperBounds: [0.1, 1],
          cumulativeCounts: [1, 2],
          count: 3,
          sum: 5.15,
          exemplars: [
            { labels: L({ trace_id: 'a' }), value: 0.05, timestamp: 1700000000.25 },
            undefined,
            { labels: L({ trace_id: 'c', span: 'ÿ' }), value: 5, timestamp: 1700000001 },
          ],
        },
      ],
    },
  ];
  const shapes: MetricFamily[] = [
    {
      name: 'no_buckets',
      help: 'A histogram with only +Inf.',
      type: 'histogram',
      points: [{ labels: L(), upperBounds: [], cumulativeCounts: [], count: 0, sum: 0 }],
    },
    {
      name: 'negative_bounds',
      help: 'OpenMetrics drops _sum and _count here (deliberate).',
      type: 'histogram',
      points: [
        { labels: L({ s: 'neg' }), upperBounds: [-1, 1], cumulativeCounts: [1, 2], count: 2, sum: 0 },
        { labels: L({ s: 'nsum' }), upperBounds: [1], cumulativeCounts: [1], count: 1, sum: -2 },
      ],
    },
    {
      name: 'no_quantiles',
      help: 'A summary without quantiles.',
      type: 'summary',
      points: [{ labels: L(), quantiles: [], count: 0, sum: 0 }],
    },
    {
      name: 'quantiles',
      help: 'A summary.',
      type: 'summary',
      points: [
        {
          labels: L({ q: 'x' }),
          quantiles: [
            { quantile: 0, value: Number.NaN },
            { quantile: 0.5, value: 1e6 },
            { quantile: 1, value: -0 },
          ],
          count: 9007199254740991,
          sum: 1e21,
        },
      ],
    },
    {
      name: 'native_empty',
      help: 'Native histograms.',
      type: 'histogram',
      points: [
        {
          labels: L({ n: 'empty' }),
          upperBounds: [],
          cumulativeCounts: [],
          count: 0,
          sum: 0,
          native: {
            schema: 3,
            zeroThreshold: 0,
            zeroCount: 0,
            positiveSpans: [],
            positiveDeltas: [],
            negativeSpans: [],
            negativeDeltas: [],
          },
        },
        {
          labels: L({ n: 'full' }),
          upperBounds: [1],
          cumulativeCounts: [3],
          count: 14,
          sum: 3.5,
          native: {
            schema: -1,
            zeroThreshold: 2 ** -128,
            zeroCount: 1,
            positiveSpans: [
              { offset: -2, length: 2 },
              { offset: 2, length: 1 },
            ],
            positiveDeltas: [3, 2, -4],
            negativeSpans: [{ offset: 1, length: 2 }],
            negativeDeltas: [2, -1],
          },
        },
      ],
    },
  ];
  return [
    { name: 'special floats and timestamps', families: viaRegistry(specials) },
    { name: 'escapes and empty HELP', families: viaRegistry(escapes) },
    { name: 'exemplars', families: viaRegistry(exemplars) },
    { name: 'histogram and summary shapes', families: viaRegistry(shapes) },
    { name: 'every metric type, from real metrics', families: everyType() },
    { name: 'sorting: U+E000-U+FFFF before characters above U+FFFF', families: sortCases() },
  ];
}

async function everyType(): Promise<MetricFamily[]> {
  const registry = new Registry();
  const c = new Counter({
    name: 'requests_total',
    help: 'Requests.',
    labelNames: ['code'] as const,
    registry,
  });
  c.inc({ code: '200' }, 3, { trace_id: 't1' });
  c.inc({ code: '500' });
  const g = new Gauge({ name: 'temperature_celsius', help: 'T.', registry });
  g.set(-21.5);
  const h = new Histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['route'] as const, registry });
  for (const v of [0.001, 0.03, 0.2, 7, 20]) h.observe({ route: '/a' }, v);
  h.observe({ route: '/b' }, 0.5, { trace_id: 'x' });
  const n = new Histogram({ name: 'native_seconds', help: 'N.', native: { maxBuckets: 4 }, registry });
  for (const v of [0, 1e-3, 1, 2, -3, 1e10, Number.POSITIVE_INFINITY, Number.NaN]) n.observe(v);
  const s = new Summary({ name: 'size_bytes', help: 'S.', registry });
  for (const v of [1, 10, 100, 1000]) s.observe(v);
  return collected(registry);
}

async function sortCases(): Promise<MetricFamily[]> {
  const registry = new Registry();
  const c = new Counter({ name: 'sorted_total', help: 'h', labelNames: ['b', 'a'] as const, registry });
  for (const a of ['\u{10000}', '\uE000', '\uFFFF', 'z', '\u{1F600}', '', '\uD7FF']) {
    for (const b of ['\u{1F600}', '\uE000']) c.inc({ a, b });
  }
  return collected(registry);
}

const LABEL_VALUE = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', '\\', '"', '\n', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', 'a"b\\c\nd', '200'),
);
const FINITE = fc.double({ noNaN: true, noDefaultInfinity: true });

const SERIES = fc.record({
  values: fc.array(LABEL_VALUE, { minLength: 2, maxLength: 2 }),
  observations: fc.array(FINITE, { maxLength: 6 }),
  exemplar: fc.option(LABEL_VALUE, { nil: undefined }),
});

const FAMILY = fc.record({
  type: fc.constantFrom('counter', 'gauge', 'histogram', 'native', 'summary', 'untyped'),
  help: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 12 })),
  labelCount: fc.integer({ min: 0, max: 2 }),
  series: fc.array(SERIES, { minLength: 1, maxLength: 5 }),
  buckets: fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
    maxLength: 4,
    comparator: (a, b) => a === b,
  }),
  gaugeValue: fc.constantFrom(...SPECIAL_FLOATS.filter((v) => !Number.isNaN(v))),
  timestampMs: fc.integer({ min: -1e12, max: 4e12 }),
});

type FamilyPlan = typeof FAMILY extends fc.Arbitrary<infer T> ? T : never;

/** Builds one random registry of real metrics (and an untyped collector family) and collects it. */
async function build(plan: readonly FamilyPlan[]): Promise<MetricFamily[]> {
  const registry = new Registry();
  const untyped: MetricFamily[] = [];
  plan.forEach((f, i) => {
    const labelNames = (['l_b', 'l_a'] as const).slice(0, f.labelCount);
    const labelsOf = (values: readonly string[]): Record<string, string> =>
      Object.fromEntries(labelNames.map((n, k) => [n, values[k]!]));
    // A metric without labels takes no label argument.
    const call = (values: readonly string[], ...rest: unknown[]): unknown[] =>
      f.labelCount === 0 ? rest : [labelsOf(values), ...rest];
    const seen = new Set<string>();
    const series = f.series.filter((s) => {
      const key = JSON.stringify(s.values.slice(0, f.labelCount));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const name = `f${i}`;
    const base = { help: f.help, labelNames, registry };
    switch (f.type) {
      case 'counter': {
        const c = new Counter({ ...base, name: `${name}_total` });
        for (const s of series) {
          const labels = labelsOf(s.values);
          c.labels(labels as never);
          for (const v of s.observations)
            Reflect.apply(
              c.inc,
              c,
              call(s.values, Math.abs(v), s.exemplar === undefined ? undefined : { trace_id: s.exemplar }),
            );
        }
        break;
      }
      case 'gauge': {
        const g = new Gauge({ ...base, name });
        for (const s of series) Reflect.apply(g.set, g, call(s.values, s.observations[0] ?? f.gaugeValue));
        break;
      }
      case 'histogram':
      case 'native': {
        const buckets = [...f.buckets].sort((a, b) => a - b);
        const h = new Histogram({
          ...base,
          name,
          ...(f.type === 'native'
            ? { native: { maxBuckets: 5 }, buckets: [] }
            : buckets.length > 0
              ? { buckets }
              : {}),
        });
        for (const s of series) {
          const labels = labelsOf(s.values);
          h.labels(labels as never);
          for (const v of s.observations) {
            const exemplar =
              s.exemplar === undefined || f.type === 'native' ? undefined : { trace_id: s.exemplar };
            Reflect.apply(h.observe, h, call(s.values, v, exemplar));
          }
        }
        break;
      }
      case 'summary': {
        const sm = new Summary({ ...base, name });
        for (const s of series) {
          const labels = labelsOf(s.values);
          sm.labels(labels as never);
          for (const v of s.observations) Reflect.apply(sm.observe, sm, call(s.values, v));
        }
        break;
      }
      case 'untyped': {
        const points = series
          .map((s, k) => ({
            labels: L(labelsOf(s.values)),
            value: s.observations[0] ?? f.gaugeValue,
            timestampMs: f.timestampMs + k,
          }))
          .sort((a, b) => compareLabelSets(a.labels, b.labels));
        untyped.push({ name, help: f.help, type: 'untyped', points });
        break;
      }
    }
  });
  registry.register({ collect: () => untyped });
  return collected(registry);
}

describe('client_golang differential', () => {
  test('fixed registries: every type, special floats, escapes, sort cases, empty HELP', async (t) => {
    if (oracle === undefined) return t.skip('go or the Debian client_golang packages are not installed');
    const fixed = fixedRegistries();
    const registries = await Promise.all(fixed.map((f) => f.families));
    await compareAll(
      registries,
      fixed.map((f) => f.name),
    );
  });

  test('random registries built from real metrics match client_golang in all three formats', async (t) => {
    if (oracle === undefined) return t.skip('go or the Debian client_golang packages are not installed');
    const seed = Number(process.env.DIFFERENTIAL_SEED ?? Date.now() % 2 ** 31);
    const plans = fc.sample(fc.array(FAMILY, { minLength: 1, maxLength: 6 }), { numRuns: 300, seed });
    const registries = await Promise.all(plans.map(build));
    await compareAll(
      registries,
      plans.map((plan, i) => `random registry ${i} (DIFFERENTIAL_SEED=${seed}): ${JSON.stringify(plan)}`),
    );
  });
});
