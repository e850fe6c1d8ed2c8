/**
 * The default metrics of Bun and Deno, decided on Node: given another runtime's support table,
 * the sources that runtime only stubs are absent from the exposition and the rest are as on
 * Node. The runtime smoke test checks the tables against the real Bun and Deno.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDefaultMetrics } from '../../../src/collectors/default-metrics.js';
import { currentRuntime, runtimeSupport } from '../../../src/collectors/runtime-support.js';
import { type MetricFamily, Registry } from '../../../src/index.js';

async function familyNames(support: ReturnType<typeof runtimeSupport>): Promise<Set<string>> {
  const registry = new Registry();
  const stop = startDefaultMetrics({ registry }, support);
  try {
    return new Set((await registry.collect()).map((f) => f.name));
  } finally {
    stop();
  }
}

const STUBBED_ON_BUN = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_eventloop_active_seconds_total',
  'nodejs_eventloop_utilization_ratio',
  'nodejs_gc_duration_seconds',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
];

const STUBBED_ON_DENO = [
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_eventloop_active_seconds_total',
  'nodejs_eventloop_utilization_ratio',
  'nodejs_gc_duration_seconds',
];

test('this process is Node, which gets every source', () => {
  assert.equal(currentRuntime(), 'node');
  const node = runtimeSupport();
  assert.equal(node.runtime, 'node');
  assert.ok(Object.values(node).every((v) => v !== false));
});

for (const [runtime, stubbed] of [
  ['bun', STUBBED_ON_BUN],
  ['deno', STUBBED_ON_DENO],
] as const) {
  test(`${runtime}: the stubbed sources are left out, every other family is there`, async () => {
    const node = await familyNames(runtimeSupport('node'));
    for (const name of stubbed) assert.ok(node.has(name), `Node exposes ${name}`);
    const actual = await familyNames(runtimeSupport(runtime));
    const expected = [...node].filter((n) => !stubbed.includes(n)).sort();
    assert.deepEqual([...actual].sort(), expected);
  });
}

test('a runtime whose stubbed GC source is left out still refuses bad GC buckets', () => {
  assert.throws(
    () => startDefaultMetrics({ registry: new Registry(), gcDurationBuckets: [2, 1] }, runtimeSupport('bun')),
    { name: 'MetricDefinitionError' },
  );
});

/** Starts the default metrics into a fresh registry, reading delay samples as `samples`. */
function startReading(samples: 'interval' | 'delay') {
  const registry = new Registry();
  const support = { ...runtimeSupport('node'), eventLoopDelaySamples: samples };
  const stop = startDefaultMetrics({ registry, eventLoopMonitoringPrecision: 10 }, support);
  const lagMin = async (): Promise<number> => {
    const lag = (await registry.collect()).find(
      (f: MetricFamily) => f.name === 'nodejs_eventloop_lag_min_seconds',
    );
    assert.ok(lag?.type === 'gauge');
    return lag.points[0]!.value;
  };
  return { stop, lagMin };
}

test('the monitor interval is subtracted only where the samples include it', async () => {
  // Two monitors on this one loop see the same delays. Node's samples are the time between
  // firings, at least about the 10 ms interval each: read as plain delays (as Bun's and Deno's
  // are) nothing may be subtracted from them, read as Node's the interval is.
  const delays = startReading('delay');
  const intervals = startReading('interval');
  try {
    // A few dozen firings of the 10 ms monitors, so their minimum is a timer that ran on time.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 15));
    const asDelay = await delays.lagMin();
    const asInterval = await intervals.lagMin();
    assert.ok(asDelay >= 0.005, `samples read as delays keep the interval: ${asDelay}`);
    assert.ok(asDelay - asInterval >= 0.005, `the interval is subtracted: ${asDelay} vs ${asInterval}`);
  } finally {
    delays.stop();
    intervals.stop();
  }
});
