/**
 * A real Prometheus 2.42 receives our remote writes (`--web.enable-remote-write-receiver`, with
 * native histograms and exemplar storage): its query API must show the exact values, labels and
 * timestamps we sent, for every metric type, and our exemplars. A 2.0 writer must end up on 1.0
 * against it, with the data stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { type FetchFunction, RemoteWriter } from '../../src/remote-write/index.js';
import { exampleCommand, run, waitFor } from '../helpers/processes.js';
import { query, queryExemplars, startPrometheusReceiver } from '../helpers/prometheus.js';
import { selfMetric } from '../helpers/remote-write-self-metric.js';

const TRICKY = 'a "quoted" \\ back\nslash, ünïcödé ✓ 𝄞';

interface RawSeries {
  readonly metric: Record<string, string>;
  readonly values?: [number, string][];
}

/** The raw samples Prometheus stored for `selector` over the last 10 minutes, with their timestamps. */
async function raw(base: string, selector: string): Promise<RawSeries[]> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(`${selector}[10m]`)}`);
  const json = (await response.json()) as { status: string; data: { result: RawSeries[] } };
  assert.equal(json.status, 'success');
  return json.data.result;
}

function populate(registry: Registry) {
  const jobs = new Counter({ name: 'rw_jobs_total', help: 'Jobs.', labelNames: ['kind'] as const, registry });
  jobs.inc({ kind: TRICKY }, 3, { trace_id: 'abc123' });
  jobs.inc({ kind: 'plain' }, 0.25);
  const temperature = new Gauge({ name: 'rw_temperature_celsius', help: 'T.', registry });
  temperature.set(-1.5e-7);
  const classic = new Histogram({ name: 'rw_classic_seconds', help: 'C.', buckets: [0.1, 1], registry });
  classic.observe(0.05);
  classic.observe(0.5, { trace_id: 'classic' });
  classic.observe(7);
  const native = new Histogram({ name: 'rw_native_seconds', help: 'N.', native: true, registry });
  native.observe(0.5, { trace_id: 'native' });
  native.observe(2);
  native.observe(0);
  const summary = new Summary({ name: 'rw_summary_bytes', help: 'S.', registry });
  summary.observe(10);
  summary.observe(30);
}

test('Prometheus 2.42 stores what a 1.0 RemoteWriter sends, exactly', async (t) => {
  const { base } = await startPrometheusReceiver(t, ['--enable-feature=native-histograms,exemplar-storage']);
  const registry = new Registry();
  populate(registry);
  const firstMs = Date.now() - 2000;
  let nowMs = firstMs;
  const errors: Error[] = [];
  const writer = new RemoteWriter({
    url: `${base}/api/v1/write`,
    registry,
    now: () => nowMs,
    onError: (e) => errors.push(e),
  });
  // Twice, one second apart: Prometheus 2.42 adds an exemplar only to a series that exists, and
  // a native histogram series comes into being only after the request's exemplars were handled.
  await writer.flush();
  nowMs += 1000;
  await writer.flush();
  assert.deepEqual(errors, []);
  const at = (v: string) => [
    [firstMs / 1000, v],
    [nowMs / 1000, v],
  ];

  await t.test('counter: exact value, tricky label value, the collection timestamp', async () => {
    const series = await waitFor('the counter', async () => {
      const r = await raw(base, 'rw_jobs_total');
      return r.length === 2 ? r : undefined;
    });
    const byKind = new Map(series.map((s) => [s.metric.kind, s]));
    assert.deepEqual(byKind.get(TRICKY)!.metric, { __name__: 'rw_jobs_total', kind: TRICKY });
    assert.deepEqual(byKind.get(TRICKY)!.values, at('3'));
    assert.deepEqual(byKind.get('plain')!.values, at('0.25'));
  });

  await t.test('gauge, summary and classic histogram series', async () => {
    const value = async (selector: string) => (await raw(base, selector))[0]?.values;
    assert.deepEqual(await value('rw_temperature_celsius'), at('-1.5e-07'));
    assert.deepEqual(await value('rw_summary_bytes_sum'), at('40'));
    assert.deepEqual(await value('rw_summary_bytes_count'), at('2'));
    const quantiles = await raw(base, 'rw_summary_bytes');
    assert.deepEqual(quantiles.map((q) => q.metric.quantile).sort(), ['0.5', '0.9', '0.99']);
    const buckets = await raw(base, 'rw_classic_seconds_bucket');
    assert.deepEqual(Object.fromEntries(buckets.map((b) => [b.metric.le, b.values])), {
      '0.1': at('1'),
      '1': at('2'),
      '+Inf': at('3'),
    });
    assert.deepEqual(await value('rw_classic_seconds_sum'), at('7.55'));
    assert.deepEqual(await value('rw_classic_seconds_count'), at('3'));
  });

  await t.test('native histogram: count, sum and buckets', async () => {
    const result = await query(base, 'rw_native_seconds');
    const histogram = (
      result[0] as unknown as { histogram: [number, { count: string; sum: string; buckets: unknown[] }] }
    ).histogram;
    assert.equal(histogram[1].count, '3');
    assert.equal(histogram[1].sum, '2.5');
    // The zero bucket (one observation), the bucket of 0.5 and the bucket of 2.
    assert.equal(histogram[1].buckets.length, 3);
    assert.equal(
      (await raw(base, 'rw_native_seconds_count')).length,
      0,
      'no classic series for a native-only histogram',
    );
  });

  await t.test('exemplars of a counter, a classic and a native histogram', async () => {
    const check = async (selector: string, traceId: string, value: string) => {
      const found = await queryExemplars(base, selector);
      const exemplars = found.flatMap((s) => s.exemplars);
      assert.deepEqual(
        exemplars.map((e) => [e.labels, e.value]),
        [[{ trace_id: traceId }, value]],
        selector,
      );
    };
    await check('rw_jobs_total', 'abc123', '3');
    await check('rw_classic_seconds_bucket', 'classic', '0.5');
    await check('rw_native_seconds', 'native', '0.5');
  });
});

/** The global fetch, recording each answer's status and whether it had the 2.0 `-Written` headers. */
function recordingFetch(log: { status: number; written: boolean; version: string }[]): FetchFunction {
  return async (url, init) => {
    const response = await fetch(url, init);
    log.push({
      status: response.status,
      written: response.headers.has('x-prometheus-remote-write-samples-written'),
      version: init.headers['x-prometheus-remote-write-version']!,
    });
    return response;
  };
}

test('a 2.0 RemoteWriter falls back to 1.0 against Prometheus 2.42 and its data is stored', async (t) => {
  const { base } = await startPrometheusReceiver(t, []);
  const registry = new Registry();
  new Gauge({ name: 'rw_fallback', help: 'F.', registry }).set(42);
  const log: { status: number; written: boolean; version: string }[] = [];
  const writer = new RemoteWriter({
    url: `${base}/api/v1/write`,
    registry,
    protocol: '2.0',
    metricsRegistry: null,
    fetch: recordingFetch(log),
    onError: (e) => assert.fail(e),
  });
  await writer.flush();
  assert.equal(writer.protocol, '1.0');
  // What Prometheus 2.42 really does with a 2.0 body: it reads it as a 1.0 WriteRequest whose
  // fields it does not know, writes nothing and answers 204, without the -Written headers.
  assert.deepEqual(log, [
    { status: 204, written: false, version: '2.0.0' },
    { status: 204, written: false, version: '0.1.0' },
  ]);
  const stored = await raw(base, 'rw_fallback');
  assert.equal(stored[0]?.values?.[0]?.[1], '42');
});

test('Prometheus refusing a sample (400, out of order) is not retried; the self-metrics count it as failed', async (t) => {
  const prometheus = await startPrometheusReceiver(t, []);
  const registry = new Registry();
  const gauge = new Gauge({ name: 'rw_order', help: 'O.', registry });
  gauge.set(1);
  const metrics = new Registry();
  const errors: Error[] = [];
  let nowMs = Date.now();
  const log: { status: number; written: boolean; version: string }[] = [];
  const writer = new RemoteWriter({
    url: `${prometheus.base}/api/v1/write`,
    registry,
    metricsRegistry: metrics,
    now: () => nowMs,
    fetch: recordingFetch(log),
    retryDelayMs: 1,
    maxRetries: 2,
    onError: (e) => errors.push(e),
  });
  await writer.flush();
  nowMs -= 60_000;
  gauge.set(2);
  await assert.rejects(writer.flush(), { name: 'RemoteWriteFlushError' });
  assert.deepEqual(
    log.map((l) => l.status),
    [204, 400],
  );
  assert.match(errors[0]!.message, /HTTP 400: out of order sample/);
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 1);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 1);
  assert.equal(await selfMetric(metrics, 'retries_total'), 0);
});

test('examples/remote-write.ts writes its metrics to Prometheus and exits 0', async (t) => {
  const { base } = await startPrometheusReceiver(t, []);
  const example = exampleCommand('remote-write', { REMOTE_WRITE_URL: `${base}/api/v1/write` });
  const { code, stderr } = await run(example.command, example.args, undefined, 60_000);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const stored = await raw(base, 'etl_records_total');
  assert.deepEqual(stored.map((s) => [s.metric.table, s.values?.map(([, v]) => v)]).sort(), [
    ['orders', ['500']],
    ['users', ['500']],
  ]);
  assert.equal((await raw(base, 'etl_last_success_timestamp_seconds')).length, 1);
});
