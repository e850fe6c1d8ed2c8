/**
 * One storage measurement in a fresh process (run with --expose-gc): argv is
 * `<library> <kind> <series> <familySize>`, kind `counter2`, `counter5` or `histogram`; the series
 * are split into families of `familySize` (all in one family when it equals `series`). For one
 * library it prints the heap bytes (JS heap plus ArrayBuffers) per series before any scrape and after repeated scrapes in every
 * format the library has; label values are built before the heap baseline, so only the library's
 * cost is counted. For the library `all` it prints the milliseconds of the first (cold) and of a
 * repeated (warm) render of every library and format, measured side by side in this process.
 */
import { createRequire } from 'node:module';
import * as ours from '../src/index.js';

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/**
 * The JS heap plus ArrayBuffer memory, which typed-array columns live in outside the heap. The
 * event loop gets a few turns first, as it does between scrapes in a server: finalization
 * callbacks (which hand snapshot buffers back for reuse) run only then.
 */
async function heap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
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

/** Builds the registry of one library with every series; returns its renders per format. */
function build(lib: string): Record<string, Render> {
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
    return {
      text: () => ours.render(registry),
      openmetrics: () => ours.render(registry, 'application/openmetrics-text; version=1.0.0'),
      protobuf: () =>
        ours.render(
          registry,
          'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
        ),
    };
  }
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
  return { text: () => text.metrics(), openmetrics: () => om.metrics() };
}

/**
 * Milliseconds of one render, with the body's string flattened (as writing it to a socket would);
 * null when the exposition is longer than a JavaScript string can be (a million histogram series
 * make about 800 million characters: only a streaming endpoint can serve them).
 */
async function time(render: Render): Promise<number | null> {
  const start = performance.now();
  let out: unknown;
  try {
    out = await render();
  } catch (error) {
    if (error instanceof RangeError && /string length/i.test(error.message)) return null;
    throw error;
  }
  const body = typeof out === 'object' && out !== null && 'body' in out ? out.body : out;
  if (typeof body === 'string') body.charCodeAt(body.length >> 1);
  return performance.now() - start;
}

if (lib === 'all') {
  // Renders of every library in one process, interleaved round by round, so that the load of a
  // shared machine falls on all of them alike: the first round is the cold render, the best of
  // the others the warm one.
  const libs = ['aioprometheus', 'prom-client', '@prometheus-io/client'];
  const built = libs.map((l) => [l, build(l)] as const);
  const result: Record<string, { cold: Record<string, number | null>; warm: Record<string, number | null> }> =
    {};
  for (const [l] of built) result[l] = { cold: {}, warm: {} };
  for (let round = 0; round < 4; round++) {
    for (const [l, formats] of built) {
      for (const [format, render] of Object.entries(formats)) {
        const ms = await time(render);
        const r = result[l]!;
        if (round === 0) r.cold[format] = ms;
        else r.warm[format] = ms === null ? null : Math.min(r.warm[format] ?? Number.POSITIVE_INFINITY, ms);
      }
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const before = await heap();
  const formats = build(lib);
  const created = await heap();
  for (let round = 0; round < 3; round++) for (const render of Object.values(formats)) await render();
  const scraped = await heap();
  process.stdout.write(
    `${JSON.stringify({
      heapBefore: Math.round((created - before) / SERIES),
      heapAfter: Math.round((scraped - before) / SERIES),
      // Read after the last heap measurement, so the registries are still alive at it.
      formats: Object.keys(formats),
    })}\n`,
  );
}
