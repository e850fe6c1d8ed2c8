/**
 * Property test of the registry's checks against outside oracles: arbitrary collector outputs
 * (hostile names with newlines, quotes, `}` and `# EOF`, string values, negative and NaN counters,
 * mismatched or unsorted buckets, duplicate series and families, bad units and quantiles) either
 * fail collection or are left out; whatever the registry returns, as a whole or as the partial
 * families of its CollectError, must pass `promtool check metrics` without a parse error (text
 * 0.0.4) and be parsed by Python prometheus_client's strict OpenMetrics parser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderOpenMetrics, renderText } from '../../src/exposition/index.js';
import { type Collector, isCollectError, type MetricFamily, Registry } from '../../src/index.js';
import { pythonSamples } from '../helpers/oracles.js';
import { findBinary, findPythonClient, run } from '../helpers/processes.js';

const RUNS = 150;

const hostile = fc.constantFrom(
  'x 0\nadmin_password_resets_total 999\ny',
  'a"}',
  'a-b"}',
  '# EOF',
  '',
  'a b',
  'é',
  '\ud800',
  '_total',
  '__name__',
  'x}\n# EOF\n',
);

type Fam = Record<string, unknown> & { points: Record<string, unknown>[] };

const labelSets = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'code'), { maxLength: 3 })
  .map((names) => [...names].sort())
  .chain((names) =>
    fc.array(
      fc
        .array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('"', '\\', '\n', '"}', '# EOF', '')), {
          minLength: names.length,
          maxLength: names.length,
        })
        .map((values) => ({ names, values })),
      { minLength: 1, maxLength: 4 },
    ),
  );

const count = fc.nat(1000);
const created = fc.option(fc.integer({ min: 0, max: 2e9 }), { nil: undefined });
const ts = fc.option(fc.integer({ min: 0, max: 2e12 }), { nil: undefined });

/** A family that is valid by construction, of a random type. */
const validFamily: fc.Arbitrary<Fam> = fc
  .record({
    base: fc.stringMatching(/^[a-z][a-z_]{0,5}[a-z]$/),
    help: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a\nb', 'back\\slash "q"', '# EOF')),
    type: fc.constantFrom('counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'untyped'),
    withUnit: fc.boolean(),
    series: labelSets,
    bounds: fc
      .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 100 }), { maxLength: 4 })
      .map((b) => [...b].sort((x, y) => x - y)),
    quantiles: fc
      .uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 })
      .map((q) => [...q].sort((x, y) => x - y)),
    seed: fc.array(
      fc.tuple(fc.array(fc.nat(5), { minLength: 5, maxLength: 5 }), fc.double(), count, created, ts),
      {
        minLength: 4,
        maxLength: 4,
      },
    ),
  })
  .map(({ base, help, type, withUnit, series, bounds, quantiles, seed }) => {
    const unitName = withUnit ? `${base}_seconds` : base;
    const name = type === 'counter' ? `${unitName}_total` : unitName;
    const unique = [...new Map(series.map((l) => [JSON.stringify(l.values), l])).values()];
    const points = unique.map((labels, i) => {
      const [steps, real, n, createdAt, timestampMs] = seed[i]!;
      const common = { labels, ...(timestampMs !== undefined ? { timestampMs } : {}) };
      switch (type) {
        case 'counter':
          return { ...common, value: n, ...(createdAt !== undefined ? { created: createdAt } : {}) };
        case 'histogram':
        case 'gaugehistogram': {
          const cumulativeCounts = bounds.map((_, k) => steps.slice(0, k + 1).reduce((x, y) => x + y, 0));
          const total = (cumulativeCounts.at(-1) ?? 0) + steps[4]!;
          return { ...common, upperBounds: bounds, cumulativeCounts, count: total, sum: real };
        }
        case 'summary':
          return {
            ...common,
            quantiles: quantiles.map((q) => ({ quantile: q, value: real })),
            count: n,
            sum: Math.abs(real),
          };
        default:
          return { ...common, value: real };
      }
    });
    return { name, help, type, ...(withUnit ? { unit: 'seconds' } : {}), points } as Fam;
  });

