import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { Registry } from '../../../src/index.js';
import { expressMetrics } from '../../../src/middleware/express.js';
import { honoMetrics } from '../../../src/middleware/hono.js';
import {
  HttpInstrumentation,
  HttpMetricsOptionError,
  instrumentHttp,
  isHttpMetricsOptionError,
} from '../../../src/middleware/index.js';
import { koaMetrics } from '../../../src/middleware/koa.js';
import {
  abandonAfter,
  abandonAfterHeaders,
  listen,
  samples,
  send,
  settled,
} from '../../helpers/http-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function app(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = HttpInstrumentation.pathOf(req.url);
  if (path.startsWith('/users/')) {
    res.end('user');
  } else if (path === '/boom') {
    await sleep(1);
    throw new Error('boom');
  } else if (path === '/stream') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('a');
    await sleep(120);
    res.end('b');
  } else if (path === '/hang') {
    res.writeHead(200);
    res.write('partial');
  } else if (path === '/slow') {
    await sleep(300);
    if (!res.destroyed) res.end('late');
  } else {
    res.statusCode = 404;
    res.end('not found');
  }
}

const route = (req: IncomingMessage) => (req.url?.startsWith('/users/') ? '/users/:id' : undefined);

describe('instrumentHttp', () => {
  it('counts, times and labels requests by route template, and serves /metrics', async (t) => {
    const registry = new Registry();
    const listener = instrumentHttp(app, { registry, route, requestSize: true, responseSize: true });
    const port = await listen(
      t,
      createServer((req, res) => {
        // The application's own error handling: the rejection still reaches it.
        listener(req, res)?.catch((error: Error) => {
          res.statusCode = 500;
          res.end(error.message);
        });
      }),
    );
    assert.equal((await send(port, '/users/1')).body, 'user');
    await send(port, '/users/2?x=1', { method: 'POST', body: 'hello' });
    await send(port, '/wp-admin.php');
    await send(port, '/favicon.ico');
    assert.deepEqual(await send(port, '/boom').then((r) => [r.status, r.body]), [500, 'boom']);
    assert.equal((await send(port, '/stream')).body, 'ab');
    await send(port, '/users/3', { method: 'PROPFIND' });
    const metrics = await send(port, '/metrics');
    const core = new HttpInstrumentation({ registry, requestSize: true, responseSize: true });
    await settled(core.metrics.inFlight);

    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { requests, exceptions, duration, requestSize, responseSize } = core.metrics;
    assert.equal(requests.get({ method: 'GET', route: '/users/:id', status: '200' }), 1);
    assert.equal(requests.get({ method: 'POST', route: '/users/:id', status: '200' }), 1);
    assert.equal(requests.get({ method: 'GET', route: '<unmatched>', status: '404' }), 1);
    assert.equal(requests.get({ method: 'GET', route: '<unmatched>', status: '500' }), 1);
    assert.equal(requests.get({ method: 'other', route: '/users/:id', status: '200' }), 1);
    assert.equal(requests.get({ method: 'GET', route: '/metrics', status: '200' }), undefined);
    assert.equal(requests.snapshot().points.length, 6);
    assert.equal(exceptions.get({ method: 'GET', route: '<unmatched>' }), 1);
    const streamed = duration.get({ method: 'GET', route: '<unmatched>', status: '200' });
    assert.equal(streamed?.count, 1);
    assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
    assert.equal(requestSize?.get({ method: 'POST', route: '/users/:id' })?.sum, 5);
    assert.equal(requestSize?.get({ method: 'GET', route: '/users/:id' })?.sum, 0);
    assert.equal(responseSize?.get({ method: 'GET', route: '/users/:id', status: '200' })?.sum, 4);
    assert.equal(responseSize?.get({ method: 'GET', route: '<unmatched>', status: '200' })?.sum, 2);
  });

  it('counts a client that disconnects mid-response once, and in-flight returns to 0', async (t) => {
    const registry = new Registry();
    const port = await listen(t, createServer(instrumentHttp(app, { registry })));
    const { metrics } = new HttpInstrumentation({ registry });
    assert.equal(await abandonAfterHeaders(port, '/hang'), 200);
    await abandonAfter(port, '/slow', 50);
    await settled(metrics.inFlight);
    await sleep(350);
    assert.equal(metrics.requests.get({ method: 'GET', route: '<unmatched>', status: '200' }), 1);
    assert.equal(metrics.requests.get({ method: 'GET', route: '<unmatched>', status: '499' }), 1);
    assert.equal(metrics.requests.snapshot().points.length, 2);
    assert.equal(metrics.inFlight.get({ method: 'GET' }), 0);
  });

  it('counts a request once when wrapped twice, and shares metrics between installs', async (t) => {
    const registry = new Registry();
    const options = { registry, groupStatusCodes: true };
    const port = await listen(
      t,
      createServer(instrumentHttp(instrumentHttp(app, { ...options, route }), { ...options, route })),
    );
    await send(port, '/users/1');
    await send(port, '/users/2');
    const { metrics } = new HttpInstrumentation(options);
    await settled(metrics.inFlight);
    assert.equal(metrics.requests.get({ method: 'GET', route: '/users/:id', status: '2xx' }), 2);
    assert.equal(metrics.duration.get({ method: 'GET', route: '/users/:id', status: '2xx' })?.count, 2);
  });

  it('counts a synchronous throw and rethrows it', () => {
    const registry = new Registry();
    const error = new Error('sync');
    const listener = instrumentHttp(
      () => {
        throw error;
      },
      { registry },
    );
    const req = { method: 'GET', url: '/x', headers: {} } as IncomingMessage;
    const res = { on: () => res } as unknown as ServerResponse;
    assert.throws(
      () => listener(req, res),
      (e) => e === error,
    );
    const { metrics } = new HttpInstrumentation({ registry });
    assert.equal(metrics.exceptions.get({ method: 'GET', route: '<unmatched>' }), 1);
    assert.equal(metrics.inFlight.get({ method: 'GET' }), 1);
  });

  it('serves the exposition with a prefix, constant labels and negotiation', async (t) => {
    const registry = new Registry();
    const options = {
      registry,
      metricPrefix: 'shop_',
      constLabels: { app: 'shop' },
      metricsPath: '/internal/metrics',
    };
    const port = await listen(t, createServer(instrumentHttp(app, options)));
    await send(port, '/users/1');
    await settled(new HttpInstrumentation(options).metrics.inFlight);
    const text = await send(port, '/internal/metrics');
    assert.deepEqual(samples(text.body, 'shop_http_requests_total'), [
      'shop_http_requests_total{app="shop",method="GET",route="<unmatched>",status="200"} 1',
    ]);
    const om = await send(port, '/internal/metrics', {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0', 'Accept-Encoding': 'identity' },
    });
    assert.match(String(om.headers['content-type']), /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(om.body.endsWith('# EOF\n'));
    const gz = await send(port, '/internal/metrics', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
  });

  it('every adapter refuses an unknown option key, naming the option meant', async () => {
    const adapters: Record<string, (options: object) => unknown> = {
      instrumentHttp: (options) => instrumentHttp(app, options),
      expressMetrics,
      koaMetrics,
      honoMetrics,
    };
    for (const [name, make] of Object.entries(adapters)) {
      const registry = new Registry();
      assert.throws(
        () => make({ registry, prefix: 'shop_' }),
        (e: unknown) =>
          e instanceof HttpMetricsOptionError &&
          isHttpMetricsOptionError(e) &&
          e.option === 'prefix' &&
          e.message.endsWith('a prefix of the metric names is "metricPrefix"'),
        name,
      );
      assert.throws(() => make({ registry, registers: [registry] }), {
        name: 'HttpMetricsOptionError',
        message: 'HTTP metrics option "registers": is not an option; did you mean "registry"?',
      });
      assert.throws(() => make({ registry, colour: 'red' }), {
        name: 'HttpMetricsOptionError',
        message:
          /^HTTP metrics option "colour": is not an option \(the options are: registry, metricPrefix, /,
      });
      assert.deepEqual(await registry.collect(), [], `${name}: nothing registered`);
    }
  });
});
