/**
 * Property tests against outside oracles: random registries (names, label values with quotes,
 * backslashes, newlines, unicode and empty strings, random floats with NaN and ±Inf wherever the
 * data model allows them) are rendered; every text exposition must pass `promtool check metrics`
 * with nothing reported, and every OpenMetrics exposition must be parsed by Python
 * prometheus_client's strict parser back to the same values.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderOpenMetrics, renderText } from '../../src/exposition/index.js';
import { Counter, Gauge, Histogram, type MetricFamily, Registry, Summary } from '../../src/index.js';
import { assertPromtoolClean, fromPython, parseWithPythonClient, pythonSamples } from '../helpers/oracles.js';
import { findBinary, findPythonClient } from '../helpers/processes.js';

const RUNS = 60;

const labelValue = fc
  .oneof(
    fc.constantFrom('', '"', '\\', '\n', '\\n', '"}', 'Björn', '佖佥', 'a,b=c', '{}', ' ', '🙂', '\u0000x'),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ maxLength: 8 }),
  )
  .filter((s) => s.isWellFormed());

const labelName = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,6}$/)
  .filter((n) => n !== 'le' && n !== 'quantile' && !n.startsWith('__'));

type Kind = 'counter' | 'gauge' | 'histogram' | 'summary';

interface MetricSpec {
  kind: Kind;
  help: string;
  labelNames: string[];
  series: { labels: string[]; values: number[] }[];
  buckets: number[];
}

const metricSpec: fc.Arbitrary<MetricSpec> = fc
  .record({
    kind: fc.constantFrom<Kind>('counter', 'gauge', 'histogram', 'summary'),
    help: fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => s.isWellFormed() && s.trim() !== ''),
    labelNames: fc.uniqueArray(labelName, { maxLength: 3 }),
    buckets: fc.uniqueArray(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 6 }),
  })
  .chain((m) =>
    fc.record({
      kind: fc.constant(m.kind),
      help: fc.constant(m.help),
      labelNames: fc.constant(m.labelNames),
      buckets: fc.constant([...m.buckets].sort((a, b) => a - b)),
      series: fc.array(
        fc.record({
          labels: fc.tuple(...m.labelNames.map(() => labelValue)),
          values: fc.array(valueFor(m.kind), { minLength: 1, maxLength: 5 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  );

/** Ordinary values, with NaN and ±Inf mixed in wherever the data model allows them. */
function valueFor(kind: Kind): fc.Arbitrary<number> {
  const special = (...values: number[]) => ({ arbitrary: fc.constantFrom(...values), weight: 1 });
  const INF = Number.POSITIVE_INFINITY;
  switch (kind) {
    case 'counter':
      return fc.oneof({ arbitrary: fc.double({ min: 0, max: 1e300, noNaN: true }), weight: 8 }, special(INF));
    case 'gauge':
      return fc.oneof({ arbitrary: fc.double({ noNaN: true }), weight: 8 }, special(Number.NaN, INF, -INF));
    case 'histogram':
      return fc.oneof(
        { arbitrary: fc.double({ min: 0, noNaN: true }), weight: 8 },
        special(Number.NaN, INF, -INF),
      );
    case 'summary':
      return fc.oneof(
        { arbitrary: fc.double({ min: 0, max: 1e300, noNaN: true }), weight: 8 },
        special(Number.NaN, INF, -INF),
      );
  }
}

function buildRegistry(specs: readonly MetricSpec[]): Registry {
  const registry = new Registry();
  specs.forEach((spec, i) => {
    // One lower-case token per name: promtool lints camelCase and abbreviated-unit tokens.
    const options = { name: `fc${i}metric`, help: spec.help, labelNames: spec.labelNames, registry };
    const labels = (values: string[]) => Object.fromEntries(spec.labelNames.map((n, k) => [n, values[k]!]));
    if (spec.kind === 'counter') {
      const m = new Counter<string>(options);
      for (const s of spec.series) for (const v of s.values) m.labels(labels(s.labels) as never).inc(v);
    } else if (spec.kind === 'gauge') {
      const m = new Gauge<string>(options);
      for (const s of spec.series) for (const v of s.values) m.labels(labels(s.labels) as never).set(v);
    } else if (spec.kind === 'histogram') {
      const m = new Histogram<string>({ ...options, buckets: spec.buckets });
      for (const s of spec.series) for (const v of s.values) m.labels(labels(s.labels) as never).observe(v);
    } else {
      const m = new Summary<string>(options);
      for (const s of spec.series) for (const v of s.values) m.labels(labels(s.labels) as never).observe(v);
    }
  });
  return registry;
}

type Sample = [string, Record<string, string>, number];

