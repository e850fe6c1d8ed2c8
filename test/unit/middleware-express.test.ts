import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Registry } from '../../src/index.js';
import { expressMetrics } from '../../src/middleware/express.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { abandonAfterHeaders, listen, samples, send, settled } from '../helpers/http-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  api.get('/items/:id', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  app.use('/api', api);
  app.use(metrics.errors);
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`handled: ${error.message}`);
  });
  return app;
}

describe('expressMetrics', () => {
  it('counts requests by route template, errors, streams and disconnects, and serves /metrics', async (t) => {
    const registry = new Registry();
    buildApp(registry);
    const port = await listen(t, createServer(buildApp(registry)));
    assert.equal((await send(port, '/users/1')).body, 'user 1');
    await send(port, '/users/2');
    assert.equal((await send(port, '/api/items/7')).status, 201);
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
    assert.deepEqual(samples(exposition.body, 'http_requests_total'), [
      'http_requests_total{method="GET",route="/api/items/:id",status="201"} 1',
      'http_requests_total{method="GET",route="/async-fail",status="500"} 1',
      'http_requests_total{method="GET",route="/hang",status="200"} 1',
      'http_requests_total{method="GET",route="/stream",status="200"} 1',
      'http_requests_total{method="GET",route="/sync-fail",status="500"} 1',
      'http_requests_total{method="GET",route="/users/:id",status="200"} 2',
      'http_requests_total{method="GET",route="<unmatched>",status="404"} 2',
    ]);
    assert.deepEqual(samples(exposition.body, 'http_request_exceptions_total'), [
      'http_request_exceptions_total{method="GET",route="/async-fail"} 1',
      'http_request_exceptions_total{method="GET",route="/sync-fail"} 1',
    ]);
    assert.deepEqual(samples(exposition.body, 'http_requests_in_flight'), [
      'http_requests_in_flight{method="GET"} 0',
    ]);
    const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
    assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  });
});
