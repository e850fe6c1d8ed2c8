/**
 * The one scenario every runtime runs (Node, Bun, Deno, workerd): every metric type in a
 * registry of its own, rendered in all three formats. It uses only what the package promises to
 * run anywhere, so a bundle of it must load without Node's modules.
 */
import { Counter, Gauge, Histogram, Registry, render, Summary } from '../../src/index.js';

export interface Renders {
  readonly text: string;
  readonly openmetrics: string;
  /** The delimited protobuf exposition, base64-encoded so it survives JSON. */
  readonly protobuf: string;
}

/** What a runtime reports of one default-metrics family. */
export interface DefaultFamily {
  readonly name: string;
  readonly type: string;
  readonly series: number;
  /** The first series' value (a histogram's count); null when there is no series. */
  readonly value: number | null;
  readonly labels: Readonly<Record<string, string>>;
}

export function scenarioRegistry(): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'smoke_requests_total',
    help: 'Requests by code.',
    labelNames: ['code', 'path'] as const,
    registry,
  });
  requests.inc({ code: 200, path: '/a "quoted" \\ path\nwith newline' }, 3);
  requests.labels({ code: '500', path: 'naïve ☃' }).inc();
  const temperature = new Gauge({ name: 'smoke_temperature_celsius', help: 'T.', unit: 'celsius', registry });
  temperature.set(21.5);
  temperature.dec(0.25);
  const latency = new Histogram({
    name: 'smoke_latency_seconds',
    help: 'Latency.',
    buckets: [0.1, 0.5, 1],
    registry,
  });
  for (const v of [0.05, 0.2, 0.7, 3]) latency.observe(v);
  const native = new Histogram({ name: 'smoke_native_seconds', help: 'Native.', native: true, registry });
  for (const v of [0.001, 0.01, 0.1, 1, 10]) native.observe(v);
  const sizes = new Summary({ name: 'smoke_size_bytes', help: 'Sizes.', quantiles: [0.5, 0.9], registry });
  for (let i = 1; i <= 100; i++) sizes.observe(i);
  return registry;
}

export async function renderAll(registry: Registry): Promise<Renders> {
  const text = await render(registry, 'text/plain;version=0.0.4');
  const openmetrics = await render(registry, 'application/openmetrics-text;version=1.0.0');
  const protobuf = await render(
    registry,
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  );
  if (
    typeof text.body !== 'string' ||
    typeof openmetrics.body !== 'string' ||
    typeof protobuf.body === 'string'
  )
    throw new Error('render returned the wrong body kind');
  return { text: text.body, openmetrics: openmetrics.body, protobuf: toBase64(protobuf.body) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
