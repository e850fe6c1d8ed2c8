// collectDefaultMetrics of the layer against prom-client's: the same metric names, types, help
// texts, label names and cluster aggregators, with values from this library's collectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compat, oracle } from '../../helpers/prom-client-oracle.js';

interface Described {
  name: string;
  type: unknown;
  help: string;
  aggregator: string;
  labelNames: string[];
}

/** Each family's metadata and the label names its series carry (values differ between two readers). */
async function describe(registry: compat.Registry | oracle.Registry): Promise<Described[]> {
  const json = (await registry.getMetricsAsJSON()) as unknown as {
    name: string;
    type: unknown;
    help: string;
    aggregator: string;
    values: { labels: Record<string, unknown> }[];
  }[];
  return json
    .map((m) => ({
      name: m.name,
      type: m.type,
      help: m.help,
      aggregator: m.aggregator,
      labelNames: [...new Set(m.values.flatMap((v) => Object.keys(v.labels)))].sort(),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function sampleValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line !== undefined, `${series} is exposed`);
  return Number(line.slice(series.length + 1));
}

test('collectDefaultMetrics: the metrics prom-client registers, with its names, types, help, labels and aggregators', async () => {
  const ours = new compat.Registry();
  const theirs = new oracle.Registry();
  compat.collectDefaultMetrics({ register: ours });
  oracle.collectDefaultMetrics({ register: theirs });
  // Both have seen a GC of each common kind, so the histogram has series in both.
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const mine = await describe(ours);
  const their = await describe(theirs);
  assert.deepEqual(
    mine.map((m) => m.name),
    their.map((m) => m.name),
  );
  for (const [i, m] of mine.entries()) {
    const t = their[i]!;
    assert.deepEqual([m.type, m.help, m.aggregator], [t.type, t.help, t.aggregator], m.name);
    // Active handles and requests come and go between the two readings; a family prom-client has
    // not filled yet (no GC seen) has no label names to compare.
    if (t.labelNames.length > 0 && !m.name.startsWith('nodejs_active_')) {
      assert.deepEqual(m.labelNames, t.labelNames, m.name);
    }
  }
  const metadata = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .sort();
  assert.deepEqual(metadata(await ours.metrics()), metadata(await theirs.metrics()));
});

test('collectDefaultMetrics: values are the process readings prom-client also makes', async () => {
  const ours = new compat.Registry();
  const theirs = new oracle.Registry();
  compat.collectDefaultMetrics({ register: ours });
  oracle.collectDefaultMetrics({ register: theirs });
  const [a, b] = [await ours.metrics(), await theirs.metrics()];
  // Ours is the kernel's start time; prom-client's is now minus Node's uptime, rounded to the second,
  // which starts later (Node's own start-up, long on a loaded machine).
  const [start, theirStart] = [
    sampleValue(a, 'process_start_time_seconds'),
    sampleValue(b, 'process_start_time_seconds'),
  ];
  assert.ok(start <= theirStart + 0.5 && theirStart - start < 30, `start times ${start} and ${theirStart}`);
  for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_total_bytes']) {
    const ratio = sampleValue(a, name) / sampleValue(b, name);
    assert.ok(
      ratio > 0.5 && ratio < 2,
      `${name}: ours ${sampleValue(a, name)}, prom-client ${sampleValue(b, name)}`,
    );
  }
  const [major, minor, patch] = process.versions.node.split('.');
  const version = `nodejs_version_info{major="${major}",minor="${minor}",patch="${patch}",version="${process.version}"}`;
  assert.equal(sampleValue(a, version), 1);
  // The CPU counters count since the process started (prom-client's since the call): never less.
  const cpu = [sampleValue(a, 'process_cpu_seconds_total'), sampleValue(b, 'process_cpu_seconds_total')];
  assert.ok(cpu[0]! >= cpu[1]!, `CPU seconds ${cpu.join(' and ')}`);
});

test('collectDefaultMetrics: prefix, labels and gcDurationBuckets as in prom-client', async () => {
  const ours = new compat.Registry();
  const theirs = new oracle.Registry();
  const config = { prefix: 'app_', labels: { service: 'api' }, gcDurationBuckets: [0.5, 1] };
  compat.collectDefaultMetrics({ register: ours, ...config });
  oracle.collectDefaultMetrics({ register: theirs, ...config });
  const mine = await describe(ours);
  assert.deepEqual(
    mine.map((m) => m.name),
    (await describe(theirs)).map((m) => m.name),
  );
  for (const m of mine) {
    assert.ok(m.name.startsWith('app_'), m.name);
    // A family without series yet (no active request at the moment) has no labels to look at.
    assert.ok(m.labelNames.length === 0 || m.labelNames.includes('service'), `${m.name}: ${m.labelNames}`);
  }
  const text = await ours.metrics();
  assert.match(text, /^app_process_start_time_seconds\{service="api"\} \d+/m);
  const les = [
    ...text.matchAll(/^app_nodejs_gc_duration_seconds_bucket\{.*kind="major".*le="([^"]+)"/gm),
  ].map((m) => m[1]);
  assert.deepEqual(les, ['0.5', '1', '+Inf']);
});

test('collectDefaultMetrics.metricsList and the default registry', async () => {
  assert.deepEqual(compat.collectDefaultMetrics.metricsList, oracle.collectDefaultMetrics.metricsList);
  compat.collectDefaultMetrics();
  assert.equal(
    compat.register.getSingleMetric('nodejs_eventloop_lag_seconds')?.name,
    'nodejs_eventloop_lag_seconds',
  );
  assert.match(await compat.register.metrics(), /^nodejs_heap_size_used_bytes [\d.e+]+$/m);
  compat.register.clear();
});

test('collectDefaultMetrics refuses a second call, unknown options and bad values with typed errors', () => {
  const registry = new compat.Registry();
  compat.collectDefaultMetrics({ register: registry });
  const before = registry.getMetricsAsArray().length;
  assert.throws(() => compat.collectDefaultMetrics({ register: registry }), {
    name: 'DuplicateRegistrationError',
    message: /process_cpu_user_seconds_total/,
  });
  assert.equal(registry.getMetricsAsArray().length, before);
  const fresh = new compat.Registry();
  const call = (config: object) => () =>
    compat.collectDefaultMetrics({
      register: fresh,
      ...config,
    } as compat.DefaultMetricsCollectorConfiguration);
  assert.throws(call({ registry: fresh }), {
    name: 'MetricDefinitionError',
    message: /"registry".*"register"/,
  });
  assert.throws(call({ timeout: 5000 }), { name: 'MetricDefinitionError', message: /"timeout"/ });
  assert.throws(call({ prefix: '1x_' }), { name: 'MetricDefinitionError', message: /1x_/ });
  assert.throws(call({ labels: { 'bad-name': 'x' } }), {
    name: 'MetricDefinitionError',
    message: /bad-name/,
  });
  assert.throws(call({ labels: { kind: 'x' } }), { name: 'MetricDefinitionError', message: /kind/ });
  assert.throws(call({ labels: { a: {} } }), { name: 'MetricDefinitionError', message: /"a"/ });
  assert.throws(call({ gcDurationBuckets: [2, 1] }), {
    name: 'MetricDefinitionError',
    message: /nodejs_gc_duration_seconds/,
  });
  assert.throws(call({ eventLoopMonitoringPrecision: 0 }), {
    name: 'MetricDefinitionError',
    message: /got 0/,
  });
  assert.equal(fresh.getMetricsAsArray().length, 0);
});
