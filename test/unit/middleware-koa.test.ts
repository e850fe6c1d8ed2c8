import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { Registry } from '../../src/index.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { koaMetrics } from '../../src/middleware/koa.js';
import { abandonAfterHeaders, listen, samples, send, settled } from '../helpers/http-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildApp(registry: Registry) {
  const app = new Koa();
  const seen: string[] = [];
  app.on('error', (error: Error) => seen.push(error.message));
  app.use(koaMetrics({ registry }));
  app.use(koaMetrics({ registry }));
  const router = new Router();
  router.get('/users/:id', (ctx) => {
    ctx.body = `user ${ctx.params.id}`;
  });
  router.get('/async-fail', async () => {
    await sleep(1);
    throw new Error('rejected');
  });
  router.get('/sync-fail', () => {
    throw new Error('thrown');
  });
  router.get('/stream', (ctx) => {
    const body = new PassThrough();
    body.write('a');
    setTimeout(() => body.end('b'), 120);
    ctx.body = body;
  });
  router.get('/hang', (ctx) => {
    const body = new PassThrough();
    body.write('partial');
    ctx.body = body;
  });
  const api = new Router({ prefix: '/api' });
  api.post('/items/:id', (ctx) => {
    ctx.status = 201;
    ctx.body = { ok: true };
  });
  app.use(router.routes());
  app.use(api.routes());
  return { app, seen };
}

describe('koaMetrics', () => {
  it('counts requests by route template, errors, streams and disconnects, and serves /metrics', async (t) => {
    const registry = new Registry();
    buildApp(registry);
    const { app, seen } = buildApp(registry);
    const port = await listen(t, createServer(app.callback()));

    assert.equal((await send(port, '/users/1')).body, 'user 1');
    await send(port, '/users/2');
    assert.equal((await send(port, '/api/items/7', { method: 'POST' })).status, 201);
    assert.equal((await send(port, '/async-fail')).status, 500);
    assert.equal((await send(port, '/sync-fail')).status, 500);
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
    assert.deepEqual(seen.slice(0, 2), ['rejected', 'thrown'], 'the errors still reach Koa');
    const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
    assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  });
});
