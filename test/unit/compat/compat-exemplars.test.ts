// Exemplars as prom-client records and writes them: `enableExemplars: true`, the object forms of
// inc and observe, OpenMetrics output only, and an OpenMetrics registry required.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asJson, both, compat, oracle } from '../../helpers/prom-client-oracle.js';

const OM = compat.openMetricsContentType;

interface Sample {
  series: string;
  value: number;
  exemplar?: { labels: string; value: number };
}

/**
 * OpenMetrics sample lines with label pairs sorted and numbers read as numbers (prom-client writes
 * `3` and `le="1"`, this library OpenMetrics' canonical `3.0` and `le="1.0"`); exemplar timestamps
 * are checked to be recent and then left out.
 */
function samples(text: string): Sample[] {
  const now = Date.now() / 1000;
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^([^{ ]+)(?:\{(.*?)\})? (\S+)(?: # \{(.*)\} (\S+) (\S+))?$/.exec(line);
      assert.ok(m !== null, `sample line ${line}`);
      const sorted = (pairs: string | undefined) =>
        (pairs?.match(/[a-zA-Z_]+="[^"]*"/g) ?? [])
          .map((p) => p.replace(/^le="([^"+]+)"$/, (_, le: string) => `le="${Number(le)}"`))
          .sort()
          .join(',');
      const sample: Sample = { series: `${m[1]}{${sorted(m[2])}}`, value: Number(m[3]) };
      if (m[4] !== undefined) {
        const ts = Number(m[6]);
        assert.ok(Math.abs(ts - now) < 60, `exemplar timestamp ${m[6]} is in seconds, recent`);
        sample.exemplar = { labels: sorted(m[4]), value: Number(m[5]) };
      }
      return sample;
    })
    .sort((a, b) => a.series.localeCompare(b.series));
}

/** `get()` output with exemplar timestamps checked and left out. */
function withoutTimestamps(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'timestamp' ? undefined : v));
}

test('counter exemplars: recorded by inc({ labels, value, exemplarLabels }) and written as prom-client writes them', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    const c = new lib.Counter({
      name: 'requests',
      help: 'Requests.',
      labelNames: ['method'],
      enableExemplars: true,
      registers: [registry] as never,
    });
    c.inc({ labels: { method: 'GET' }, value: 2, exemplarLabels: { traceId: 'abc' } });
    // Without exemplarLabels the last exemplar stays.
    c.inc({ labels: { method: 'GET' } });
    c.inc({ labels: { method: 'POST' }, value: 1, exemplarLabels: { traceId: 'def', spanId: 7 } });
  }, OM);
  const text = await ours.metrics();
  assert.deepEqual(samples(text), samples(await theirs.metrics()));
  assert.match(text, /^# TYPE requests counter$/m);
  assert.match(text, /^requests_total\{method="GET"\} 3\.0 # \{traceId="abc"\} 2\.0 \S+$/m);
  assert.deepEqual(
    withoutTimestamps(await ours.getMetricsAsJSON()),
    withoutTimestamps(asJson(await theirs.getMetricsAsJSON())),
  );
  const [json] = await ours.getMetricsAsJSON();
  const exemplar = json!.values[0]!.exemplar as { timestamp: number };
  assert.ok(Math.abs(exemplar.timestamp - Date.now() / 1000) < 60);
});

test('histogram exemplars: kept per bucket, the +Inf bucket included, as in prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    const h = new lib.Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [0.1, 1],
      enableExemplars: true,
      registers: [registry] as never,
    });
    h.observe({ labels: { route: '/' }, value: 0.5, exemplarLabels: { traceId: 'a' } });
    h.observe({ labels: { route: '/' }, value: 0.05, exemplarLabels: { traceId: 'b' } });
    h.observe({ labels: { route: '/' }, value: 7, exemplarLabels: { traceId: 'c' } });
    // An empty exemplar label set records nothing.
    h.observe({ labels: { route: '/' }, value: 0.7, exemplarLabels: {} });
    h.observe({ labels: { route: '/x' }, value: 0.2 });
  }, OM);
  const text = await ours.metrics();
  assert.deepEqual(samples(text), samples(await theirs.metrics()));
  const mine = samples(text).filter((s) => s.exemplar !== undefined);
  assert.deepEqual(
    mine.map((s) => [s.series, s.exemplar]),
    [
      ['latency_seconds_bucket{le="+Inf",route="/"}', { labels: 'traceId="c"', value: 7 }],
      ['latency_seconds_bucket{le="0.1",route="/"}', { labels: 'traceId="b"', value: 0.05 }],
      ['latency_seconds_bucket{le="1",route="/"}', { labels: 'traceId="a"', value: 0.5 }],
    ],
  );
  // prom-client leaves `exemplar` undefined (not null) on a +Inf bucket without one: a listed difference.
  const infExemplarNull = (json: unknown) => {
    for (const v of (json as { values: { labels: { le?: unknown }; exemplar?: unknown }[] }[])[0]!.values) {
      if (v.labels.le === '+Inf' && v.exemplar === undefined) v.exemplar = null;
    }
    return json;
  };
  assert.deepEqual(
    withoutTimestamps(await ours.getMetricsAsJSON()),
    infExemplarNull(withoutTimestamps(asJson(await theirs.getMetricsAsJSON()))),
  );
});

