import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { Registry } from '../../src/index.js';
import { honoMetrics } from '../../src/middleware/hono.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { samples, send } from '../helpers/http-client.js';
import {
  assertServedMetrics,
  EXPECTED_EXCEPTIONS,
  EXPECTED_REQUESTS,
  exercise,
} from '../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildApp(registry: Registry) {
  const app = new Hono();
  app.use(honoMetrics({ registry }));
  app.use(honoMetrics({ registry }));
  app.onError((error, c) => c.text(`handled: ${error.message}`, 500));
  app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  app.get('/async-fail', async () => {
    await sleep(1);
    throw new Error('rejected');
  });
  app.get('/sync-fail', () => {
    throw new Error('thrown');
  });
  app.get('/stream', (c) =>
    stream(c, async (s) => {
      await s.write('a');
      await sleep(120);
      await s.write('b');
    }),
  );
  app.get('/hang', (c) =>
    stream(c, async (s) => {
      await s.write('partial');
      await sleep(60_000);
    }),
  );
  const api = new Hono();
  api.post('/items/:id', (c) => c.json({ ok: true }, 201));
  app.route('/api', api);
  return app;
}

describe('honoMetrics', () => {
  it('on @hono/node-server: counts by route template, errors, streams and disconnects, serves /metrics', async (t) => {
    const registry = new Registry();
    buildApp(registry);
    const app = buildApp(registry);
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    t.after(() => {
      (server as import('node:http').Server).closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await exercise((path, init) => send(port, path, init), true);
    await assertServedMetrics(port, registry);
  });

  it('on a fetch runtime (app.fetch, no node bindings): counts the same, and serves gzip', async () => {
    const registry = new Registry();
    const app = buildApp(registry);
    await exercise(async (path, init) => {
      const res = await app.fetch(new Request(`http://localhost${path}`, init));
      return { status: res.status, body: await res.text() };
    }, true);
    const { metrics } = new HttpInstrumentation({ registry });
    assert.equal(metrics.inFlight.get({ method: 'GET' }), 0);
    const exposition = await (await app.fetch(new Request('http://localhost/metrics'))).text();
    assert.deepEqual(samples(exposition, 'http_requests_total'), EXPECTED_REQUESTS);
    assert.deepEqual(samples(exposition, 'http_request_exceptions_total'), EXPECTED_EXCEPTIONS);
    const gz = await app.fetch(
      new Request('http://localhost/metrics', { headers: { 'Accept-Encoding': 'gzip' } }),
    );
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    const text = await new Response(gz.body!.pipeThrough(new DecompressionStream('gzip'))).text();
    assert.ok(text.includes('http_requests_in_flight{method="GET"} 0'));
  });
});
