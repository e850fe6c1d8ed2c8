/**
 * The server side of bench/middleware.ts, run in its own process:
 * `tsx bench/middleware-target.ts <express|fastify> <none|aioprometheus|express-prom-bundle>`
 * serves a trivial `/users/:id` route on a free 127.0.0.1 port and prints its URL on stdout.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import promBundle from 'express-prom-bundle';
import Fastify from 'fastify';
import { Registry } from '../src/index.js';
import { expressMetrics } from '../src/middleware/express.js';
import { fastifyMetrics } from '../src/middleware/fastify.js';

const [framework, variant] = process.argv.slice(2);

async function serve(): Promise<string> {
  if (framework === 'express') {
    const app = express();
    if (variant === 'aioprometheus') app.use(expressMetrics({ registry: new Registry() }));
    if (variant === 'express-prom-bundle') app.use(promBundle({ includeMethod: true, includePath: true }));
    app.get('/users/:id', (req, res) => {
      res.send(`user ${req.params.id}`);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/users/42`;
  }
  if (framework === 'fastify') {
    const app = Fastify();
    if (variant === 'aioprometheus') await app.register(fastifyMetrics, { registry: new Registry() });
    app.get('/users/:id', async (request) => `user ${(request.params as { id: string }).id}`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/users/42`;
  }
  throw new Error(`unknown framework ${String(framework)}`);
}

process.stdout.write(`${await serve()}\n`);
