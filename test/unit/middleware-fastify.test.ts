import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Registry } from '../../src/index.js';
import { fastifyMetrics } from '../../src/middleware/fastify.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { abandonAfterHeaders, samples, send, settled } from '../helpers/http-client.js';

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

    assert.equal((await send(port, '/users/1')).body, 'user 1');
    await send(port, '/users/2');
    assert.equal((await send(port, '/api/items/7', { method: 'POST' })).status, 201);
    assert.deepEqual(await send(port, '/async-fail').then((r) => [r.status, r.body]), [
      500,
      'handled: rejected',
    ]);
    assert.deepEqual(await send(port, '/sync-fail').then((r) => [r.status, r.body]), [
      500,
      'handled: thrown',
    ]);
    assert.equal((await send(port, '/stream')).body, 'ab');
    await send(port, '/no/such/page');
    await send(port, '/another/unknown');
    await send(port, '/favicon.ico');
    assert.equal(await abandonAfterHeaders(port, '/hang'), 200);
    const { metrics } = new HttpInstrumentation({ registry });
    await settled(metrics.inFlight);

    const exposition = await send(port, '/metrics');
    assert.equal(exposition.status, 200);
    assert.deepEqual(samples(exposition.body, 'http_requests_total'), [
      'http_requests_total{method="GET",route="/async-fail",status="500"} 1',
      'http_requests_total{method="GET",route="/hang",status="200"} 1',
      'http_requests_total{method="GET",route="/stream",status="200"} 1',
      'http_requests_total{method="GET",route="/sync-fail",status="500"} 1',
      'http_requests_total{method="GET",route="/users/:id",status="200"} 2',
      'http_requests_total{method="GET",route="<unmatched>",status="404"} 2',
      'http_requests_total{method="POST",route="/api/items/:id",status="201"} 1',
    ]);
    assert.deepEqual(samples(exposition.body, 'http_request_exceptions_total'), [
      'http_request_exceptions_total{method="GET",route="/async-fail"} 1',
      'http_request_exceptions_total{method="GET",route="/sync-fail"} 1',
    ]);
    assert.deepEqual(samples(exposition.body, 'http_requests_in_flight'), [
      'http_requests_in_flight{method="GET"} 0',
      'http_requests_in_flight{method="POST"} 0',
    ]);
    const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
    assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  });
});
