import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { Registry } from '../../../src/index.js';
import { honoMetrics } from '../../../src/middleware/hono.js';
import { HttpInstrumentation } from '../../../src/middleware/index.js';
import { send } from '../../helpers/http-client.js';
import {
  assertServedMetrics,
  assertTenantsShareOneSeries,
  EXPECTED_EXCEPTIONS,
  exercise,
  expectedRequests,
  type ScenarioOptions,
  sortedSamples,
} from '../../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scenario: ScenarioOptions = { errorBodies: true, versionRoute: '/:version{v[0-9]+}/status' };

function tenantApp() {
  const tenant = new Hono();
  tenant.get('/items/:id', (c) => c.text(`tenant ${c.req.param('tid')} item ${c.req.param('id')}`));
  return tenant;
}

/**
 * The root app keeps Hono's default error handler; the routes whose errors the app handles
 * itself live in apps with their own `onError`, mounted at `/` and `/api`.
 */
function buildApp(registry: Registry) {
  const app = new Hono();
  app.use(honoMetrics({ registry }));
  app.use(honoMetrics({ registry }));
  const handled = new Hono();
  handled.onError((error, c) => c.text(`handled: ${error.message}`, 500));
  handled.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  handled.get('/async-fail', async () => {
    await sleep(1);
    throw new Error('rejected');
  });
  handled.get('/sync-fail', () => {
    throw new Error('thrown');
  });
  app.route('/', handled);
  app.get('/unhandled-fail', () => {
    throw new Error('unhandled');
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
      // Holds the response open until the client leaves, and not a moment after the test.
      await new Promise<void>((resolve) => s.onAbort(resolve));
    }),
  );
  const api = new Hono();
  api.onError((error, c) => c.text(`handled: ${error.message}`, 500));
  api.post('/items/:id', (c) => c.json({ ok: true }, 201));
  api.get('/fail/:id', () => {
    throw new Error('sub-router');
  });
  app.route('/api', api);
  app.route('/tenant/:tid', tenantApp());
  const versioned = new Hono();
  versioned.get('/status', (c) => c.text('ok'));
  app.route('/:version{v[0-9]+}', versioned);
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
    await exercise((path, init) => send(port, path, init), scenario);
    await assertServedMetrics(port, registry, scenario);
  });

  it('on a fetch runtime (app.fetch, no node bindings): counts the same, and serves gzip', async () => {
    const registry = new Registry();
    const app = buildApp(registry);
    await exercise(async (path, init) => {
      const res = await app.fetch(new Request(`http://localhost${path}`, init));
      return { status: res.status, body: await res.text() };
    }, scenario);
    const { metrics } = new HttpInstrumentation({ registry });
    assert.equal(metrics.inFlight.get({ method: 'GET' }), 0);
    const exposition = await (await app.fetch(new Request('http://localhost/metrics'))).text();
    assert.deepEqual(sortedSamples(exposition, 'http_requests_total'), expectedRequests(scenario));
    assert.deepEqual(sortedSamples(exposition, 'http_request_exceptions_total'), EXPECTED_EXCEPTIONS);
    const gz = await app.fetch(
      new Request('http://localhost/metrics', { headers: { 'Accept-Encoding': 'gzip' } }),
    );
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    const text = await new Response(gz.body!.pipeThrough(new DecompressionStream('gzip'))).text();
    assert.ok(text.includes('http_requests_in_flight{method="GET"} 0'));
  });

  it('labels 1,000 tenants of a sub-app on a parameterised path with one route template', async () => {
    const registry = new Registry();
    const app = new Hono();
    app.use(honoMetrics({ registry }));
    app.route('/tenant/:tid', tenantApp());
    await assertTenantsShareOneSeries(async (path) => {
      const res = await app.fetch(new Request(`http://localhost${path}`));
      return { status: res.status, body: await res.text() };
    }, registry);
  });
});
