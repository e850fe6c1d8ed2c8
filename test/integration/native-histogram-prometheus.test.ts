/**
 * A real Prometheus (2.42) with native histograms and exemplar storage enabled scrapes our
 * Service (it negotiates protobuf). It must store our native histogram with the exact count and
 * sum and a median inside the right bucket, and store our exemplars with their exact labels,
 * values and timestamps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, type CounterPoint, Histogram, type HistogramPoint, Registry } from '../../src/index.js';
import { bucketKey, bucketUpperBound } from '../../src/metrics/native-histogram.js';
import { Service } from '../../src/service/index.js';
import { freePort, waitFor } from '../helpers/processes.js';
import { queryExemplars, scalarOrUndefined, startPrometheus } from '../helpers/prometheus.js';

/** 0.01, 0.02, …, 1.00, and one zero: 101 observations, the median is the 51st, 0.50. */
const VALUES = [0, ...Array.from({ length: 100 }, (_, i) => (i + 1) / 100)];

function populate(registry: Registry) {
  const latency = new Histogram({
    name: 'nh_latency_seconds',
    help: 'Latency, native buckets only.',
    labelNames: ['route'] as const,
    native: true,
    registry,
  });
  for (const v of VALUES) latency.observe({ route: '/a' }, v);
  latency.observe({ route: '/a' }, 0.42, { trace_id: 'native-trace' });
  const requests = new Counter({
    name: 'ex_requests_total',
    help: 'Requests.',
    labelNames: ['code'] as const,
    registry,
  });
  requests.inc({ code: '200' }, 2, { trace_id: 'abc123', span_id: 'f00d' });
  const classic = new Histogram({ name: 'cl_seconds', help: 'Classic.', buckets: [0.1, 0.5, 1], registry });
  classic.observe(0.3, { trace_id: 'classic-trace' });
  return { latency, requests, classic };
}

test('Prometheus stores our native histogram and our exemplars', async (t) => {
  const registry = new Registry();
  const { latency, requests, classic } = populate(registry);
  const service = new Service({ registry });
  await service.start({ host: '127.0.0.1', port: await freePort() });
  t.after(() => service.stop());
  const { base } = await startPrometheus(t, service.metricsUrl, [
    '--enable-feature=native-histograms,exemplar-storage',
  ]);
  const selector = 'nh_latency_seconds{route="/a"}';

  await t.test('histogram_count and histogram_sum are exact', async () => {
    const count = await waitFor('the native histogram to be stored', () =>
      scalarOrUndefined(base, `histogram_count(${selector})`),
    );
    const value = latency.get({ route: '/a' })!;
    assert.equal(count, 102);
    assert.equal(value.count, 102);
    assert.equal(await scalarOrUndefined(base, `histogram_sum(${selector})`), value.sum);
  });

  await t.test('histogram_quantile(0.5) lies in the bucket of the median', async () => {
    const median = await scalarOrUndefined(base, `histogram_quantile(0.5, ${selector})`);
    assert.ok(median !== undefined);
    const schema = latency.get({ route: '/a' })!.native!.schema;
    // 102 observations: the rank 51 falls on the 51st smallest value, 0.49 (counting the zero).
    const key = bucketKey(0.49, schema);
    const lower = bucketUpperBound(key - 1, schema);
    const upper = bucketUpperBound(key, schema);
    assert.ok(lower <= median && median <= upper, `median ${median} outside (${lower}, ${upper}]`);
  });

  await t.test('exemplars of a counter, a native and a classic histogram, exact', async () => {
    const counterExemplar = (requests.snapshot().points[0] as CounterPoint).exemplar!;
    const nativeExemplar = (latency.snapshot().points[0] as HistogramPoint).exemplars![0]!;
    const classicExemplar = (classic.snapshot().points[0] as HistogramPoint).exemplars![1]!;
    const expectations = [
      {
        selector: 'ex_requests_total',
        labels: { span_id: 'f00d', trace_id: 'abc123' },
        value: '2',
        timestamp: counterExemplar.timestamp,
      },
      {
        selector,
        labels: { trace_id: 'native-trace' },
        value: '0.42',
        timestamp: nativeExemplar.timestamp,
      },
      {
        selector: 'cl_seconds_bucket',
        labels: { trace_id: 'classic-trace' },
        value: '0.3',
        timestamp: classicExemplar.timestamp,
      },
    ];
    for (const expected of expectations) {
      const stored = await waitFor(`the exemplar of ${expected.selector}`, async () => {
        const series = await queryExemplars(base, expected.selector);
        return series.length > 0 ? series : undefined;
      });
      assert.equal(stored.length, 1, JSON.stringify(stored));
      assert.deepEqual(stored[0]!.exemplars, [
        { labels: expected.labels, value: expected.value, timestamp: expected.timestamp },
      ]);
    }
  });
});
