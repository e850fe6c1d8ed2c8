import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as promClient from 'prom-client';
import { lagStats } from '../../src/collectors/event-loop.js';
import { collectDefaultMetrics, type DefaultMetricsOptions } from '../../src/collectors/index.js';
import {
  type GaugeFamily,
  type HistogramFamily,
  isDuplicateRegistrationError,
  isMetricDefinitionError,
  isMetricRedefinitionError,
  type MetricFamily,
  Registry,
} from '../../src/index.js';

const linux = process.platform === 'linux';
const root = join(fileURLToPath(import.meta.url), '../../..');

/** Registers the default metrics in a fresh registry, stopped when the test ends. */
function start(t: { after(fn: () => void): void }, options: Omit<DefaultMetricsOptions, 'registry'> = {}) {
  const registry = new Registry();
  const stop = collectDefaultMetrics({ ...options, registry });
  t.after(stop);
  return { registry, stop };
}

async function families(registry: Registry): Promise<Map<string, MetricFamily>> {
  return new Map((await registry.collect()).map((f) => [f.name, f]));
}

/** The value of the first series of a counter or gauge family. */
function value(all: Map<string, MetricFamily>, name: string): number {
  const family = all.get(name);
  assert.ok(family, `family ${name} is missing`);
  assert.ok(family.type === 'gauge' || family.type === 'counter', `${name} is a ${family.type}`);
  return family.points[0]!.value;
}

/** Fields of /proc/self/stat from field 3 (state) on; the command name may hold spaces. */
function procStatFields(): string[] {
  const text = readFileSync('/proc/self/stat', 'latin1');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

const clockTicks = linux ? Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) : 100;

/** Spends `ms` of user CPU time, however long a loaded machine takes to grant it. */
function burnUserCpu(ms: number): void {
  const end = process.cpuUsage().user + ms * 1000;
  let x = 0;
  while (process.cpuUsage().user < end) x += Math.sqrt(x + 1);
  assert.ok(x > 0);
}

/** Blocks the event loop for `ms` of wall-clock time. */
function burnCpu(ms: number): void {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  assert.ok(x > 0);
}

test('exposes every prom-client default metric with the same name, type and label names', async (t) => {
  const labels = { app: 'shop' };
  const promRegistry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: promRegistry, labels });
  const expected = new Map(
    promRegistry
      .getMetricsAsArray()
      .map((m) => [
        m.name,
        `${(m as unknown as { type?: string }).type ?? m.constructor.name.toLowerCase()} {${[...(m as unknown as { labelNames: string[] }).labelNames].sort().join(',')}}`,
      ]),
  );
  // A listening server is an active handle and a pending read an active request, so the
  // families labelled by type have series whose label names can be compared.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { registry } = start(t, { labels });
  const pending = readFile(fileURLToPath(import.meta.url));
  const collected = registry.collect();
  await pending;
  const actual = new Map(
    (await collected).map((f) => {
      const names = new Set<string>();
      for (const p of f.points) for (const n of p.labels.names) names.add(n);
      return [f.name, `${f.type} {${[...names].sort().join(',')}}`];
    }),
  );
  for (const [name, shape] of expected) assert.equal(actual.get(name), shape, name);
  const extra = [...actual.keys()].filter((n) => !expected.has(n)).sort();
  assert.deepEqual(extra, ['nodejs_eventloop_active_seconds_total', 'nodejs_eventloop_utilization_ratio']);
});

test('prefixes every name and puts the constant labels on every series', async (t) => {
  const { registry } = start(t, { prefix: 'api_', labels: { region: 'eu', service: 'cart' } });
  const all = await registry.collect();
  assert.ok(all.length >= 30, `${all.length} families`);
  for (const family of all) {
    assert.ok(family.name.startsWith('api_'), family.name);
    for (const point of family.points) {
      const labels = Object.fromEntries(point.labels.names.map((n, i) => [n, point.labels.values[i]]));
      assert.equal(labels.region, 'eu', family.name);
      assert.equal(labels.service, 'cart', family.name);
    }
  }
});

