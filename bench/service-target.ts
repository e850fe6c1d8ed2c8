/**
 * The server side of bench/service.ts, run in its own process: `tsx bench/service-target.ts
 * <aioprometheus|prom-client>` fills a fresh registry with the same 10,000 counter series, serves
 * it on a free 127.0.0.1 port, and prints the URL of its metrics on stdout.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Counter, Registry } from '../src/index.js';
import { Service } from '../src/service/index.js';

type PromClient = typeof import('prom-client');

const ROUTES = 2500;
const CODES = ['200', '301', '404', '500'];

async function serveOurs(): Promise<string> {
  const registry = new Registry();
  const counter = new Counter({
    name: 'bench_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'] as const,
    registry,
  });
  for (let r = 0; r < ROUTES; r++)
    for (const code of CODES) counter.inc({ route: `/route/${r}`, code }, r + 1);
  const service = new Service({ registry });
  await service.start({ host: '127.0.0.1', port: 0 });
  return service.metricsUrl;
}

async function servePromClient(): Promise<string> {
  const client = createRequire(import.meta.url)('prom-client') as PromClient;
  const registry = new client.Registry();
  const counter = new client.Counter({
    name: 'bench_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  for (let r = 0; r < ROUTES; r++)
    for (const code of CODES) counter.inc({ route: `/route/${r}`, code }, r + 1);
  // The plain node:http endpoint prom-client's README shows.
  const server = createServer((_req, res) => {
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
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
