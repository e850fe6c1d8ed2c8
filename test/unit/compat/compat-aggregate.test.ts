// AggregatorRegistry.aggregate of the layer against prom-client's, on the same worker reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asJson, compat, normalize, oracle } from '../../helpers/prom-client-oracle.js';

/** What one worker reports: every aggregator, and each metric type. */
async function workerReport(id: number): Promise<unknown[]> {
  const registry = new oracle.Registry();
  const registers = [registry];
  const c = new oracle.Counter({ name: 'requests', help: 'R.', labelNames: ['code'], registers });
  c.inc({ code: 200 }, id * 10);
  c.inc({ code: 500 }, id);
  for (const aggregator of ['sum', 'first', 'min', 'max', 'average', 'omit'] as const) {
    new oracle.Gauge({ name: `g_${aggregator}`, help: aggregator, aggregator, registers }).set(id * 3);
  }
  const h = new oracle.Histogram({
    name: 'latency',
    help: 'L.',
    buckets: [0.1, 1],
    labelNames: ['r'],
    registers,
  });
  h.observe({ r: '/' }, id / 4);
  h.observe({ r: '/' }, 2);
  const s = new oracle.Summary({
    name: 'size',
    help: 'S.',
    percentiles: [0.5],
    aggregator: 'average',
    registers,
  });
  s.observe(id * 100);
  // Only in one worker: kept as it is.
  if (id === 2) new oracle.Gauge({ name: 'only_two', help: 'O.', registers }).set(7);
  return registry.getMetricsAsJSON();
}

test('aggregate: the same samples as prom-client for every aggregator and metric type', async () => {
  const reports = [await workerReport(1), await workerReport(2), await workerReport(3)];
  const ours = compat.AggregatorRegistry.aggregate(asJson(reports) as never);
  const theirs = oracle.AggregatorRegistry.aggregate(asJson(reports) as never);
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  const text = await ours.metrics();
  assert.match(text, /^requests\{code="200"\} 60$/m);
  assert.match(text, /^g_first 3$/m);
  assert.match(text, /^g_min 3$/m);
  assert.match(text, /^g_max 9$/m);
  assert.match(text, /^g_average 6$/m);
  assert.doesNotMatch(text, /g_omit/);
  assert.match(text, /^latency_bucket\{r="\/",le="1"\} 3$/m);
  assert.match(text, /^latency_count\{r="\/"\} 6$/m);
  assert.match(text, /^size\{quantile="0.5"\} 200$/m);
  assert.deepEqual(asJson(await ours.getMetricsAsJSON()), asJson(await theirs.getMetricsAsJSON()));
});

test('aggregate: the content type argument, and label sets that prom-client would merge stay apart', async () => {
  const report = (labels: Record<string, string>) => [
    { name: 'c', help: 'C.', type: 'counter', aggregator: 'sum', values: [{ value: 1, labels }] },
  ];
  const registry = compat.AggregatorRegistry.aggregate(
    [report({ a: 'x,b:y' }), report({ a: 'x', b: 'y' })] as never,
    compat.openMetricsContentType,
  );
  assert.equal(registry.contentType, compat.openMetricsContentType);
  const text = await registry.metrics();
  assert.match(text, /^c_total\{a="x,b:y"\} 1\.0$/m);
  assert.match(text, /^c_total\{a="x",b="y"\} 1\.0$/m);
  assert.match(text, /# EOF\n$/);
});

test('aggregate refuses an unknown aggregator, naming the metric', () => {
  const bad = [[{ name: 'm', help: 'M.', type: 'gauge', aggregator: 'median', values: [] }]];
  assert.throws(() => compat.AggregatorRegistry.aggregate(bad as never), {
    name: 'MetricDefinitionError',
    message: /"m".*"median"/,
  });
});

test('aggregate refuses reports that are not getMetricsAsJSON() results', () => {
  assert.throws(() => compat.AggregatorRegistry.aggregate([{ name: 'x' }]), {
    name: 'TypeError',
    message: /report 0/,
  });
  assert.throws(() => compat.AggregatorRegistry.aggregate([[{ name: 'x' }]]), { name: 'TypeError' });
});

test('setRegistries takes registries only', () => {
  assert.throws(() => compat.AggregatorRegistry.setRegistries([{}] as never), TypeError);
  compat.AggregatorRegistry.setRegistries(new compat.Registry());
  compat.AggregatorRegistry.setRegistries([compat.register]);
});

test('clusterMetrics without workers resolves to an empty exposition, as in prom-client', async () => {
  const registry = new compat.AggregatorRegistry();
  assert.equal(await registry.clusterMetrics(), '');
  assert.equal(registry.contentType, compat.prometheusContentType);
});
