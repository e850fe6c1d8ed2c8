/**
 * The Bun and Deno side of the runtime smoke test: runs the shared scenario, collects the
 * default metrics, serves the scenario with the node:http Service, pushes it to the Pushgateway
 * named in SMOKE_PUSHGATEWAY, and prints one JSON line with what it saw. It then keeps serving
 * until the test stops it.
 */
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import { type MetricFamily, Registry } from '../../src/index.js';
import { Pusher } from '../../src/push/index.js';
import { Service } from '../../src/service/index.js';
import { renderAll, scenarioRegistry } from './scenario.js';

const runtime = 'Bun' in globalThis ? 'bun' : 'Deno' in globalThis ? 'deno' : 'node';
const registry = scenarioRegistry();
const renders = await renderAll(registry);

const defaults = new Registry();
const stopDefaults = collectDefaultMetrics({ registry: defaults });
const defaultFamilies = (await defaults.collect()).map((f: MetricFamily) => f.name);
stopDefaults();

const service = new Service({ registry });
await service.start({ port: 0 });

const gateway = process.env.SMOKE_PUSHGATEWAY;
if (gateway !== undefined) {
  await new Pusher({ url: gateway, job: `smoke-${runtime}` }).replace(registry);
}

console.log(
  JSON.stringify({ runtime, renders, defaultFamilies, serviceUrl: service.metricsUrl, pushed: !!gateway }),
);
