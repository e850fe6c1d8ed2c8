/**
 * The shared random-snapshot generator (test/helpers/random-snapshot.ts) is only as good as what
 * it reaches: these checks fail if it stops producing valid families or stops covering a case the
 * codec properties rely on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistogramPoint, MetricFamily } from '../../src/model/family.js';
import { isLegacyLabelName, isLegacyMetricName } from '../../src/model/names.js';
import { familyProblem } from '../../src/registry/validate-family.js';
import { sampleSnapshots } from '../helpers/random-snapshot.js';

const SEED = 20_261_201;
const snapshots = sampleSnapshots(SEED, 300);
const families: MetricFamily[] = snapshots.flat();

test('the same seed gives the same snapshots', () => {
  assert.deepStrictEqual(sampleSnapshots(SEED, 20), snapshots.slice(0, 20));
  assert.notDeepStrictEqual(sampleSnapshots(SEED + 1, 20), snapshots.slice(0, 20));
});

test('every generated family passes the registry family checks', () => {
  const problems = families.map((f) => familyProblem(f)).filter((p) => p !== undefined);
  assert.deepEqual(problems, []);
});

test('every snapshot has distinct family names', () => {
  for (const snapshot of snapshots) {
    assert.equal(new Set(snapshot.map((f) => f.name)).size, snapshot.length);
  }
});

test('the generator reaches every type, special value and optional part', () => {
  const numbers: number[] = [];
  const reached = new Set<string>();
  const see = (what: string, yes: boolean) => {
    if (yes) reached.add(what);
  };
  for (const f of families) {
    reached.add(`type ${f.type}`);
    see('UTF-8 metric name', !isLegacyMetricName(f.name));
    see('unit', f.unit !== undefined);
    see('family without series', f.points.length === 0);
    const names = f.points.map((p) => p.labels.names);
    see('points sharing one names array', names.length > 1 && names.every((n) => n === names[0]));
    see('points with different label names', new Set(names.map((n) => n.join('\u0000'))).size > 1);
    if (f.type === 'histogram' || f.type === 'gaugehistogram') {
      const bounds = f.points.map((p) => p.upperBounds);
      see('histogram points sharing bounds', bounds.length > 1 && bounds.every((b) => b === bounds[0]));
      see('histogram points with their own bounds', new Set(bounds).size > 1);
    }
    for (const p of f.points) {
      see(
        'UTF-8 label name',
        p.labels.names.some((n) => !isLegacyLabelName(n)),
      );
      see('empty label value', p.labels.values.includes(''));
      see(
        'label value with a newline',
        p.labels.values.some((v) => v.includes('\n')),
      );
      see('timestampMs', p.timestampMs !== undefined);
      see('created', 'created' in p && p.created !== undefined);
      if ('value' in p) numbers.push(p.value);
      if ('exemplar' in p) see('counter exemplar', p.exemplar !== undefined);
      if ('sketch' in p) see('summary sketch', p.sketch !== undefined);
      if ('quantiles' in p) {
        numbers.push(p.sum, ...p.quantiles.map((q) => q.value));
        see('summary quantiles', p.quantiles.length > 0);
      }
      if ('upperBounds' in p) histogramCases(p, see, numbers);
    }
  }
  see('NaN', numbers.some(Number.isNaN));
  see('+Inf', numbers.includes(Number.POSITIVE_INFINITY));
  see('-Inf', numbers.includes(Number.NEGATIVE_INFINITY));
  see(
    '-0',
    numbers.some((n) => Object.is(n, -0)),
  );
  const expected = [
    ...['counter', 'gauge', 'untyped', 'histogram', 'gaugehistogram', 'summary'].map((t) => `type ${t}`),
    'UTF-8 metric name',
    'unit',
    'family without series',
    'points sharing one names array',
    'points with different label names',
    'UTF-8 label name',
    'empty label value',
    'label value with a newline',
    'timestampMs',
    'created',
    'counter exemplar',
    'summary sketch',
    'summary quantiles',
    'bucket exemplar',
    '+Inf bucket exemplar',
    'histogram points sharing bounds',
    'histogram points with their own bounds',
    'native histogram',
    'native negative buckets',
    'native span before bucket 0',
    'NaN',
    '+Inf',
    '-Inf',
    '-0',
  ];
  assert.deepEqual(
    expected.filter((e) => !reached.has(e)),
    [],
  );
});

function histogramCases(
  p: HistogramPoint,
  see: (what: string, yes: boolean) => void,
  numbers: number[],
): void {
  numbers.push(p.sum, ...p.upperBounds);
  const exemplars = p.exemplars ?? [];
  see(
    'bucket exemplar',
    exemplars.slice(0, -1).some((e) => e !== undefined),
  );
  see('+Inf bucket exemplar', exemplars.length > 0 && exemplars.at(-1) !== undefined);
  const native = p.native;
  if (native === undefined) return;
  see('native histogram', true);
  see('native negative buckets', native.negativeDeltas.length > 0);
  see('native span before bucket 0', (native.positiveSpans[0]?.offset ?? 0) < 0);
}
