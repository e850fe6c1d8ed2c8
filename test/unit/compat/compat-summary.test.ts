// prom-client's Summary on the layer, against prom-client: count, sum and labels exactly, quantiles
// within the sketch's 1 % of the exact order statistic (prom-client's t-digest interpolates).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { asJson, both, compat, normalize, type oracle } from '../../helpers/prom-client-oracle.js';

/** 1..n in a fixed shuffled order, so neither library sees sorted input. */
function shuffled(n: number): number[] {
  const values = Array.from({ length: n }, (_, i) => i + 1);
  let seed = 7;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

const VALUES = shuffled(1000);
const PERCENTILES = [0.5, 0.9, 0.99, 0.01];

function scenario(lib: typeof compat | typeof oracle, registry: unknown): void {
  const s = new lib.Summary({
    name: 'job_seconds',
    help: 'Job time.',
    labelNames: ['queue'],
    percentiles: PERCENTILES,
    registers: [registry] as never,
  });
  for (const v of VALUES) s.observe({ queue: 'a' }, v / 100);
  s.labels('b').observe(3);
  s.observe({ queue: 'b' }, 5);
}

interface JsonValue {
  labels: Record<string, unknown>;
  value: number;
  metricName?: string;
}
interface JsonMetric {
  values: JsonValue[];
}

/** A JSON value list with quantile values taken out, and those values by series and quantile. */
function split(values: readonly JsonValue[]) {
  const quantiles = new Map<string, number>();
  const rest = values.map((v) => {
    if (v.labels.quantile === undefined) return v;
    quantiles.set(JSON.stringify(v.labels), v.value);
    return { ...v, value: 'quantile' };
  });
  return { rest, quantiles };
}

test('summary: same series, labels, count and sum as prom-client; quantiles within 1 % of exact', async () => {
  const { ours, theirs } = await both(scenario);
  const [mine] = (await ours.getMetricsAsJSON()) as unknown as JsonMetric[];
  const [their] = (await theirs.getMetricsAsJSON()) as unknown as JsonMetric[];
  const a = split(mine!.values);
  const b = split(their!.values);
  assert.deepEqual(asJson({ ...mine, values: a.rest }), asJson({ ...their, values: b.rest }));
  assert.deepEqual([...a.quantiles.keys()], [...b.quantiles.keys()]);
  const sorted = [...VALUES].sort((x, y) => x - y).map((v) => v / 100);
  for (const q of PERCENTILES) {
    const key = JSON.stringify({ quantile: q, queue: 'a' });
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const estimate = a.quantiles.get(key)!;
    assert.ok(Math.abs(estimate - exact) <= 0.01 * exact, `q=${q}: ${estimate} is within 1 % of ${exact}`);
    // prom-client's t-digest interpolates between neighbouring values (0.01 apart here); ours is within 1 % of one.
    const theirsValue = b.quantiles.get(key)!;
    assert.ok(
      Math.abs(estimate - theirsValue) <= 0.01 * exact + 0.01,
      `q=${q}: ${estimate} vs prom-client ${theirsValue}`,
    );
  }
  // Two observations: every quantile is one of them, within 1 %.
  for (const q of PERCENTILES) {
    const v = a.quantiles.get(JSON.stringify({ quantile: q, queue: 'b' }))!;
    assert.ok(Math.abs(v - 3) <= 0.03 || Math.abs(v - 5) <= 0.05, `q=${q} of [3, 5]: ${v}`);
  }
});

test('summary text: the same sample lines as prom-client, quantile values aside', async () => {
  const { ours, theirs } = await both(scenario);
  const withoutQuantileValues = (text: string) =>
    normalize(text).map((line) => (line.includes('quantile=') ? line.replace(/ [^ ]+$/, ' q') : line));
  assert.deepEqual(
    withoutQuantileValues(await ours.metrics()),
    withoutQuantileValues(await theirs.metrics()),
  );
  assert.match(await ours.metrics(), /^job_seconds_count\{queue="a"\} 1000$/m);
  const sum = /^job_seconds_sum\{queue="a"\} (.*)$/m.exec(await ours.metrics())?.[1];
  assert.ok(Math.abs(Number(sum) - 5005) < 1e-9, `sum ${sum}`);
});

test('summary reset keeps every series at zero, as prom-client does; remove drops one', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    scenario(lib, registry);
    const s = registry.getSingleMetric('job_seconds') as unknown as {
      reset(): void;
      remove(...v: string[]): void;
    };
    s.reset();
    s.remove('b');
  });
  const countsAndSums = (text: string) => normalize(text).filter((l) => /_(count|sum)/.test(l));
  assert.deepEqual(countsAndSums(await ours.metrics()), countsAndSums(await theirs.metrics()));
  assert.deepEqual(countsAndSums(await ours.metrics()), [
    'job_seconds_count{queue="a"} 0',
    'job_seconds_sum{queue="a"} 0',
  ]);
  // With no observation in the window a quantile is NaN (prom-client writes 0: a listed difference).
  assert.match(await ours.metrics(), /^job_seconds\{queue="a",quantile="0.5"\} NaN$/m);
});

