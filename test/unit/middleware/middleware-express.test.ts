import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Registry } from '../../../src/index.js';
import { expressMetrics } from '../../../src/middleware/express.js';
import { HttpInstrumentation } from '../../../src/middleware/index.js';
import { listen, send, settled } from '../../helpers/http-client.js';
import {
  assertServedMetrics,
  assertTenantsShareOneSeries,
  exercise,
  type ScenarioOptions,
  sortedSamples,
} from '../../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A RegExp mount has no template to write, so its routes count under the unmatched route.
const scenario: ScenarioOptions = { errorBodies: true, versionRoute: '<unmatched>' };

function tenantRouter() {
  const tenant = express.Router({ mergeParams: true });
  tenant.get('/items/:id', (req, res) => {
    res.send(`tenant ${(req.params as Record<string, string>).tid} item ${req.params.id}`);
  });
  return tenant;
}

function buildApp(registry: Registry) {
  const metrics = expressMetrics({ registry });
  const app = express();
  app.use(metrics);
  app.use(expressMetrics({ registry }));
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  app.get('/async-fail', async () => {
    await sleep(1);
    throw new Error('rejected');
  });
  app.get('/sync-fail', () => {
    throw new Error('thrown');
  });
  app.get('/unhandled-fail', () => {
    throw new Error('unhandled');
  });
  app.get('/stream', async (_req, res) => {
    res.write('a');
    await sleep(120);
    res.end('b');
  });
  app.get('/hang', (_req, res) => {
    res.writeHead(200);
    res.write('partial');
  });
  const api = express.Router();
  api.post('/items/:id', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  api.get('/fail/:id', () => {
    throw new Error('sub-router');
  });
  app.use('/api', api);
  app.use('/tenant/:tid', tenantRouter());
  const versioned = express.Router();
  versioned.get('/status', (_req, res) => {
    res.send('ok');
  });
  app.use(/^\/v\d+/, versioned);
  app.use(metrics.errors);
  // The app's own error handler takes every error but one, which goes on to Express's default.
  app.use((error: Error, _req: Request, res: Response, next: NextFunction) => {
    if (error.message === 'unhandled') next(error);
    else res.status(500).send(`handled: ${error.message}`);
  });
  return app;
}

describe('expressMetrics', () => {
  it('counts requests by route template, errors, mounts, streams and disconnects, and serves /metrics', async (t) => {
    const registry = new Registry();
    buildApp(registry);
    const port = await listen(t, createServer(buildApp(registry)));
    await exercise((path, init) => send(port, path, init), scenario);
    await assertServedMetrics(port, registry, scenario);
  });

  it('labels 1,000 tenants of a parameterised mount with one route template', async (t) => {
    const registry = new Registry();
    const app = express();
    app.use(expressMetrics({ registry }));
    app.use('/tenant/:tid', tenantRouter());
    const port = await listen(t, createServer(app));
    await assertTenantsShareOneSeries((path) => send(port, path), registry);
  });

  it('builds templates through nested routers, sub-apps and path lists, and forgets routes that pass on', async (t) => {
    const registry = new Registry();
    const app = express();
    app.use(expressMetrics({ registry }));
    const inner = express.Router();
    inner.get('/leaf/:leaf', (_req, res) => {
      res.send('leaf');
    });
    const outer = express.Router();
    outer.use('/inner/:i', inner);
    app.use('/outer/:o', outer);
    const sub = express();
    const subRouter = express.Router();
    subRouter.get('/deep/:d', (_req, res) => {
      res.send('deep');
    });
    sub.use('/nested/:n', subRouter);
    sub.get('/own/:x', (_req, res) => {
      res.send('own');
    });
    app.use('/sub/:s', sub);
    app.use(
      ['/one', '/two/:t'],
      express.Router().get('/end', (_req, res) => res.send('end')),
    );
    app.get('/passes/:p', (_req, _res, next) => next());
    const port = await listen(t, createServer(app));
    for (const path of [
      '/outer/1/inner/2/leaf/3',
      '/sub/a/own/b',
      '/sub/c/nested/d/deep/e',
      '/one/end',
      '/two/x/end',
      '/passes/9',
    ]) {
      await send(port, path);
    }
    const { metrics } = new HttpInstrumentation({ registry });
    await settled(metrics.inFlight);
    const routes = sortedSamples((await send(port, '/metrics')).body, 'http_requests_total').map((line) =>
      line.replace(/^http_requests_total\{method="GET",route="(.*)",status="(\d+)"\} 1$/, '$1 $2'),
    );
    assert.deepEqual(routes, [
      '/one/end 200',
      '/outer/:o/inner/:i/leaf/:leaf 200',
      '/sub/:s/nested/:n/deep/:d 200',
      '/sub/:s/own/:x 200',
      '/two/:t/end 200',
      '<unmatched> 404',
    ]);
  });
});
