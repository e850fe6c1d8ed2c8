/**
 * The prom-client compatibility layer (`aioprometheus/prom-client`) beside prom-client 15 and this
 * library's native API, in one process and one run: the table's ratio is the layer against
 * prom-client, and the native column shows what the layer costs over the API it runs on.
 */
import { createRequire } from 'node:module';
import * as compat from '../src/compat/index.js';
import * as native from '../src/index.js';
import { type BenchRow, opsPerSecond, opsPerSecondAsync } from './harness.js';

const require = createRequire(import.meta.url);
const promClient = require('prom-client') as typeof import('prom-client');

const LAYER = 'aioprometheus/prom-client';
const NATIVE = 'aioprometheus native';
const BATCH = 1000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '404', '500'];
/** The realistic registry: what an HTTP middleware records for 25 routes, plus a few process gauges. */
const ROUTES = Array.from({ length: 25 }, (_, i) => `/api/v1/resource_${i}/:id`);
const GAUGES = 10;

type HotCase = 'labelled' | 'child' | 'observe';
const HOT_NAMES: Record<HotCase, string> = {
  labelled: 'counter.inc(labels), 2 labels',
  child: 'bound child inc()',
  observe: 'histogram.observe(labels, v), default buckets',
};

type Labels = Record<string, string>;
/** The part of prom-client's API these cases call, which the layer and prom-client both provide. */
interface ClientApi<R extends { metrics(): Promise<string> }> {
  Registry: new () => R;
  Counter: new (config: {
    name: string;
    help: string;
    labelNames: string[];
    registers: R[];
  }) => {
    inc(labels: Labels, value?: number): void;
    labels(...values: string[]): { inc(): void };
  };
  Histogram: new (config: {
    name: string;
    help: string;
    labelNames: string[];
    registers: R[];
  }) => {
    observe(labels: Labels, value: number): void;
  };
  Gauge: new (config: { name: string; help: string; registers: R[] }) => { set(value: number): void };
}

/** One library's three hot paths, each a function doing BATCH operations. */
type HotPaths = Record<HotCase, () => void>;

function nativeHotPaths(): HotPaths {
  const registry = new native.Registry();
  const counter = new native.Counter({
    name: 'l_total',
    help: 'h',
    labelNames: ['method', 'code'] as const,
    registry,
  });
  const child = counter.labels({ method: 'GET', code: '200' });
  const histogram = new native.Histogram({
    name: 'h_seconds',
    help: 'h',
    labelNames: ['method', 'code'] as const,
    registry,
  });
  return {
    labelled: () => {
      for (let i = 0; i < BATCH; i++) counter.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
    },
    child: () => {
      for (let i = 0; i < BATCH; i++) child.inc();
    },
    observe: () => {
      for (let i = 0; i < BATCH; i++)
        histogram.observe({ method: METHODS[i & 3]!, code: CODES[i % 3]! }, (i % 97) / 50);
    },
  };
}

/** The same calls through prom-client's API, which the layer and prom-client both provide. */
function promClientHotPaths<R extends { metrics(): Promise<string> }>(client: ClientApi<R>): HotPaths {
  const registry = new client.Registry();
  const counter = new client.Counter({
    name: 'l_total',
    help: 'h',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const child = counter.labels('GET', '200');
  const histogram = new client.Histogram({
    name: 'h_seconds',
    help: 'h',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  return {
    labelled: () => {
      for (let i = 0; i < BATCH; i++) counter.inc({ method: METHODS[i & 3]!, code: CODES[i % 3]! });
    },
    child: () => {
      for (let i = 0; i < BATCH; i++) child.inc();
    },
    observe: () => {
      for (let i = 0; i < BATCH; i++)
        histogram.observe({ method: METHODS[i & 3]!, code: CODES[i % 3]! }, (i % 97) / 50);
    },
  };
}

function hotPathRows(): BenchRow[] {
  const libraries: [string, HotPaths][] = [
    [LAYER, promClientHotPaths(compat)],
    ['prom-client', promClientHotPaths(promClient)],
    [NATIVE, nativeHotPaths()],
  ];
  return (Object.keys(HOT_NAMES) as HotCase[]).map((hot) => {
    const results: Record<string, number> = {};
    for (const [lib, paths] of libraries) results[lib] = opsPerSecond(paths[hot], BATCH);
    return { name: HOT_NAMES[hot], unit: 'ops/s', higherIsBetter: true, ours: LAYER, results };
  });
}

/** Fills a registry the way a day of traffic would: every method × route × code seen once or more. */
function fill(
  inc: (labels: { method: string; route: string; code: string }, n: number) => void,
  observe: (labels: { method: string; route: string; code: string }, v: number) => void,
  set: (index: number, v: number) => void,
): void {
  let i = 0;
  for (const method of METHODS)
    for (const route of ROUTES)
      for (const code of CODES) {
        i += 1;
        inc({ method, route, code }, i);
        for (let k = 0; k < 5; k++) observe({ method, route, code }, ((i * 7 + k) % 113) / 40);
      }
  for (let g = 0; g < GAUGES; g++) set(g, g * 1.5);
}

function promClientRegistry<R extends { metrics(): Promise<string> }>(client: ClientApi<R>): R {
  const registry = new client.Registry();
  const labelNames = ['method', 'route', 'code'];
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration.',
    labelNames,
    registers: [registry],
  });
  const gauges = Array.from(
    { length: GAUGES },
    (_, g) => new client.Gauge({ name: `process_gauge_${g}`, help: 'Gauge.', registers: [registry] }),
  );
  fill(
    (labels, n) => requests.inc(labels, n),
    (labels, v) => duration.observe(labels, v),
    (g, v) => gauges[g]!.set(v),
  );
  return registry;
}

function nativeRegistry(): native.Registry {
  const registry = new native.Registry();
  const labelNames = ['method', 'route', 'code'] as const;
  const requests = new native.Counter({
    name: 'http_requests_total',
    help: 'Requests.',
    labelNames,
    registry,
  });
  const duration = new native.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration.',
    labelNames,
    registry,
  });
  const gauges = Array.from(
    { length: GAUGES },
    (_, g) => new native.Gauge({ name: `process_gauge_${g}`, help: 'Gauge.', registry }),
  );
  fill(
    (labels, n) => requests.inc(labels, n),
    (labels, v) => duration.observe(labels, v),
    (g, v) => gauges[g]!.set(v),
  );
  return registry;
}

async function renderRow(): Promise<BenchRow> {
  const layer = promClientRegistry(compat);
  const theirs = promClientRegistry(promClient);
  const ours = nativeRegistry();
  const [a, b, c] = await Promise.all([layer.metrics(), theirs.metrics(), native.render(ours)]);
  // The three must expose the same series, or the comparison would measure different work.
  if (typeof c.body !== 'string') throw new Error('the text render gave bytes');
  const lines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  if (lines(a) !== lines(b) || lines(a) !== lines(c.body)) {
    throw new Error(`registries differ: ${lines(a)} / ${lines(b)} / ${lines(c.body)} sample lines`);
  }
  return {
    name: `metrics() of an HTTP registry, ${lines(a)} sample lines`,
    unit: 'renders/s',
    higherIsBetter: true,
    ours: LAYER,
    results: {
      [LAYER]: await opsPerSecondAsync(() => layer.metrics()),
      'prom-client': await opsPerSecondAsync(() => theirs.metrics()),
      [NATIVE]: await opsPerSecondAsync(() => native.render(ours)),
    },
  };
}

export async function run(): Promise<BenchRow[]> {
  return [...hotPathRows(), await renderRow()];
}
