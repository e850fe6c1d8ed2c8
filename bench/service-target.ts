/**
 * The server side of bench/service.ts, run in its own process: `tsx bench/service-target.ts
 * <aioprometheus|prom-client>` fills a fresh registry with the same 10,000 counter series (bench/registry-fill.ts), serves
 * it on a free 127.0.0.1 port, and prints the URL of its metrics on stdout.
 */
import { createServer } from 'node:http';
import { Registry } from '../src/index.js';
import { Service } from '../src/service/index.js';
import { filledPromClient, fillOurs, promClientHandler } from './registry-fill.js';

const SERIES = 10_000;

async function serveOurs(): Promise<string> {
  const registry = new Registry();
  fillOurs(registry, SERIES);
  const service = new Service({ registry });
  await service.start({ host: '127.0.0.1', port: 0 });
  return service.metricsUrl;
}

async function servePromClient(): Promise<string> {
  const server = createServer(promClientHandler(filledPromClient(SERIES)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `http://127.0.0.1:${address.port}/metrics`;
}

const library = process.argv[2];
if (library !== 'aioprometheus' && library !== 'prom-client') {
  throw new Error(`usage: service-target.ts aioprometheus|prom-client (got ${String(library)})`);
}
const url = library === 'aioprometheus' ? await serveOurs() : await servePromClient();
process.stdout.write(`${url}\n`);
