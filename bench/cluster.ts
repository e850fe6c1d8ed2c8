/**
 * Cluster aggregation: what the primary pays per scrape for 4 workers × 10,000 series.
 *
 * - "merge": the primary's work on 4 snapshots already received — for aioprometheus base64 →
 *   decode → merge; for prom-client JSON.parse of the IPC message → AggregatorRegistry.aggregate.
 *   Then the text rendering of the aggregate. Simulated in-process with 4 worker registries.
 * - "worker": one worker's work to answer (collect + encode to the IPC payload).
 * - "payload": bytes per worker on the IPC channel.
 * - "end-to-end": a real cluster of 4 workers (each with both libraries' 10,000 series); the
 *   primary times a whole scrape (request, IPC, merge, render) with each library's aggregator.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter as PromCounter, Registry as PromRegistry } from 'prom-client';
import { ClusterAggregator } from '../src/cluster/index.js';
import { LabelInterner } from '../src/cluster/label-interner.js';
import { mergeSnapshots } from '../src/cluster/merge/index.js';
import { decodeSnapshot, encodeSnapshot } from '../src/cluster/wire/index.js';
import { Counter, Registry, render } from '../src/index.js';
import type { BenchRow } from './harness.js';

type WorkerMetrics = Parameters<typeof AggregatorRegistry.aggregate>[0][number];

const WORKERS = 4;
const SERIES = 10_000;

function labelsOf(i: number): { route: string; code: string } {
  return { route: `/api/v1/items/${i % 2000}`, code: String(200 + Math.floor(i / 2000)) };
}

function ourWorker(registry: Registry, seed: number): void {
  const c = new Counter({
    name: 'http_requests',
    help: 'Requests.',
    labelNames: ['route', 'code'] as const,
    registry,
  });
  for (let i = 0; i < SERIES; i++) c.inc(labelsOf(i), i + seed);
}

function promWorker(registry: PromRegistry, seed: number): void {
  const c = new PromCounter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  for (let i = 0; i < SERIES; i++) c.inc(labelsOf(i), i + seed);
}

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function simulated(): Promise<BenchRow[]> {
  const ours: string[] = [];
  const theirs: string[] = [];
  let ourWorkerMs = 0;
  let theirWorkerMs = 0;
  for (let w = 0; w < WORKERS; w++) {
    const registry = new Registry();
    ourWorker(registry, w);
    ourWorkerMs = await median(5, async () => {
      const bytes = encodeSnapshot(await registry.collect());
      ours[w] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    });
    const promRegistry = new PromRegistry();
    promWorker(promRegistry, w);
    theirWorkerMs = await median(5, async () => {
      theirs[w] = JSON.stringify(await promRegistry.getMetricsAsJSON());
    });
  }
  const interner = new LabelInterner();
  const ourMerge = await median(7, async () => {
    const contributions = ours.map((data, i) => ({
      worker: String(i + 1),
      families: decodeSnapshot(Buffer.from(data, 'base64'), interner.intern),
    }));
    const { families } = mergeSnapshots(contributions, {
      modeOf: () => 'sum',
      workerLabel: 'worker',
      interner,
    });
    interner.sweep();
    const registry = new Registry();
    registry.register({ collect: () => families });
    await render(registry);
  });
  const theirMerge = await median(7, async () => {
    const aggregated = AggregatorRegistry.aggregate(theirs.map((json) => JSON.parse(json) as WorkerMetrics));
    await aggregated.metrics();
  });
  const size = (list: string[]) => list.reduce((n, s) => n + s.length, 0) / list.length;
  return [
    {
      name: `cluster merge + render, ${WORKERS} workers × ${SERIES} series`,
      unit: 'ms',
      higherIsBetter: false,
      results: { aioprometheus: ourMerge, 'prom-client': theirMerge },
    },
    {
      name: `cluster worker answer, ${SERIES} series`,
      unit: 'ms',
      higherIsBetter: false,
      results: { aioprometheus: ourWorkerMs, 'prom-client': theirWorkerMs },
    },
    {
      name: `cluster IPC payload per worker, ${SERIES} series`,
      unit: 'bytes',
      higherIsBetter: false,
      results: { aioprometheus: size(ours), 'prom-client': size(theirs) },
    },
  ];
}

async function endToEnd(): Promise<BenchRow> {
  const registry = new Registry();
  const aggregator = new ClusterAggregator({ registry, timeoutMs: 30_000 });
  const promAggregator = new AggregatorRegistry();
  cluster.setupPrimary({ exec: new URL(import.meta.url).pathname, args: ['--bench-cluster-worker'] });
  const workers = Array.from({ length: WORKERS }, () => cluster.fork());
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = String((await render(registry)).body);
      if (text.includes(`aioprometheus_cluster_workers{state="answered"} ${WORKERS}`)) break;
      if (Date.now() > deadline) throw new Error('cluster bench workers did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const ours = await median(7, () => render(registry));
    const theirs = await median(7, () => promAggregator.clusterMetrics());
    return {
      name: `cluster scrape end-to-end, ${WORKERS} real workers × ${SERIES} series`,
      unit: 'ms',
      higherIsBetter: false,
      results: { aioprometheus: ours, 'prom-client': theirs },
    };
  } finally {
    aggregator.close();
    for (const worker of workers) worker.process.kill();
  }
}

if (cluster.isWorker && process.argv.includes('--bench-cluster-worker')) {
  // Each library's metrics live in its own default registry, answering its own aggregator;
  // prom-client's worker answers only once an AggregatorRegistry was constructed in it.
  const { register } = await import('prom-client');
  new AggregatorRegistry();
  const { REGISTRY } = await import('../src/index.js');
  ourWorker(REGISTRY, cluster.worker!.id);
  promWorker(register, cluster.worker!.id);
}

export async function run(): Promise<BenchRow[]> {
  return [...(await simulated()), await endToEnd()];
}
