/**
 * A real VictoriaMetrics (Debian's single-node binary) receives our Remote-Write 1.0 requests on
 * `/api/v1/write`: its export API must show the exact values, labels (quotes, backslashes,
 * newlines, non-ASCII) and millisecond timestamps we sent, for counters, gauges, classic
 * histograms and summaries. It also must not take a 2.0 request for an empty success.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../src/index.js';
import { RemoteWriter } from '../../src/remote-write/index.js';
import { findBinary, freePort, startProcess, tempDir, waitFor } from '../helpers/processes.js';

const TRICKY = 'say "hi" \\ then\nnewline, ünïcödé ✓';

interface Exported {
  readonly metric: Record<string, string>;
  readonly values: number[];
  readonly timestamps: number[];
}

async function startVictoriaMetrics(t: TestContext): Promise<string> {
  const binary = findBinary('victoria-metrics');
  assert.ok(binary, 'victoria-metrics is not installed');
  const dir = await tempDir(t, 'victoria');
  const port = await freePort();
  const vm = startProcess(t, binary, [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, 'data')}`,
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-retentionPeriod=100y',
  ]);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    'VictoriaMetrics to be healthy',
    async () => {
      if (vm.child.exitCode !== null) throw new Error(`victoria-metrics exited: ${vm.output()}`);
      const response = await fetch(`${base}/health`);
      await response.text();
      return response.status === 200 ? true : undefined;
    },
    30_000,
  );
  return base;
}

/** Every series VictoriaMetrics stored whose name matches `regex`, with raw values and timestamps. */
async function exportSeries(base: string, regex: string): Promise<Exported[]> {
  await (await fetch(`${base}/internal/force_flush`)).text();
  const response = await fetch(
    `${base}/api/v1/export?match[]=${encodeURIComponent(`{__name__=~"${regex}"}`)}`,
  );
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Exported);
}

test('VictoriaMetrics stores what a 1.0 RemoteWriter sends, exactly', async (t) => {
  const base = await startVictoriaMetrics(t);
  const registry = new Registry();
  const jobs = new Counter({ name: 'vm_jobs_total', help: 'J.', labelNames: ['kind'] as const, registry });
  jobs.inc({ kind: TRICKY }, 7);
  new Gauge({ name: 'vm_ratio', help: 'R.', registry }).set(-1234.5678e-9);
  const h = new Histogram({ name: 'vm_latency_seconds', help: 'L.', buckets: [0.5], registry });
  h.observe(0.25);
  h.observe(4);
  const s = new Summary({ name: 'vm_size_bytes', help: 'S.', quantiles: [0.5], registry });
  s.observe(12);
  const nowMs = Date.now() - 1234;
  const metrics = new Registry();
  const writer = new RemoteWriter({
    url: `${base}/api/v1/write`,
    registry,
    metricsRegistry: metrics,
    now: () => nowMs,
    onError: (e) => assert.fail(e),
  });
  await writer.flush();

  const series = await waitFor('the series to be exported', async () => {
    const found = await exportSeries(base, 'vm_.*');
    return found.length >= 9 ? found : undefined;
  });
  const get = (name: string, labels: Record<string, string> = {}) => {
    const match = series.filter(
      (x) => x.metric.__name__ === name && Object.entries(labels).every(([k, v]) => x.metric[k] === v),
    );
    assert.equal(match.length, 1, `${name} ${JSON.stringify(labels)} in ${JSON.stringify(series)}`);
    return match[0]!;
  };
  const jobsSeries = get('vm_jobs_total');
  assert.deepEqual(jobsSeries.metric, { __name__: 'vm_jobs_total', kind: TRICKY });
  assert.deepEqual([jobsSeries.values, jobsSeries.timestamps], [[7], [nowMs]]);
  // VictoriaMetrics stores about 12 significant decimal digits, so the gauge has fewer.
  assert.deepEqual(get('vm_ratio').values, [-1234.5678e-9]);
  assert.deepEqual(get('vm_latency_seconds_bucket', { le: '0.5' }).values, [1]);
  assert.deepEqual(get('vm_latency_seconds_bucket', { le: '+Inf' }).values, [2]);
  assert.deepEqual(get('vm_latency_seconds_sum').values, [4.25]);
  assert.deepEqual(get('vm_latency_seconds_count').values, [2]);
  assert.deepEqual(get('vm_size_bytes', { quantile: '0.5' }).timestamps, [nowMs]);
  assert.deepEqual(get('vm_size_bytes_count').values, [1]);
  const sent = (await metrics.collect()).find(
    (f) => f.name === 'aioprometheus_remote_write_samples_sent_total',
  );
  assert.equal((sent!.points[0] as { value: number }).value, 9);
});

test('a 2.0 RemoteWriter against VictoriaMetrics ends up storing its samples', async (t) => {
  const base = await startVictoriaMetrics(t);
  const registry = new Registry();
  new Gauge({ name: 'vm_v2_gauge', help: 'G.', registry }).set(5);
  const writer = new RemoteWriter({
    url: `${base}/api/v1/write`,
    registry,
    protocol: '2.0',
    metricsRegistry: null,
    onError: (e) => assert.fail(e),
  });
  await writer.flush();
  const series = await waitFor('the gauge to be exported', async () => {
    const found = await exportSeries(base, 'vm_v2_gauge');
    return found.length === 1 ? found : undefined;
  });
  assert.deepEqual(series[0]!.values, [5]);
  // This VictoriaMetrics (1.79, 2023) speaks only 1.0: the writer must have noticed.
  assert.equal(writer.protocol, '1.0');
});
