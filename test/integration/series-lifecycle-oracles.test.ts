/**
 * Expositions of metrics whose cap overflowed and whose series expired, revived, were removed
 * and reset must pass `promtool check metrics` with nothing reported and parse in Python
 * prometheus_client's strict OpenMetrics parser with the values we hold.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderOpenMetrics, renderText } from '../../src/exposition/index.js';
import { Counter, Gauge, Histogram, OVERFLOW_LABEL_VALUE, Registry, Summary } from '../../src/index.js';
import { assertPromtoolClean, pythonSamples } from '../helpers/oracles.js';
import { findBinary, findPythonClient } from '../helpers/processes.js';

/** A registry after overflow, expiry, revival, remove and reset, with the clock it was driven by. */
async function lifecycleRegistry(): Promise<Registry> {
  let ms = 1_700_000_000_000;
  const clock = () => ms;
  const registry = new Registry({ defaultMaxSeries: 3, defaultTtlSeconds: 60 });
  const requests = new Counter({
    name: 'lifecycle_requests_total',
    help: 'Requests by path.',
    labelNames: ['path', 'code'] as const,
    clock,
    registry,
  });
  const latency = new Histogram({
    name: 'lifecycle_latency_seconds',
    help: 'Latency by path.',
    labelNames: ['path'] as const,
    buckets: [0.1, 1],
    clock,
    registry,
  });
  const sizes = new Summary({
    name: 'lifecycle_size_bytes',
    help: 'Sizes.',
    labelNames: ['path'] as const,
    clock,
    registry,
  });
  const inflight = new Gauge({
    name: 'lifecycle_inflight',
    help: 'In flight.',
    labelNames: ['path'] as const,
    clock,
    registry,
  });
  const held = requests.labels({ path: '/held', code: '200' });
  held.inc(5);
  for (let i = 0; i < 8; i++) {
    const path = `/user/${i}`;
    requests.inc({ path, code: '200' });
    latency.observe({ path }, i / 4);
    sizes.observe({ path }, i * 100);
    inflight.set({ path }, i);
  }
  for (let i = 0; i < 3; i++) {
    ms += 60_000;
    await registry.collect();
  }
  held.inc();
  requests.inc({ path: '/fresh', code: '500' });
  for (let i = 0; i < 4; i++) requests.inc({ path: `/late/${i}`, code: '200' });
  latency.observe({ path: '/fresh' }, 0.05);
  inflight.set({ path: '/fresh' }, 1);
  inflight.reset();
  inflight.inc({ path: '/after-reset' });
  sizes.observe({ path: '/fresh' }, 1);
  sizes.remove({ path: '/fresh' });
  sizes.observe({ path: '/kept' }, 3);
  return registry;
}

test('expositions with overflow and expired series pass promtool check metrics', async (t) => {
  const promtool = findBinary('promtool');
  if (promtool === undefined) return t.skip('promtool is not installed');
  const text = renderText(await (await lifecycleRegistry()).collect());
  assert.match(
    text,
    new RegExp(`lifecycle_requests_total\\{code="${OVERFLOW_LABEL_VALUE}",path="${OVERFLOW_LABEL_VALUE}"\\}`),
  );
  assert.match(text, /lifecycle_requests_total\{code="200",path="\/held"\} 6/);
  assert.match(text, /aioprometheus_series_overflow_total\{metric="lifecycle_requests_total"\} 9/);
  assert.doesNotMatch(text, /\/user\/0/);
  await assertPromtoolClean(promtool, text);
});

test('expositions with overflow and expired series parse in prometheus_client with our values', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  const families = await (await lifecycleRegistry()).collect();
  const text = renderOpenMetrics(families);
  const samples = await pythonSamples(python, text);
  const value = (name: string, labels: Record<string, string>): number | undefined => {
    const found = samples.find(
      ([n, l]) =>
        n === name &&
        JSON.stringify(Object.entries(l).sort()) === JSON.stringify(Object.entries(labels).sort()),
    );
    return found === undefined ? undefined : Number(found[2]);
  };
  const overflow = { path: OVERFLOW_LABEL_VALUE, code: OVERFLOW_LABEL_VALUE };
  // Before expiry 6 of 8 new label sets overflowed (the cap is 3, /held is one); after it, 3 of 4
  // beside /held and /fresh. The overflow series expired in between and came back with its value.
  assert.equal(value('lifecycle_requests_total', overflow), 9);
  assert.equal(value('lifecycle_requests_total', { path: '/held', code: '200' }), 6);
  assert.equal(value('lifecycle_requests_total', { path: '/fresh', code: '500' }), 1);
  assert.equal(value('lifecycle_requests_total', { path: '/user/0', code: '200' }), undefined);
  assert.equal(value('lifecycle_latency_seconds_count', { path: '/fresh' }), 1);
  assert.equal(value('lifecycle_inflight', { path: '/after-reset' }), 1);
  assert.equal(value('lifecycle_inflight', { path: '/fresh' }), undefined);
  assert.equal(value('lifecycle_size_bytes_count', { path: '/kept' }), 1);
  assert.equal(value('lifecycle_size_bytes_count', { path: '/fresh' }), undefined);
  assert.equal(value('aioprometheus_series_overflow_total', { metric: 'lifecycle_requests_total' }), 9);
});
