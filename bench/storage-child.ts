/**
 * One storage measurement in a fresh process (run with --expose-gc): argv is
 * `<library> <kind> <series> <familySize>`, kind `counter2`, `counter5` or `histogram`; the series
 * are split into families of `familySize` (all in one family when it equals `series`). Prints one
 * JSON line: heap bytes per series before any scrape and after repeated scrapes in every format
 * the library has, and the milliseconds of the first (cold) and of a repeated (warm) render per
 * format. Label values are built before the heap baseline, so only the library's cost is counted.
 */
import { createRequire } from 'node:module';
import * as ours from '../src/index.js';

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const [lib, kind, seriesArg, familyArg] = process.argv.slice(2) as [string, string, string, string];
const SERIES = Number(seriesArg);
const FAMILY = Number(familyArg);
const LABELS = kind === 'counter5' ? ['a', 'b', 'c', 'd', 'e'] : kind === 'histogram' ? ['a'] : ['a', 'b'];
const families = Math.ceil(SERIES / FAMILY);
// Realistic shapes: a low-cardinality label first, the unique one last; shared strings across series.
const values: string[][] = Array.from({ length: SERIES }, (_, i) =>
  LABELS.map((_, k) => (k === LABELS.length - 1 ? `path/${i}` : `value_${(i >> k) % 10}`)),
);
const records = values.map((v) => Object.fromEntries(LABELS.map((n, k) => [n, v[k]!])));
const names = Array.from({ length: families }, (_, f) => `family_${f}`);

type Render = () => Promise<unknown> | unknown;
const formats: Record<string, Render> = {};
let keep: unknown;

const before = heap();
if (lib === 'aioprometheus') {
  const registry = new ours.Registry();
  for (let f = 0; f < families; f++) {
    const labelNames = LABELS as readonly string[];
    const metric =
      kind === 'histogram'
        ? new ours.Histogram({ name: `${names[f]}_seconds`, help: 'h', labelNames, registry })
        : new ours.Counter({ name: `${names[f]}_total`, help: 'h', labelNames, registry });
    for (let i = f * FAMILY; i < Math.min(SERIES, (f + 1) * FAMILY); i++) {
      if (metric instanceof ours.Histogram) metric.observe(records[i]!, (i % 113) / 10);
      else metric.inc(records[i]!, i);
    }
  }
  formats.text = () => ours.render(registry);
  formats.openmetrics = () => ours.render(registry, 'application/openmetrics-text; version=1.0.0');
  formats.protobuf = () =>
    ours.render(
      registry,
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
  keep = registry;
} else {
  const client = require(lib) as typeof import('prom-client');
  const text = new client.Registry();
  const om = new client.Registry<typeof client.openMetricsContentType>();
  om.setContentType(client.openMetricsContentType);
  for (let f = 0; f < families; f++) {
    const labelNames = LABELS;
    const metric =
      kind === 'histogram'
        ? new client.Histogram({ name: `${names[f]}_seconds`, help: 'h', labelNames, registers: [text, om] })
        : new client.Counter({ name: `${names[f]}_total`, help: 'h', labelNames, registers: [text, om] });
    for (let i = f * FAMILY; i < Math.min(SERIES, (f + 1) * FAMILY); i++) {
      if (metric instanceof client.Histogram) metric.observe(records[i]!, (i % 113) / 10);
      else (metric as import('prom-client').Counter).inc(records[i]!, i);
    }
  }
  formats.text = () => text.metrics();
  formats.openmetrics = () => om.metrics();
  keep = [text, om];
}
const created = heap();

const cold: Record<string, number> = {};
const warm: Record<string, number> = {};
for (const [format, render] of Object.entries(formats)) {
  let start = performance.now();
  await render();
  cold[format] = performance.now() - start;
  // The best of three repeats: the least disturbed by GC and the other core's load.
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    start = performance.now();
    await render();
    best = Math.min(best, performance.now() - start);
  }
  warm[format] = best;
}
const scraped = heap();
process.stdout.write(
  `${JSON.stringify({
    heapBefore: Math.round((created - before) / SERIES),
    heapAfter: Math.round((scraped - before) / SERIES),
    cold,
    warm,
  })}\n`,
);
if (keep === undefined) process.exitCode = 1;
