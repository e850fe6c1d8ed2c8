/**
 * Storage benchmarks: heap per series before and after scrapes in every format, and cold (first)
 * and warm (repeated) renders, for large registries: counters with 2 and 5 labels and
 * default-bucket histograms, as one family or as families of 100 series, at 100,000 series, and
 * at 1,000,000 series (two-label counters also in families of 100). Heap is measured in a fresh
 * process per library; renders of all libraries in one process, interleaved, so the load of a
 * shared machine falls on all alike (bench/storage-child.ts). A few rounds each, so the large cases stay bounded.
 *
 * `tsx bench/run.ts storage` runs all of it; `tsx bench/run.ts storage-quick` only the 100,000
 * two-label counter cases.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as ours from '../src/index.js';
import { type BenchRow, opsPerSecond, printTable } from './harness.js';

const require = createRequire(import.meta.url);

const LIBS = ['aioprometheus', 'prom-client', '@prometheus-io/client'] as const;
const CHILD = fileURLToPath(new URL('./storage-child.ts', import.meta.url));

interface Measurement {
  heapBefore: number;
  heapAfter: number;
  cold: Record<string, number | null>;
  warm: Record<string, number | null>;
}

type Renders = Record<string, Pick<Measurement, 'cold' | 'warm'>>;

interface Case {
  readonly kind: 'counter2' | 'counter5' | 'histogram';
  readonly series: number;
  readonly familySize: number;
}

const KIND_NAME = {
  counter2: 'counter, 2 labels',
  counter5: 'counter, 5 labels',
  histogram: 'histogram, default buckets',
} as const;

function child<T>(lib: string, c: Case): T {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=6144',
      '--import',
      'tsx',
      CHILD,
      lib,
      c.kind,
      String(c.series),
      String(c.familySize),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim()) as T;
}

function rowsFor(c: Case): BenchRow[] {
  process.stderr.write(`  ${c.kind}, ${c.series} series in families of ${c.familySize}…\n`);
  const renders = child<Renders>('all', c);
  const results = new Map<string, Measurement>();
  for (const lib of LIBS) {
    const heap = child<Pick<Measurement, 'heapBefore' | 'heapAfter'>>(lib, c);
    results.set(lib, { ...heap, ...renders[lib]! });
  }
  const shape = c.familySize >= c.series ? 'one family' : `families of ${c.familySize}`;
  const label = `${KIND_NAME[c.kind]}, ${c.series.toLocaleString('en')} series, ${shape}`;
  const row = (name: string, unit: string, pick: (m: Measurement) => number | null | undefined): BenchRow => {
    const values: Record<string, number> = {};
    for (const [lib, m] of results) {
      const v = pick(m);
      // null: the render was longer than a string can be (see storage-child.ts).
      if (v !== undefined && v !== null) values[lib] = v;
    }
    return { name: `${name}, ${label}`, unit, higherIsBetter: false, results: values };
  };
  const rows = [
    row('heap per series before any scrape', 'bytes', (m) => m.heapBefore),
    row('heap per series after scrapes in every format', 'bytes', (m) => m.heapAfter),
    row('text render, cold', 'ms', (m) => m.cold.text),
    row('text render, warm', 'ms', (m) => m.warm.text),
    row('OpenMetrics render, cold', 'ms', (m) => m.cold.openmetrics),
    row('OpenMetrics render, warm', 'ms', (m) => m.warm.openmetrics),
    row('protobuf render, cold (ours only)', 'ms', (m) => m.cold.protobuf),
    row('protobuf render, warm (ours only)', 'ms', (m) => m.warm.protobuf),
  ];
  // Each case as it ends, so a long run shows its progress (the whole table comes at the end).
  process.stderr.write(`${printTable(rows)}\n`);
  return rows;
}

const QUICK: readonly Case[] = [
  { kind: 'counter2', series: 100_000, familySize: 100_000 },
  { kind: 'counter2', series: 100_000, familySize: 100 },
];

const FULL: readonly Case[] = [
  ...QUICK,
  { kind: 'counter5', series: 100_000, familySize: 100_000 },
  { kind: 'counter5', series: 100_000, familySize: 100 },
  { kind: 'histogram', series: 100_000, familySize: 100_000 },
  { kind: 'histogram', series: 100_000, familySize: 100 },
  { kind: 'counter2', series: 1_000_000, familySize: 1_000_000 },
  { kind: 'counter2', series: 1_000_000, familySize: 100 },
  { kind: 'counter5', series: 1_000_000, familySize: 1_000_000 },
  { kind: 'histogram', series: 1_000_000, familySize: 1_000_000 },
];

const BATCH = 1000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '404', '500'];

/**
 * What the lifecycle rules cost on the hot path: the same updates with and without `ttlSeconds`
 * and `maxSeries` (a registry collects between rounds, so the once-per-collection touch of each
 * series is included), beside prom-client's plain updates.
 */
export function lifecycleRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  const client = require('prom-client') as typeof import('prom-client');
  const theirs = new client.Counter({
    name: 't_total',
    help: 'h',
    labelNames: ['method', 'code'],
    registers: [],
  });
  const theirChild = theirs.labels({ method: 'GET', code: '200' });
  for (const [name, options] of [
    ['no lifecycle options', {}],
    ['ttlSeconds: 300, maxSeries: 1000', { ttlSeconds: 300, maxSeries: 1000 }],
  ] as const) {
    const registry = new ours.Registry();
    const c = new ours.Counter({
      name: 'l_total',
      help: 'h',
      labelNames: ['method', 'code'] as const,
      registry,
      ...options,
    });
    const child = c.labels({ method: 'GET', code: '200' });
    let calls = 0;
    // A collection every 100 batches: far more often than any scrape, so the touch cost shows.
    const collectSometimes = () => {
      if (++calls % 100 === 0) void registry.collect();
    };
    rows.push({
      name: `bound child inc(), ${name}`,
      unit: 'ops/s',
      higherIsBetter: true,
      results: {
        aioprometheus: opsPerSecond(() => {
          for (let i = 0; i < BATCH; i++) child.inc();
          collectSometimes();
        }, BATCH),
        'prom-client': opsPerSecond(() => {
          for (let i = 0; i < BATCH; i++) theirChild.inc();
        }, BATCH),
      },
    });
    rows.push({
      name: `counter.inc(labels), 2 labels, ${name}`,
      unit: 'ops/s',
      higherIsBetter: true,
      results: {
        aioprometheus: opsPerSecond(() => {
          for (let i = 0; i < BATCH; i++) c.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
          collectSometimes();
        }, BATCH),
        'prom-client': opsPerSecond(() => {
          for (let i = 0; i < BATCH; i++) theirs.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
        }, BATCH),
      },
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  return [...lifecycleRows(), ...FULL.flatMap(rowsFor)];
}

export async function runQuick(): Promise<BenchRow[]> {
  return [...lifecycleRows(), ...QUICK.flatMap(rowsFor)];
}
