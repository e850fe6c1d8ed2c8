/**
 * Storage benchmarks: heap per series before and after scrapes in every format, and cold (first)
 * and warm (repeated) renders, for large registries: counters with 2 and 5 labels and
 * default-bucket histograms, as one family or as families of 100 series, at 100,000 series, and
 * 1,000,000 two-label counter series. Each measurement runs in a fresh process per library
 * (bench/storage-child.ts), one round each, so the large cases stay bounded.
 *
 * `tsx bench/run.ts storage` runs all of it; `tsx bench/run.ts storage-quick` only the 100,000
 * two-label counter cases.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './harness.js';

const LIBS = ['aioprometheus', 'prom-client', '@prometheus-io/client'] as const;
const CHILD = fileURLToPath(new URL('./storage-child.ts', import.meta.url));

interface Measurement {
  heapBefore: number;
  heapAfter: number;
  cold: Record<string, number>;
  warm: Record<string, number>;
}

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

function measure(lib: string, c: Case): Measurement {
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
  return JSON.parse(out.trim()) as Measurement;
}

function rowsFor(c: Case): BenchRow[] {
  const results = new Map<string, Measurement>();
  for (const lib of LIBS) {
    process.stderr.write(`  ${lib} ${c.kind} ${c.series} in families of ${c.familySize}…\n`);
    results.set(lib, measure(lib, c));
  }
  const shape = c.familySize >= c.series ? 'one family' : `families of ${c.familySize}`;
  const label = `${KIND_NAME[c.kind]}, ${c.series.toLocaleString('en')} series, ${shape}`;
  const row = (name: string, unit: string, pick: (m: Measurement) => number | undefined): BenchRow => {
    const values: Record<string, number> = {};
    for (const [lib, m] of results) {
      const v = pick(m);
      if (v !== undefined) values[lib] = v;
    }
    return { name: `${name}, ${label}`, unit, higherIsBetter: false, results: values };
  };
  return [
    row('heap per series before any scrape', 'bytes', (m) => m.heapBefore),
    row('heap per series after scrapes in every format', 'bytes', (m) => m.heapAfter),
    row('text render, cold', 'ms', (m) => m.cold.text),
    row('text render, warm', 'ms', (m) => m.warm.text),
    row('OpenMetrics render, cold', 'ms', (m) => m.cold.openmetrics),
    row('OpenMetrics render, warm', 'ms', (m) => m.warm.openmetrics),
    row('protobuf render, cold (ours only)', 'ms', (m) => m.cold.protobuf),
    row('protobuf render, warm (ours only)', 'ms', (m) => m.warm.protobuf),
  ];
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
];

export async function run(): Promise<BenchRow[]> {
  return FULL.flatMap(rowsFor);
}

export async function runQuick(): Promise<BenchRow[]> {
  return QUICK.flatMap(rowsFor);
}
