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
import { familyArbitrary } from '../helpers/random-snapshot.js';

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

/**
 * A family that is valid by construction, of a random type, from the shared snapshot generator.
 * A few name indexes only, so collectors often return families of the same name.
 */
const validFamily: fc.Arbitrary<Fam> = fc
  .nat(3)
  .chain((index) => familyArbitrary(index))
  .map((family) => family as unknown as Fam);

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
