import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Registry } from '../../src/index.js';
import { fastifyMetrics } from '../../src/middleware/fastify.js';
import { send } from '../helpers/http-client.js';
import { assertServedMetrics, exercise } from '../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function buildApp(registry: Registry) {
  const app = Fastify();
  await app.register(fastifyMetrics, { registry });
  await app.register(fastifyMetrics, { registry });
  app.setErrorHandler((error: Error, _request, reply) => {
    void reply.status(500).send(`handled: ${error.message}`);
  });
  app.get('/users/:id', async (request) => `user ${(request.params as { id: string }).id}`);
  app.get('/async-fail', async () => {
    await sleep(1);
    throw new Error('rejected');
  });
  app.get('/sync-fail', () => {
    throw new Error('thrown');
  });
  app.get('/stream', (_request, reply) => {
    const body = new PassThrough();
    body.write('a');
    setTimeout(() => body.end('b'), 120);
    return reply.type('text/plain').send(body);
  });
  app.get('/hang', (_request, reply) => {
    const body = new PassThrough();
    body.write('partial');
    return reply.send(body);
  });
  await app.register(
    async (api) => {
      api.post('/items/:id', async (_request, reply) => reply.status(201).send({ ok: true }));
    },
    { prefix: '/api' },
  );
  return app;
}

describe('fastifyMetrics', () => {
  it('counts requests by route template, errors, streams and disconnects, and serves /metrics', async (t) => {
    const registry = new Registry();
    await (await buildApp(registry)).close();
    const app = await buildApp(registry);
    t.after(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    await exercise((path, init) => send(port, path, init), true);
    await assertServedMetrics(port, registry);
  });
});
