/**
 * Core benchmarks (issue: metrics, registry, exposition): hot-path updates, renders of large
 * registries in both text formats, and heap per series — ours beside prom-client and
 * @prometheus-io/client, in one process and one run.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as ours from '../src/index.js';
import { type BenchRow, opsPerSecond, opsPerSecondAsync } from './harness.js';

const require = createRequire(import.meta.url);
type PromClient = typeof import('prom-client');
const promClient = require('prom-client') as PromClient;
// @prometheus-io/client is prom-client's successor under the Prometheus organisation, with the same API.
const ioClient = require('@prometheus-io/client') as PromClient;
const others: readonly [string, PromClient][] = [
  ['prom-client', promClient],
  ['@prometheus-io/client', ioClient],
];

const BATCH = 1000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '404', '500'];

export function hotPathRows(): BenchRow[] {
  const rows: Record<string, Record<string, number>> = {
    'counter.inc() without labels': {},
    'counter.inc(labels), 2 labels': {},
    'bound child inc()': {},
    'histogram.observe(labels, v), default buckets': {},
    'summary.observe(v)': {},
  };
  {
    const registry = new ours.Registry();
    const plain = new ours.Counter({ name: 'plain_total', help: 'h', registry });
    const labelled = new ours.Counter({
      name: 'l_total',
      help: 'h',
      labelNames: ['method', 'code'] as const,
      registry,
    });
    const child = labelled.labels({ method: 'GET', code: '200' });
    const hist = new ours.Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['method', 'code'] as const,
      registry,
    });
    const summary = new ours.Summary({ name: 's_seconds', help: 'h', registry });
    rows['counter.inc() without labels']!.aioprometheus = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) plain.inc();
    }, BATCH);
    rows['counter.inc(labels), 2 labels']!.aioprometheus = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) labelled.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
    }, BATCH);
    rows['bound child inc()']!.aioprometheus = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) child.inc();
    }, BATCH);
    rows['histogram.observe(labels, v), default buckets']!.aioprometheus = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++)
        hist.observe({ method: METHODS[i & 3]!, code: CODES[i % 3]! }, (i % 97) / 50);
    }, BATCH);
    rows['summary.observe(v)']!.aioprometheus = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) summary.observe((i % 997) / 100);
    }, BATCH);
  }
  for (const [lib, client] of others) {
    const registry = new client.Registry();
    const plain = new client.Counter({ name: 'plain_total', help: 'h', registers: [registry] });
    const labelled = new client.Counter({
      name: 'l_total',
      help: 'h',
      labelNames: ['method', 'code'],
      registers: [registry],
    });
    const child = labelled.labels({ method: 'GET', code: '200' });
    const hist = new client.Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['method', 'code'],
      registers: [registry],
    });
    const summary = new client.Summary({ name: 's_seconds', help: 'h', registers: [registry] });
    rows['counter.inc() without labels']![lib] = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) plain.inc();
    }, BATCH);
    rows['counter.inc(labels), 2 labels']![lib] = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) labelled.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
    }, BATCH);
    rows['bound child inc()']![lib] = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) child.inc();
    }, BATCH);
    rows['histogram.observe(labels, v), default buckets']![lib] = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++)
        hist.observe({ method: METHODS[i & 3]!, code: CODES[i % 3]! }, (i % 97) / 50);
    }, BATCH);
    rows['summary.observe(v)']![lib] = opsPerSecond(() => {
      for (let i = 0; i < BATCH; i++) summary.observe((i % 997) / 100);
    }, BATCH);
  }
  return Object.entries(rows).map(([name, results]) => ({
    name,
    unit: 'ops/s',
    higherIsBetter: true,
    results,
  }));
}

/** A registry of 10,000 counter series with 2 labels, and one of 1,000 default-bucket histogram series. */
export function oursLargeRegistries(): { counters: ours.Registry; histograms: ours.Registry } {
  const counters = new ours.Registry();
  const c = new ours.Counter({
    name: 'big_total',
    help: 'Counter.',
    labelNames: ['a', 'b'] as const,
    registry: counters,
  });
  for (let i = 0; i < 10_000; i++) c.inc({ a: `value_${i % 100}`, b: `path/${i}` }, i);
  const histograms = new ours.Registry();
  const h = new ours.Histogram({
    name: 'big_seconds',
    help: 'Histogram.',
    labelNames: ['a'] as const,
    registry: histograms,
  });
  for (let i = 0; i < 1_000; i++) h.observe({ a: `route_${i}` }, (i % 113) / 10);
  return { counters, histograms };
}

function theirLargeRegistries(client: PromClient, contentType?: string) {
  const make = () => {
    if (contentType === undefined) return new client.Registry();
    const registry = new client.Registry<typeof client.openMetricsContentType>();
    registry.setContentType(client.openMetricsContentType);
    return registry;
  };
  const counters = make();
  const c = new client.Counter({
    name: 'big_total',
    help: 'Counter.',
    labelNames: ['a', 'b'],
    registers: [counters],
  });
  for (let i = 0; i < 10_000; i++) c.inc({ a: `value_${i % 100}`, b: `path/${i}` }, i);
  const histograms = make();
  const h = new client.Histogram({
    name: 'big_seconds',
    help: 'Histogram.',
    labelNames: ['a'],
    registers: [histograms],
  });
  for (let i = 0; i < 1_000; i++) h.observe({ a: `route_${i}` }, (i % 113) / 10);
  return { counters, histograms };
}

async function renderRows(): Promise<BenchRow[]> {
  const OM = 'application/openmetrics-text; version=1.0.0';
  const rows: BenchRow[] = [];
  const mine = oursLargeRegistries();
  const cases: [string, 'counters' | 'histograms', boolean][] = [
    ['text render, 10,000 counter series', 'counters', false],
    ['text render, 1,000 histogram series', 'histograms', false],
    ['OpenMetrics render, 10,000 counter series', 'counters', true],
    ['OpenMetrics render, 1,000 histogram series', 'histograms', true],
  ];
  const theirs = others.map(([lib, client]) => ({
    lib,
    text: theirLargeRegistries(client),
    om: theirLargeRegistries(client, client.Registry.OPENMETRICS_CONTENT_TYPE),
  }));
  for (const [name, which, om] of cases) {
    const results: Record<string, number> = {};
    results.aioprometheus = await opsPerSecondAsync(() => ours.render(mine[which], om ? OM : undefined));
    for (const t of theirs)
      results[t.lib] = await opsPerSecondAsync(() => (om ? t.om : t.text)[which].metrics());
    rows.push({ name, unit: 'renders/s', higherIsBetter: true, results });
  }
  return rows;
}

/** Heap and ArrayBuffer bytes per series, measured in a fresh child process per library so nothing else is on the heap. */
function heapRow(): BenchRow {
  const child = fileURLToPath(new URL('./heap-per-series.ts', import.meta.url));
  const results: Record<string, number> = {};
  for (const lib of ['aioprometheus', 'prom-client', '@prometheus-io/client']) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, lib], {
      encoding: 'utf8',
    });
    results[lib] = Number(out.trim());
  }
  return {
    name: 'heap + ArrayBuffers per series, 100,000 counter series',
    unit: 'bytes',
    higherIsBetter: false,
    results,
  };
}

export async function run(): Promise<BenchRow[]> {
  return [...hotPathRows(), ...(await renderRows()), heapRow()];
}
