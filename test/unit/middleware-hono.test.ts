import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { Registry } from '../../src/index.js';
import { honoMetrics } from '../../src/middleware/hono.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { abandonAfterHeaders, samples, send, settled } from '../helpers/http-client.js';

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

const EXPECTED_REQUESTS = [
  'http_requests_total{method="GET",route="/async-fail",status="500"} 1',
  'http_requests_total{method="GET",route="/stream",status="200"} 1',
  'http_requests_total{method="GET",route="/sync-fail",status="500"} 1',
  'http_requests_total{method="GET",route="/users/:id",status="200"} 2',
  'http_requests_total{method="GET",route="<unmatched>",status="404"} 2',
  'http_requests_total{method="POST",route="/api/items/:id",status="201"} 1',
];

const EXPECTED_EXCEPTIONS = [
  'http_request_exceptions_total{method="GET",route="/async-fail"} 1',
  'http_request_exceptions_total{method="GET",route="/sync-fail"} 1',
];

async function exercise(
  request: (path: string, init?: { method?: string }) => Promise<{ status: number; body: string }>,
) {
  assert.equal((await request('/users/1')).body, 'user 1');
  await request('/users/2');
  assert.equal((await request('/api/items/7', { method: 'POST' })).status, 201);
  assert.deepEqual(await request('/async-fail').then((r) => [r.status, r.body]), [500, 'handled: rejected']);
  assert.deepEqual(await request('/sync-fail').then((r) => [r.status, r.body]), [500, 'handled: thrown']);
  assert.equal((await request('/stream')).body, 'ab');
  await request('/no/such/page');
  await request('/another/unknown');
  await request('/favicon.ico');
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
    await exercise((path, init) => send(port, path, init));
    assert.equal(await abandonAfterHeaders(port, '/hang'), 200);
    const { metrics } = new HttpInstrumentation({ registry });
    await settled(metrics.inFlight);

    const exposition = await send(port, '/metrics');
    assert.equal(exposition.status, 200);
    assert.deepEqual(samples(exposition.body, 'http_requests_total'), [
      ...EXPECTED_REQUESTS.slice(0, 1),
      'http_requests_total{method="GET",route="/hang",status="200"} 1',
      ...EXPECTED_REQUESTS.slice(1),
    ]);
    assert.deepEqual(samples(exposition.body, 'http_request_exceptions_total'), EXPECTED_EXCEPTIONS);
    assert.deepEqual(samples(exposition.body, 'http_requests_in_flight'), [
      'http_requests_in_flight{method="GET"} 0',
      'http_requests_in_flight{method="POST"} 0',
    ]);
    const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
    assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  });

  it('on a fetch runtime (app.fetch, no node bindings): counts the same, and serves gzip', async () => {
    const registry = new Registry();
    const app = buildApp(registry);
    await exercise(async (path, init) => {
      const res = await app.fetch(new Request(`http://localhost${path}`, init));
      return { status: res.status, body: await res.text() };
    });
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
