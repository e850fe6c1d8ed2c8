import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ThreadAggregator } from '../../src/cluster/index.js';
import type { MetricFamily } from '../../src/index.js';
import { freePort, startProcess, waitFor } from '../helpers/processes.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'cluster');

/** Sample values by series from a text exposition, e.g. `started_total` or `x{state="a"}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function startCluster(t: TestContext, env: Record<string, string>) {
  const port = await freePort();
  const started = startProcess(t, 'env', [
    ...Object.entries({ ...env, METRICS_PORT: String(port) }).map(([k, v]) => `${k}=${v}`),
    process.execPath,
    '--import',
    'tsx',
    join(fixtures, 'primary.ts'),
  ]);
  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
    assert.equal(res.status, 200, await res.clone().text());
    return samples(await res.text());
  };
  return { port, scrape, started };
}

test('a cluster primary serves the sum of its workers and keeps totals when a worker is replaced', async (t) => {
  const { port, scrape, started } = await startCluster(t, { WORKERS: '3', TIMEOUT_MS: '3000' });
  const first = await waitFor(
    'three workers answering',
    async () => {
      const s = await scrape();
      return s.get('aioprometheus_cluster_workers{state="answered"}') === 3 ? s : undefined;
    },
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${started.output()}`);
  });
  assert.equal(first.get('started_total'), 30);
  assert.equal(first.get('alive'), 3);
  assert.equal(first.get('aioprometheus_cluster_worker_timeouts_total'), 0);

  const killed = await fetch(`http://127.0.0.1:${port}/kill/1`);
  assert.equal(killed.status, 200);
  const seen: number[] = [];
  const after = await waitFor(
    'the replacement worker answering',
    async () => {
      const s = await scrape();
      seen.push(s.get('started_total') ?? Number.NaN);
      return s.get('aioprometheus_cluster_workers{state="answered"}') === 3 ? s : undefined;
    },
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${started.output()}`);
  });
  // The dead worker's 10 are kept, the replacement adds its own 10; no scrape ever went lower.
  assert.equal(after.get('started_total'), 40);
  assert.equal(after.get('alive'), 3);
  assert.ok(
    seen.every((v) => v >= 30),
    `started_total went below 30: ${seen.join(', ')}`,
  );
});

test('a worker that never answers is left out after the timeout and counted', async (t) => {
  const { scrape } = await startCluster(t, { WORKERS: '2', SILENT: '2', TIMEOUT_MS: '400' });
  const s = await waitFor(
    'a scrape with one timed-out worker',
    async () => {
      const s = await scrape();
      return s.get('aioprometheus_cluster_workers{state="timed_out"}') === 1 &&
        s.get('aioprometheus_cluster_workers{state="answered"}') === 1
        ? s
        : undefined;
    },
    120_000,
  );
  assert.equal(s.get('started_total'), 10);
  assert.equal(s.get('alive'), 1);
  assert.ok((s.get('aioprometheus_cluster_worker_timeouts_total') ?? 0) >= 1, 'a worker timeout was counted');
  const startedAt = performance.now();
  const next = await scrape();
  // The primary's default timeout is 5 s; a scrape bounded by the configured 400 ms ends well before.
  assert.ok(performance.now() - startedAt < 4500, 'the scrape waited longer than the timeout');
  assert.ok(
    next.get('aioprometheus_cluster_worker_timeouts_total')! >
      s.get('aioprometheus_cluster_worker_timeouts_total')!,
  );
});

test('a smaller per-scrape timeout from Prometheus’ header wins over timeoutMs', async (t) => {
  const { scrape } = await startCluster(t, { WORKERS: '2', SILENT: '2', TIMEOUT_MS: '20000' });
  await waitFor(
    'both workers announced',
    async () => {
      const s = await scrape({ 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
      return s.get('aioprometheus_cluster_workers{state="not_ready"}') === 0 ? s : undefined;
    },
    120_000,
  );
  const startedAt = performance.now();
  const s = await scrape({ 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
  const elapsed = performance.now() - startedAt;
  // timeoutMs is 20 s: a scrape that ends long before it used the header's 0.5 s.
  assert.ok(elapsed >= 400 && elapsed < 15_000, `scrape took ${elapsed} ms`);
  assert.equal(s.get('aioprometheus_cluster_workers{state="timed_out"}'), 1);
});

test('metricsHandler passes the scrape deadline to the aggregator: a silent worker cannot make the scrape late', async (t) => {
  const { scrape } = await startCluster(t, {
    WORKERS: '2',
    SILENT: '2',
    TIMEOUT_MS: '20000',
    SERVE: 'handler',
  });
  await waitFor(
    'both workers announced',
    async () => {
      const s = await scrape({ 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
      return s.get('aioprometheus_cluster_workers{state="not_ready"}') === 0 ? s : undefined;
    },
    30_000,
  );
  const startedAt = performance.now();
  const s = await scrape({ 'X-Prometheus-Scrape-Timeout-Seconds': '1' });
  const elapsed = performance.now() - startedAt;
  // The endpoint's deadline is 900 ms; the aggregator waits 90 % of it, then merges and answers.
  assert.ok(elapsed >= 700 && elapsed < 5000, `scrape took ${elapsed} ms`);
  assert.equal(s.get('aioprometheus_cluster_workers{state="timed_out"}'), 1);
  // The worker that answered is in the scrape; the silent one never sent a snapshot.
  assert.equal(s.get('started_total'), 10);
});

/** Worker threads do not inherit tsx's loader; this loads the TypeScript fixture through tsx. */
const threadBootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(
  join(fixtures, 'thread-worker.ts'),
)}, ${JSON.stringify(import.meta.url)}))`;

function valueIn(families: readonly MetricFamily[], name: string, state?: string): number | undefined {
  const family = families.find((f) => f.name === name);
  const point = family?.points.find((p) => state === undefined || p.labels.values.includes(state));
  return (point as { value?: number } | undefined)?.value;
}

test('worker threads: sums, times out a silent thread, keeps an exited thread’s totals', async (t) => {
  const aggregator = new ThreadAggregator({ registry: null, timeoutMs: 300 });
  const workers: Worker[] = [];
  t.after(async () => {
    aggregator.close();
    await Promise.all(workers.map((w) => w.terminate()));
  });
  const spawn = (workerData: { inc: number; silent?: boolean }) => {
    const worker = new Worker(threadBootstrap, { eval: true, workerData });
    workers.push(worker);
    aggregator.add(worker);
    return worker;
  };
  const one = spawn({ inc: 1 });
  spawn({ inc: 2 });
  spawn({ inc: 100, silent: true });
  const families = await waitFor(
    'three threads announced, two answering',
    async () => {
      const f = await aggregator.collect();
      return valueIn(f, 'aioprometheus_thread_workers', 'answered') === 2 &&
        valueIn(f, 'aioprometheus_thread_workers', 'timed_out') === 1
        ? f
        : undefined;
    },
    120_000,
  );
  assert.equal(valueIn(families, 'started_total'), 3);
  assert.equal(valueIn(families, 'alive'), 2);
  assert.ok((valueIn(families, 'aioprometheus_thread_worker_timeouts_total') ?? 0) >= 1);

  const exited = new Promise((resolve) => one.once('exit', resolve));
  one.postMessage('exit');
  await exited;
  const after = await aggregator.collect();
  assert.equal(valueIn(after, 'started_total'), 3);
  assert.equal(valueIn(after, 'alive'), 1);
});