/** Ways to spoil a family, each one a problem found in real collectors or attacks. */
const mutations: readonly ((f: Fam, hostileText: string) => Fam)[] = [
  (f, h) => ({ ...f, name: h }),
  (f, h) => ({ ...f, help: h === '' ? 7 : `${h}\ud800` }),
  (f, h) => ({ ...f, unit: `seconds${h}` }),
  (f) => ({ ...f, unit: 'bytes' }),
  (f, h) => ({ ...f, type: h }),
  (f, h) => ({ ...f, points: f.points.map((p) => ({ ...p, labels: { names: [h], values: ['v'] } })) }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({ ...p, labels: { names: ['le', 'quantile'], values: ['1', '2'] } })),
  }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({ ...p, labels: { names: ['b', 'a'], values: ['1', '2'] } })),
  }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, labels: { names: ['a'], values: [5] } })) }),
  (f) => ({ ...f, points: [...f.points, ...f.points] }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, value: -1, count: -1 })) }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, value: Number.NaN, count: Number.NaN })) }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, value: '1', sum: '1' })) }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, cumulativeCounts: [1, 2, 3, 4, 5, 6] })) }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({ ...p, upperBounds: [3, 1, 2, 0], cumulativeCounts: [0, 0, 0, 0] })),
  }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({
      ...p,
      cumulativeCounts: [5, 1, 0, 0].slice(0, (p.upperBounds as unknown[] | undefined)?.length ?? 0),
      count: 0,
    })),
  }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, quantiles: [{ quantile: 1.5, value: 1 }] })) }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({ ...p, timestampMs: Number.NaN, created: Number.POSITIVE_INFINITY })),
  }),
  (f) => ({
    ...f,
    points: f.points.map((p) => ({
      ...p,
      exemplar: { labels: { names: ['t'], values: ['x'.repeat(130)] }, value: 1 },
    })),
  }),
  (f) => ({ ...f, points: f.points.map((p) => ({ ...p, labels: undefined })) }),
  (f) => ({ ...f, points: 'none' as unknown as Fam['points'] }),
];

const family: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: validFamily },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validFamily, fc.nat(mutations.length - 1), hostile)
      .map(([f, m, h]) => mutations[m]!(f, h)),
  },
);

/** A registry of collectors that each return arbitrary output (sometimes not even an array). */
const collectorOutputs = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: fc.array(family, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, {}, 'x') },
  ),
  { minLength: 1, maxLength: 4 },
);

async function gathered(outputs: readonly unknown[]): Promise<MetricFamily[]> {
  const registry = new Registry();
  for (const output of outputs) {
    const collector: Collector = { collect: () => output as MetricFamily[] };
    registry.register(collector);
  }
  try {
    return await registry.collect();
  } catch (error) {
    assert.ok(isCollectError(error), String(error));
    return [...error.families];
  }
}

test('whatever collectors return, the text exposition has no parse error in promtool', async (t) => {
  const promtool = findBinary('promtool');
  if (promtool === undefined) return t.skip('promtool is not installed');
  await fc.assert(
    fc.asyncProperty(collectorOutputs, async (outputs) => {
      const text = renderText(await gathered(outputs));
      const result = await run(promtool, ['check', 'metrics'], text);
      // Exit 3 is lint advice on names and help; 1 (with "error while linting") is a parse failure.
      assert.doesNotMatch(`${result.stdout}${result.stderr}`, /error while linting/, text);
      assert.notEqual(result.code, 1, text);
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
});

test('whatever collectors return, the OpenMetrics exposition parses in prometheus_client', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  await fc.assert(
    fc.asyncProperty(collectorOutputs, async (outputs) => {
      await pythonSamples(python, renderOpenMetrics(await gathered(outputs)));
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
});

test('the generator reaches both sides: some outputs are refused, some families are written', async () => {
  let refused = 0;
  let written = 0;
  for (const outputs of fc.sample(collectorOutputs, { numRuns: RUNS, seed: 1 })) {
    const registry = new Registry();
    for (const output of outputs) registry.register({ collect: () => output as MetricFamily[] });
    try {
      written += (await registry.collect()).filter((f) => f.points.length > 0).length;
    } catch (error) {
      assert.ok(isCollectError(error));
      refused++;
      written += error.families.filter((f) => f.points.length > 0).length;
    }
  }
  assert.ok(refused > RUNS / 10, `only ${refused} of ${RUNS} registries had a refused output`);
  assert.ok(written > RUNS / 10, `only ${written} non-empty families were written in ${RUNS} registries`);
});