test('summary without labels: observe, startTimer and labels() as in prom-client', async () => {
  const registry = new compat.Registry();
  const s = new compat.Summary({ name: 'plain', help: 'P.', registers: [registry], percentiles: [0.5] });
  assert.match(await registry.metrics(), /^plain_count 0$/m);
  s.observe(2);
  const end = s.startTimer();
  const seconds = end();
  assert.ok(seconds >= 0 && seconds < 60);
  const json = await s.get();
  assert.deepEqual(
    json.values.map((v) => [v.metricName, v.labels]),
    [
      [undefined, { quantile: 0.5 }],
      ['plain_sum', {}],
      ['plain_count', {}],
    ],
  );
  assert.equal(json.values[2]!.value, 2);
  assert.equal(json.values[1]!.value, 2 + seconds);
  const labelled = new compat.Summary({
    name: 'timed',
    help: 'T.',
    labelNames: ['a'],
    registers: [registry],
  });
  labelled.labels('x').startTimer()();
  labelled.startTimer({ a: 'y' })({ a: 'z' });
  assert.deepEqual(
    (await labelled.get()).values
      .filter((v) => v.metricName === 'timed_count')
      .map((v) => [v.labels, v.value]),
    [
      [{ a: 'x' }, 1],
      [{ a: 'z' }, 1],
    ],
  );
});

test('summary window: observations leave after maxAgeSeconds and pruneAgedBuckets drops the series, as in prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    const s = new lib.Summary({
      name: 'windowed',
      help: 'W.',
      labelNames: ['k'],
      percentiles: [0.5],
      maxAgeSeconds: 1,
      ageBuckets: 1,
      pruneAgedBuckets: true,
      registers: [registry] as never,
    });
    s.observe({ k: 'a' }, 4);
  });
  assert.match(await ours.metrics(), /^windowed_count\{k="a"\} 1$/m);
  await sleep(1300);
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  assert.doesNotMatch(await ours.metrics(), /windowed_count/);
});

test('summary window without pruning: the quantiles empty out, _count and _sum stay', async () => {
  const registry = new compat.Registry();
  const s = new compat.Summary({
    name: 'aging',
    help: 'A.',
    percentiles: [0.5],
    maxAgeSeconds: 0.4,
    registers: [registry],
  });
  s.observe(8);
  await sleep(600);
  const text = await registry.metrics();
  assert.match(text, /^aging\{quantile="0.5"\} NaN$/m);
  assert.match(text, /^aging_count 1$/m);
  assert.match(text, /^aging_sum 8$/m);
});

test('summary refuses bad input with typed errors naming the metric and the value', () => {
  const registers: compat.Registry[] = [];
  const s = new compat.Summary({ name: 's', help: 'S.', registers });
  assert.throws(() => s.observe(Number.NaN), { name: 'InvalidValueError', message: /"s".*NaN/ });
  assert.throws(() => s.observe(Number.POSITIVE_INFINITY), {
    name: 'InvalidValueError',
    message: /Infinity/,
  });
  assert.throws(() => s.observe('3' as never), { name: 'InvalidValueError', message: /"3"/ });
  const define = (extra: object) => () =>
    new compat.Summary({ name: 'bad', help: 'B.', registers, ...extra });
  assert.throws(define({ labelNames: ['quantile'] }), {
    name: 'MetricDefinitionError',
    message: /"bad".*quantile/,
  });
  assert.throws(define({ percentiles: [0.5, 1.5] }), { name: 'MetricDefinitionError', message: /1\.5/ });
  assert.throws(define({ percentiles: [0.5, 0.5] }), { name: 'MetricDefinitionError', message: /twice/ });
  assert.throws(define({ ageBuckets: 3 }), { name: 'MetricDefinitionError', message: /maxAgeSeconds/ });
  assert.throws(define({ maxAgeSeconds: -1 }), { name: 'MetricDefinitionError', message: /-1/ });
  assert.throws(define({ maxAgeSeconds: 60, ageBuckets: 0 }), {
    name: 'MetricDefinitionError',
    message: /ageBuckets/,
  });
  assert.throws(define({ compressCount: 0 }), { name: 'MetricDefinitionError', message: /compressCount/ });
  assert.throws(() => s.labels('x'), { name: 'LabelError' });
});
