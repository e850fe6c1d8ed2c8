import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { Registry } from '../../../src/index.js';
import { koaMetrics } from '../../../src/middleware/koa.js';
import { listen, send } from '../../helpers/http-client.js';
import {
  assertServedMetrics,
  assertTenantsShareOneSeries,
  exercise,
  type ScenarioOptions,
} from '../../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// No custom error handler: every error goes to Koa's own. @koa/router mounts take path
// patterns, not RegExps, so the version mount is the pattern `/v:version`.
const scenario: ScenarioOptions = { errorBodies: false, versionRoute: '/v:version/status' };

function tenantRouter() {
  const tenant = new Router();
  tenant.get('/items/:id', (ctx) => {
    ctx.body = `tenant ${ctx.params.tid} item ${ctx.params.id}`;
  });
  return tenant;
}

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
  router.get('/unhandled-fail', () => {
    throw new Error('unhandled');
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
  api.get('/fail/:id', () => {
    throw new Error('sub-router');
  });
  router.use('/tenant/:tid', tenantRouter().routes());
  const versioned = new Router();
  versioned.get('/status', (ctx) => {
    ctx.body = 'ok';
  });
  router.use('/v:version', versioned.routes());
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

    await exercise((path, init) => send(port, path, init), scenario);
    await assertServedMetrics(port, registry, scenario);
    assert.deepEqual(
      seen.slice(0, 4),
      ['rejected', 'thrown', 'sub-router', 'unhandled'],
      'the errors still reach Koa',
    );
  });

  it('labels 1,000 tenants of a nested router on a parameterised path with one route template', async (t) => {
    const registry = new Registry();
    const app = new Koa();
    app.use(koaMetrics({ registry }));
    const root = new Router();
    root.use('/tenant/:tid', tenantRouter().routes());
    app.use(root.routes());
    const port = await listen(t, createServer(app.callback()));
    await assertTenantsShareOneSeries((path) => send(port, path), registry);
  });
});
