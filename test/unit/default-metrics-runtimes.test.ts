/**
 * The default metrics of Bun and Deno, decided on Node: given another runtime's support table,
 * the sources that runtime only stubs are absent from the exposition and the rest are as on
 * Node. The runtime smoke test checks the tables against the real Bun and Deno.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDefaultMetrics } from '../../src/collectors/default-metrics.js';
import { currentRuntime, runtimeSupport } from '../../src/collectors/runtime-support.js';
import { type MetricFamily, Registry } from '../../src/index.js';

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

async function lagMin(samples: 'interval' | 'delay'): Promise<number> {
  const registry = new Registry();
  const support = { ...runtimeSupport('node'), eventLoopDelaySamples: samples };
  const stop = startDefaultMetrics({ registry, eventLoopMonitoringPrecision: 10 }, support);
  try {
    // A few dozen firings of the 10 ms monitor, so their minimum is a timer that ran on time.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 15));
    const lag = (await registry.collect()).find(
      (f: MetricFamily) => f.name === 'nodejs_eventloop_lag_min_seconds',
    );
    assert.ok(lag?.type === 'gauge');
    return lag.points[0]!.value;
  } finally {
    stop();
  }
}

test('the monitor interval is subtracted only where the samples include it', async () => {
  // Node's samples are the time between firings: at least about the 10 ms interval each. Taken
  // as plain delays (as Bun's and Deno's are), nothing may be subtracted from them.
  assert.ok((await lagMin('delay')) >= 0.005, 'samples read as delays keep the interval');
  assert.ok((await lagMin('interval')) < 0.005, 'the interval is subtracted from Node samples');
});