test('CPU counters include CPU spent before collection started and agree with /proc/self/stat', async (t) => {
  burnUserCpu(150);
  const before = process.cpuUsage();
  const statBefore = linux ? procStatFields() : [];
  const { registry } = start(t);
  const all = await families(registry);
  const after = process.cpuUsage();
  const user = value(all, 'process_cpu_user_seconds_total');
  const system = value(all, 'process_cpu_system_seconds_total');
  assert.ok(user >= 0.15, `user CPU ${user} s must include the 150 ms burnt before collection started`);
  assert.ok(user >= before.user / 1e6 && user <= after.user / 1e6, `user ${user}`);
  assert.ok(system >= before.system / 1e6 && system <= after.system / 1e6, `system ${system}`);
  assert.equal(
    value(all, 'process_cpu_seconds_total'),
    (Math.round(user * 1e6) + Math.round(system * 1e6)) / 1e6,
  );
  if (linux) {
    // /proc counts whole clock ticks; allow one tick of rounding on each side.
    const tick = 1 / clockTicks;
    const statUser = Number(statBefore[11]) / clockTicks;
    const statSystem = Number(statBefore[12]) / clockTicks;
    const statUserAfter = Number(procStatFields()[11]) / clockTicks;
    assert.ok(user >= statUser - tick && user <= statUserAfter + tick, `user ${user} vs stat ${statUser}`);
    assert.ok(system >= statSystem - tick, `system ${system} vs stat ${statSystem}`);
  }
});

test('start time is the kernel start time of the process, as procfs computes it', {
  skip: !linux,
}, async (t) => {
  const { registry } = start(t);
  const startTime = value(await families(registry), 'process_start_time_seconds');
  const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))![1]);
  const kernelStart = bootTime + Number(procStatFields()[19]) / clockTicks;
  assert.ok(Math.abs(startTime - kernelStart) < 1e-6, `start ${startTime} vs kernel ${kernelStart}`);
});

test('memory gauges agree with process.memoryUsage()', async (t) => {
  const { registry } = start(t);
  const collected = registry.collect();
  const memory = process.memoryUsage();
  const all = new Map((await collected).map((f) => [f.name, f]));
  const near = (name: string, expected: number, tolerance: number) => {
    const actual = value(all, name);
    assert.ok(Math.abs(actual - expected) <= expected * tolerance, `${name} ${actual} vs ${expected}`);
  };
  near('process_resident_memory_bytes', memory.rss, 0.05);
  near('nodejs_heap_size_total_bytes', memory.heapTotal, 0.05);
  near('nodejs_heap_size_used_bytes', memory.heapUsed, 0.2);
  near('nodejs_external_memory_bytes', memory.external, 0.2);
  if (linux) {
    assert.ok(
      value(all, 'process_virtual_memory_bytes') > value(all, 'process_resident_memory_bytes'),
      'virtual memory exceeds resident memory',
    );
    assert.ok(value(all, 'process_heap_bytes') > 0, 'process_heap_bytes is positive');
  }
  const spaces = all.get('nodejs_heap_space_size_used_bytes') as GaugeFamily;
  const used = spaces.points.reduce((sum, p) => sum + p.value, 0);
  assert.ok(
    Math.abs(used - memory.heapUsed) <= memory.heapUsed * 0.2,
    `spaces ${used} vs ${memory.heapUsed}`,
  );
  assert.ok(
    spaces.points.some((p) => p.labels.values.includes('old')),
    'a heap space labelled old',
  );
});

/**
 * The open-fd gauge, from a scrape between two listings of /proc/self/fd that agree with it. The
 * runtime opens and closes descriptors of its own at any moment (thread-pool work, the test
 * runner's pipes), so a scrape that raced one is retried; a gauge that is wrong every time fails.
 */
async function quietFdReading(registry: Registry) {
  const listed = () => readdirSync('/proc/self/fd').length - 1;
  const attempts: string[] = [];
  for (let i = 0; i < 20; i++) {
    const before = listed();
    const all = await families(registry);
    const after = listed();
    const open = value(all, 'process_open_fds');
    if (before === after && open === before) return { all, open };
    attempts.push(`${before}/${open}/${after}`);
  }
  assert.fail(`process_open_fds never matched /proc/self/fd (before/gauge/after): ${attempts.join(', ')}`);
}