/** The samples an OpenMetrics parser must find, derived from the snapshot (not from our writer). */
function expectedSamples(families: readonly MetricFamily[]): Sample[] {
  const out: Sample[] = [];
  const labelsOf = (
    l: { names: readonly string[]; values: readonly string[] },
    extra: Record<string, string> = {},
  ) => ({
    ...Object.fromEntries(l.names.map((n, i) => [n, l.values[i]!])),
    ...extra,
  });
  const canonical = (v: number) => (v === Number.POSITIVE_INFINITY ? '+Inf' : formatPy(v));
  for (const f of families) {
    for (const p of f.points) {
      const labels = labelsOf(p.labels);
      if (f.type === 'counter' && 'value' in p) {
        const base = f.name.slice(0, -'_total'.length);
        out.push([`${base}_total`, labels, p.value]);
        if ('created' in p && p.created !== undefined) out.push([`${base}_created`, labels, p.created]);
      } else if (f.type === 'gauge' && 'value' in p) {
        out.push([f.name, labels, p.value]);
      } else if (f.type === 'histogram' && 'upperBounds' in p) {
        p.upperBounds.forEach((b, i) => {
          out.push([`${f.name}_bucket`, labelsOf(p.labels, { le: canonical(b) }), p.cumulativeCounts[i]!]);
        });
        out.push([`${f.name}_bucket`, labelsOf(p.labels, { le: '+Inf' }), p.count]);
        if (p.sum >= 0) {
          out.push([`${f.name}_sum`, labels, p.sum]);
          out.push([`${f.name}_count`, labels, p.count]);
        }
        if (p.created !== undefined) out.push([`${f.name}_created`, labels, p.created]);
      } else if (f.type === 'summary' && 'quantiles' in p) {
        for (const q of p.quantiles)
          out.push([f.name, labelsOf(p.labels, { quantile: canonical(q.quantile) }), q.value]);
        if (p.sum >= 0) {
          out.push([`${f.name}_sum`, labels, p.sum]);
          out.push([`${f.name}_count`, labels, p.count]);
        }
        if (p.created !== undefined) out.push([`${f.name}_created`, labels, p.created]);
      }
    }
  }
  return out;
}

/** The OpenMetrics canonical form of a bound, as the parser keeps it in the `le` label. */
function formatPy(v: number): string {
  return renderOpenMetrics([
    {
      name: 'x',
      help: '',
      type: 'histogram',
      points: [
        { labels: { names: [], values: [] }, upperBounds: [v], cumulativeCounts: [0], count: 0, sum: 0 },
      ],
    },
  ]).match(/le="([^"]*)"/)![1]!;
}

test('every text exposition passes promtool check metrics with nothing reported', async (t) => {
  const promtool = findBinary('promtool');
  if (promtool === undefined) return t.skip('promtool is not installed');
  await fc.assert(
    fc.asyncProperty(fc.array(metricSpec, { minLength: 1, maxLength: 4 }), async (specs) => {
      await assertPromtoolClean(promtool, renderText(await buildRegistry(specs).collect()));
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
});

test('every OpenMetrics exposition parses in prometheus_client back to the same values', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  await fc.assert(
    fc.asyncProperty(fc.array(metricSpec, { minLength: 1, maxLength: 4 }), async (specs) => {
      const families = await buildRegistry(specs).collect();
      const text = renderOpenMetrics(families);
      const samples = await pythonSamples(python, text);
      const got: Sample[] = samples.map(([name, labels, value]) => [name, labels, fromPython(value)]);
      // OpenMetrics writes -0 as 0.0, as prometheus/common does; the value is the same number.
      const expected = expectedSamples(families).map(
        ([name, labels, value]): Sample => [name, labels, Object.is(value, -0) ? 0 : value],
      );
      assert.deepEqual(got, expected, text);
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
});

test('the oracle is strict: prometheus_client agrees with all 211 OpenMetrics conformance cases', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  const root = new URL('../conformance/openmetrics/tests/testdata/parsers', import.meta.url).pathname;
  const cases = await Promise.all(
    (await readdir(root)).map(async (name) => ({
      name,
      text: await readFile(join(root, name, 'metrics'), 'utf8'),
      shouldParse: (
        JSON.parse(await readFile(join(root, name, 'test.json'), 'utf8')) as { shouldParse: boolean }
      ).shouldParse,
    })),
  );
  const parsed = await parseWithPythonClient(
    python,
    cases.map((c) => c.text),
  );
  const disagreements = cases
    .filter((c, i) => (parsed[i]!.error === undefined) !== c.shouldParse)
    .map((c) => c.name);
  assert.equal(cases.length, 211);
  assert.deepEqual(disagreements, []);
});
