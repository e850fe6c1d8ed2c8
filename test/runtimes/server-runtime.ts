/**
 * The Bun and Deno side of the runtime smoke test: runs the shared scenario, decodes its
 * protobuf render back, collects the default metrics, serves the scenario with the node:http
 * Service and with `metricsResponse` on the runtime's own server (Bun.serve, Deno.serve), pushes
 * it to the Pushgateway named in SMOKE_PUSHGATEWAY, and prints one JSON line with what it saw.
 * It then keeps serving until the test stops it.
 */
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import { parseProtobuf } from '../../src/exposition/index.js';
import { type MetricFamily, Registry } from '../../src/index.js';
import { metricsResponse } from '../../src/middleware/fetch.js';
import { Pusher } from '../../src/push/index.js';
import { Service } from '../../src/service/index.js';
import { type DefaultFamily, renderAll, scenarioRegistry } from './scenario.js';

interface BunServer {
  readonly port: number;
}
interface BunGlobal {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Promise<Response>;
  }): BunServer;
}
interface DenoGlobal {
  serve(
    options: { hostname: string; port: number; onListen: (address: { port: number }) => void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
}
const scope = globalThis as { readonly Bun?: BunGlobal; readonly Deno?: DenoGlobal };

const runtime = scope.Bun !== undefined ? 'bun' : scope.Deno !== undefined ? 'deno' : 'node';
const registry = scenarioRegistry();
const renders = await renderAll(registry);
// Decoded here, by this runtime, and compared by the test with Node's decoding of Node's render.
const decoded = parseProtobuf(Uint8Array.from(atob(renders.protobuf), (c) => c.charCodeAt(0)));

const service = new Service({ registry });
await service.start({ port: 0 });

// Collected with the Service listening, so there is an open handle to count where that works.
const defaults = new Registry();
const stopDefaults = collectDefaultMetrics({ registry: defaults });
// Let the event loop turn, so the delay monitor has samples.
for (let i = 0; i < 30; i++) await new Promise((resolve) => setTimeout(resolve, 5));
const defaultFamilies: DefaultFamily[] = (await defaults.collect()).map(summarize);
stopDefaults();

const options = { registry };
const respond = (request: Request): Promise<Response> => metricsResponse(request, options);
const fetchPort = await new Promise<number>((resolve) => {
  if (scope.Bun !== undefined)
    resolve(scope.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: respond }).port);
  else if (scope.Deno !== undefined)
    scope.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => resolve(port) }, respond);
  else throw new Error('run this on Bun or Deno');
});

const gateway = process.env.SMOKE_PUSHGATEWAY;
if (gateway !== undefined) {
  await new Pusher({ url: gateway, job: `smoke-${runtime}` }).replace(registry);
}

console.log(
  JSON.stringify({
    runtime,
    renders,
    decoded,
    defaultFamilies,
    serviceUrl: service.metricsUrl,
    fetchUrl: `http://127.0.0.1:${fetchPort}/metrics`,
    pushed: !!gateway,
  }),
);

/** A family's name, type and first value (a histogram's count), enough to judge plausibility. */
function summarize(family: MetricFamily): DefaultFamily {
  const point = family.points[0];
  let value: number | undefined;
  if (point !== undefined)
    value = 'value' in point ? point.value : 'count' in point ? point.count : undefined;
  const labels =
    point === undefined
      ? {}
      : Object.fromEntries(point.labels.names.map((name, i) => [name, point.labels.values[i] ?? '']));
  return { name: family.name, type: family.type, series: family.points.length, value: value ?? null, labels };
}
