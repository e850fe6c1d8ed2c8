/**
 * Requests per second of a trivial Express and Fastify app, bare ('none'), with the
 * aioprometheus middleware, and (Express only) with express-prom-bundle, measured with
 * autocannon (10 connections, BENCH_HTTP_SECONDS seconds each, default 3, in interleaved rounds)
 * in one run. The
 * server runs in this process; autocannon runs in a worker thread so it does not share the
 * server's event loop. Targets: at most 5 % fewer requests on Fastify, 10 % on Express.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import promBundle from 'express-prom-bundle';
import Fastify from 'fastify';
import { Registry } from '../src/index.js';
import { expressMetrics } from '../src/middleware/express.js';
import { fastifyMetrics } from '../src/middleware/fastify.js';
import type { BenchRow } from './harness.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
/** Each variant's time is split into rounds, interleaved with the other variants' rounds. */
const ROUNDS = 3;

type Variant = 'none' | 'aioprometheus' | 'express-prom-bundle';

interface Target {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Measures every target in interleaved rounds and keeps each one's best round, so a burst of
 * load from elsewhere on the machine cannot favour whichever variant ran at a quiet moment.
 */
async function compare(targets: Partial<Record<Variant, Target>>): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  try {
    for (const target of Object.values(targets)) {
      // A short warm-up lets the JIT settle before the measured rounds.
      await autocannon({ url: target.url, connections: 10, duration: 0.5, workers: 1 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [variant, target] of Object.entries(targets)) {
        const result = await autocannon({
          url: target.url,
          connections: 10,
          duration: SECONDS / ROUNDS,
          workers: 1,
        });
        if (result.non2xx > 0 || result.errors > 0) {
          throw new Error(`${target.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
        }
        best[variant] = Math.max(best[variant] ?? 0, result.requests.average);
      }
    }
  } finally {
    for (const target of Object.values(targets)) await target.close();
  }
  return best;
}

async function expressTarget(variant: Variant): Promise<Target> {
  const app = express();
  if (variant === 'aioprometheus') app.use(expressMetrics({ registry: new Registry() }));
  if (variant === 'express-prom-bundle') app.use(promBundle({ includeMethod: true, includePath: true }));
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/users/42`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function fastifyTarget(variant: Variant): Promise<Target> {
  const app = Fastify();
  if (variant === 'aioprometheus') await app.register(fastifyMetrics, { registry: new Registry() });
  app.get('/users/:id', async (request) => `user ${(request.params as { id: string }).id}`);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/users/42`,
    close: () => app.close(),
  };
}

export async function run(): Promise<BenchRow[]> {
  const expressResults = await compare({
    none: await expressTarget('none'),
    aioprometheus: await expressTarget('aioprometheus'),
    'express-prom-bundle': await expressTarget('express-prom-bundle'),
  });
  const fastifyResults = await compare({
    none: await fastifyTarget('none'),
    aioprometheus: await fastifyTarget('aioprometheus'),
  });
  return [
    { name: 'express: trivial route', unit: 'requests/s', higherIsBetter: true, results: expressResults },
    { name: 'fastify: trivial route', unit: 'requests/s', higherIsBetter: true, results: fastifyResults },
  ];
}
