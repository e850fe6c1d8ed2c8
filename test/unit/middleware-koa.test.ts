import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { Registry } from '../../src/index.js';
import { koaMetrics } from '../../src/middleware/koa.js';
import { listen, send } from '../helpers/http-client.js';
import { assertServedMetrics, exercise } from '../helpers/middleware-scenario.js';

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

    await exercise((path, init) => send(port, path, init), false);
    await assertServedMetrics(port, registry);
    assert.deepEqual(seen.slice(0, 2), ['rejected', 'thrown'], 'the errors still reach Koa');
  });
});