test('open and max file descriptors agree with /proc/self/fd and ulimit -n', { skip: !linux }, async (t) => {
  const { registry } = start(t);
  const fds = Array.from({ length: 5 }, () => openSync(fileURLToPath(import.meta.url), 'r'));
  const busy = await quietFdReading(registry);
  for (const fd of fds) closeSync(fd);
  const closed = await quietFdReading(registry);
  assert.equal(busy.open - closed.open, 5);
  const limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  assert.equal(
    value(busy.all, 'process_max_fds'),
    limit === 'unlimited' ? Number.POSITIVE_INFINITY : Number(limit),
  );
});

test('event-loop lag reports the delay beyond the monitor interval, since the previous scrape', async (t) => {
  // Every bound compares two readings or allows for a machine that wakes the process late; the
  // block is long so that no amount of scheduling noise is mistaken for it.
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const { registry } = start(t, { eventLoopMonitoringPrecision: 10 });
  await sleep(60);
  const first = await families(registry);
  await sleep(30);
  burnCpu(200);
  await sleep(30);
  const busy = await families(registry);
  const max = value(busy, 'nodejs_eventloop_lag_max_seconds');
  // The timer was held back by the 200 ms block, less its own 10 ms interval; a wrong unit would read 200.
  assert.ok(max >= 0.18 && max < 10, `lag max ${max} after blocking the loop for 200 ms`);
  const active = (all: Map<string, MetricFamily>) => value(all, 'nodejs_eventloop_active_seconds_total');
  const busyActive = active(busy) - active(first);
  assert.ok(busyActive >= 0.18, `active for ${busyActive} s while blocking for 0.2 s`);
  await sleep(100);
  const idle = await families(registry);
  // Reset after the previous scrape: without the reset the idle maximum would still hold the block.
  const idleMax = value(idle, 'nodejs_eventloop_lag_max_seconds');
  assert.ok(idleMax < max, `idle lag max ${idleMax} is not below the busy ${max}`);
  const idleMin = value(idle, 'nodejs_eventloop_lag_min_seconds');
  assert.ok(idleMin >= 0 && idleMin <= idleMax, `idle lag min ${idleMin}, max ${idleMax}`);
  assert.equal(value(idle, 'nodejs_eventloop_lag_seconds'), value(idle, 'nodejs_eventloop_lag_mean_seconds'));
  const ratio = (all: Map<string, MetricFamily>) => value(all, 'nodejs_eventloop_utilization_ratio');
  assert.ok(ratio(idle) < ratio(busy), `utilization idle ${ratio(idle)} vs busy ${ratio(busy)}`);
  const idleActive = active(idle) - active(busy);
  assert.ok(idleActive < busyActive, `active ${idleActive} s idle vs ${busyActive} s busy`);
});

test('lag statistics are the delays beyond the monitor interval, in seconds, never negative', () => {
  const ms = 1e6;
  const monitor = {
    mean: 12 * ms,
    min: 9.9 * ms,
    max: 250 * ms,
    stddev: 3 * ms,
    percentile: (p: number) => (10 + p / 10) * ms,
  };
  const [lag, min, max, mean, stddev, p50, p90, p99] = lagStats(monitor, 10 * ms);
  assert.deepEqual(
    [lag, min, max, mean, stddev, p50, p90, p99].map((v) => Math.round(v! * 1e6) / 1e6),
    [0.002, 0, 0.24, 0.002, 0.003, 0.005, 0.009, 0.0099],
  );
});

test('counts every garbage collection, also those delivered in one batch (child with --expose-gc)', (t) => {
  const script = join(root, 'test/unit/fixtures/default-metrics-gc.ts');
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, '25'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(result.status, 0, `${result.signal ?? ''} ${result.stderr}`);
  const { forced, ours, promClient: theirs } = JSON.parse(result.stdout) as Record<string, number>;
  assert.equal(forced, 25);
  assert.ok(ours! >= forced!, `gc histogram count grew by ${ours}, expected at least ${forced}`);
  t.diagnostic(`gc: forced ${forced}, aioprometheus counted ${ours}, prom-client counted ${theirs}`);
});

