/**
 * The registry the server-side benchmarks serve, filled the same way for each library: one
 * counter, `load_requests_total{route, code}`, with `series` series (four codes per route).
 */
import { createRequire } from 'node:module';
import { Counter, type Registry } from '../src/index.js';

type PromClient = typeof import('prom-client');

const CODES = ['200', '301', '404', '500'];

/** The labels and value of series `i`. */
function seriesAt(i: number): { labels: { route: string; code: string }; value: number } {
  return { labels: { route: `/route/${i >> 2}`, code: CODES[i & 3]! }, value: i + 1 };
}

export function fillOurs(registry: Registry, series: number): void {
  const counter = new Counter({
    name: 'load_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'] as const,
    registry,
  });
  for (let i = 0; i < series; i++) {
    const { labels, value } = seriesAt(i);
    counter.inc(labels, value);
  }
}

/** A prom-client registry filled like `fillOurs`. */
export function filledPromClient(series: number): import('prom-client').Registry {
  const client = createRequire(import.meta.url)('prom-client') as PromClient;
  const registry = new client.Registry();
  const counter = new client.Counter({
    name: 'load_requests_total',
    help: 'Requests.',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  for (let i = 0; i < series; i++) {
    const { labels, value } = seriesAt(i);
    counter.inc(labels, value);
  }
  return registry;
}

/** The plain node:http endpoint prom-client's README shows. */
export function promClientHandler(
  registry: import('prom-client').Registry,
): (req: unknown, res: import('node:http').ServerResponse) => void {
  return (_req, res) => {
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
  };
}