test('histogram startTimer merges the exemplar labels given at start and at end', async () => {
  const registry = new compat.Registry(OM);
  const h = new compat.Histogram({
    name: 'op_seconds',
    help: 'Op.',
    labelNames: ['op'],
    buckets: [1000],
    enableExemplars: true,
    registers: [registry],
  });
  const end = h.startTimer({ op: 'read' }, { traceId: 't1' });
  end({}, { spanId: 's1' });
  assert.match(
    await registry.metrics(),
    /^op_seconds_bucket\{op="read",le="1000\.0"\} 1 # \{spanId="s1",traceId="t1"\} \S+ \S+$/m,
  );
});

test('exemplars need an OpenMetrics registry, as in prom-client, and are left out of the text format', async () => {
  const text = new compat.Registry();
  assert.throws(
    () => new compat.Counter({ name: 'c', help: 'C.', enableExemplars: true, registers: [text] }),
    { name: 'MetricDefinitionError', message: /"c".*OpenMetrics/ },
  );
  assert.throws(
    () =>
      new oracle.Counter({
        name: 'c',
        help: 'C.',
        enableExemplars: true,
        registers: [new oracle.Registry()],
      }),
    TypeError,
  );
  // The default registry writes the text format unless told otherwise.
  assert.throws(() => new compat.Histogram({ name: 'h', help: 'H.', enableExemplars: true }), {
    name: 'MetricDefinitionError',
  });
  assert.equal(compat.register.getSingleMetric('h'), undefined);
  const { ours, theirs } = await both((lib, registry) => {
    const c = new lib.Counter({
      name: 'later',
      help: 'L.',
      enableExemplars: true,
      registers: [registry] as never,
    });
    c.inc({ value: 1, exemplarLabels: { traceId: 'x' } });
    registry.setContentType(compat.prometheusContentType as never);
  }, OM);
  assert.equal(await ours.metrics(), '# HELP later L.\n# TYPE later counter\nlater 1\n');
  assert.match(await theirs.metrics(), /^later 1$/m);
});

test('with exemplars on, the plain forms still work (prom-client misreads them) and a bad exemplar changes nothing', async () => {
  const registry = new compat.Registry(OM);
  const c = new compat.Counter({
    name: 'c',
    help: 'C.',
    labelNames: ['m'],
    enableExemplars: true,
    registers: [registry],
  });
  c.inc({ m: 'a' }, 2);
  c.inc({ m: 'a' });
  c.labels('a').inc(4);
  const h = new compat.Histogram({
    name: 'h',
    help: 'H.',
    buckets: [1],
    enableExemplars: true,
    registers: [registry],
  });
  h.observe(0.5);
  h.observe({ value: 2 });
  const long = { traceId: 'x'.repeat(130) };
  assert.throws(() => c.inc({ labels: { m: 'a' }, value: 1, exemplarLabels: long }), {
    name: 'LabelError',
    message: /"c".*128/,
  });
  assert.throws(() => h.observe({ value: 3, exemplarLabels: long }), { name: 'LabelError', message: /"h"/ });
  const json = await registry.getMetricsAsJSON();
  assert.deepEqual(json[0]!.values, [{ value: 7, labels: { m: 'a' } }]);
  assert.equal(json[1]!.values.find((v) => v.metricName === 'h_count')!.value, 2);
});