test('pre-creates a series for every GC kind with the configured buckets', async (t) => {
  const { registry } = start(t, { gcDurationBuckets: [0.005, 0.05] });
  const gc = (await families(registry)).get('nodejs_gc_duration_seconds') as HistogramFamily;
  assert.deepEqual(
    gc.points.map((p) => p.labels.values.join()),
    ['incremental', 'major', 'minor', 'weakcb'],
  );
  assert.deepEqual(gc.points[0]!.upperBounds, [0.005, 0.05]);
});

test('a second call with the same options shares the running set, which stops with the last stop', async (t) => {
  const { registry, stop } = start(t);
  const collector = registry.get('process_cpu_user_seconds_total');
  const names = (await registry.collect()).map((f) => f.name);
  const second = collectDefaultMetrics({ registry, eventLoopMonitoringPrecision: 10 });
  assert.equal(registry.get('process_cpu_user_seconds_total'), collector, 'nothing new registered');
  stop();
  stop();
  assert.deepEqual(
    (await registry.collect()).map((f) => f.name),
    names,
    'one stop of two leaves the metrics running',
  );
  second();
  assert.deepEqual(await registry.collect(), []);
  const again = collectDefaultMetrics({ registry });
  assert.notEqual(registry.get('process_cpu_user_seconds_total'), collector, 'a stopped set starts afresh');
  again();
});

test('a second call with other options throws MetricRedefinitionError; another prefix is another set', async (t) => {
  const { registry } = start(t);
  assert.throws(
    () => collectDefaultMetrics({ registry, labels: { service: 'api' }, gcDurationBuckets: [1, 2] }),
    (e: unknown) =>
      isMetricRedefinitionError(e) &&
      e.differences.join('; ') ===
        'labels: {} registered, {"service": "api"} now; gcDurationBuckets: [0.001, 0.01, 0.1, 1, 2, 5] registered, [1, 2] now',
  );
  const other = collectDefaultMetrics({ registry, prefix: 'second_' });
  assert.ok(registry.get('second_process_cpu_user_seconds_total'));
  other();
});

test('a name held by another collector still throws DuplicateRegistrationError', () => {
  const registry = new Registry();
  registry.register({ describe: () => ['nodejs_version_info'], collect: () => [] });
  assert.throws(() => collectDefaultMetrics({ registry }), isDuplicateRegistrationError);
});

test('stop() unregisters every metric and may be called twice', async (t) => {
  const { registry, stop } = start(t);
  assert.ok((await registry.collect()).length > 0, 'the registry collects families again');
  stop();
  stop();
  assert.deepEqual(await registry.collect(), []);
});

test('rejects bad options with a MetricDefinitionError naming the metric, registering nothing', async () => {
  const registry = new Registry();
  const cases: [Omit<DefaultMetricsOptions, 'registry'>, RegExp][] = [
    [{ prefix: 'bad\uD800' }, /invalid metric name "bad\\ud800\w+"/],
    [{ labels: { kind: 'x' } }, /nodejs_gc_duration_seconds.*duplicate label name "kind"/],
    [{ labels: { le: 'x' } }, /nodejs_gc_duration_seconds.*"le" is reserved/],
    [{ labels: { '': 'x' } }, /invalid constant label name ""/],
    [{ eventLoopMonitoringPrecision: 0 }, /nodejs_eventloop_lag_seconds.*eventLoopMonitoringPrecision/],
    [{ gcDurationBuckets: [1, 0.5] }, /nodejs_gc_duration_seconds/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => collectDefaultMetrics({ ...options, registry }),
      (e: unknown) => isMetricDefinitionError(e) && message.test(e.message),
      JSON.stringify(options),
    );
  }
  assert.deepEqual(await registry.collect(), []);
});

test('a process that only collects default metrics exits by itself after stop()', () => {
  const script = join(root, 'test/unit/fixtures/default-metrics-exit.ts');
  // A leaked handle keeps the child alive for good; the bound only has to outlast a slow start-up.
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(result.signal, null, 'the child had to be killed: something kept it alive');
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    families: number;
    after: number;
    resourcesBefore: string[];
    resourcesAfter: string[];
  };
  assert.ok(report.families >= 30, `${report.families} families`);
  assert.equal(report.after, 0);
  assert.deepEqual(report.resourcesAfter, report.resourcesBefore);
});
