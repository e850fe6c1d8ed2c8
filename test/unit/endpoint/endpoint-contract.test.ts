/**
 * One contract for every transport of the metrics endpoint: metricsHandler on node:http, the
 * Service, metricsResponse and fetchMetricsHandler on Web Requests, and the metrics routes of
 * the Express, Fastify, Koa and Hono adapters. Each case runs against each transport.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { Counter, Gauge, type MetricFamily, Registry, render } from '../../../src/index.js';
import { expressMetrics } from '../../../src/middleware/express.js';
import { fastifyMetrics } from '../../../src/middleware/fastify.js';
import { fetchMetricsHandler, metricsResponse } from '../../../src/middleware/fetch.js';
import { honoMetrics } from '../../../src/middleware/hono.js';
import { koaMetrics } from '../../../src/middleware/koa.js';
import { type MetricsHandlerOptions, metricsHandler, Service } from '../../../src/service/index.js';
import { listen } from '../../helpers/http-client.js';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

type Send = (method: string, path: string, headers?: Record<string, string>) => Promise<Reply>;

interface Transport {
  readonly name: string;
  start(t: TestContext, registry: Registry, options: MetricsHandlerOptions): Promise<Send>;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function nodeSend(port: number): Send {
  return (method, path, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flatten(res.headers),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

function fetchSend(handle: (request: Request) => Promise<Response>): Send {
  return async (method, path, headers = {}) => {
    const response = await handle(new Request(`http://metrics.test${path}`, { method, headers }));
    const out: Record<string, string | undefined> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    return { status: response.status, headers: out, body: Buffer.from(await response.arrayBuffer()) };
  };
}

const transports: readonly Transport[] = [
  {
    name: 'metricsHandler (node:http)',
    async start(t, registry, options) {
      const handler = metricsHandler(registry, options);
      return nodeSend(await listen(t, createServer(handler)));
    },
  },
  {
    name: 'Service',
    async start(t, registry, options) {
      const service = new Service({ registry, ...options });
      await service.start();
      t.after(() => service.stop());
      const port = Number(new URL(service.baseUrl).port);
      return nodeSend(port);
    },
  },
  {
    name: 'fetchMetricsHandler (fetch)',
    async start(_t, registry, options) {
      return fetchSend(fetchMetricsHandler({ ...options, registry }));
    },
  },
  {
    name: 'metricsResponse (fetch)',
    async start(_t, registry, options) {
      const shared = { ...options, registry };
      return fetchSend((request) => metricsResponse(request, shared));
    },
  },
  {
    name: 'Hono',
    async start(_t, registry, options) {
      const app = new Hono();
      app.use(honoMetrics({ registry, metricsEndpoint: options, metricPrefix: 'contract_' }));
      return fetchSend((request) => Promise.resolve(app.fetch(request)));
    },
  },
  {
    name: 'Express',
    async start(t, registry, options) {
      const app = express();
      app.use(expressMetrics({ registry, metricsEndpoint: options, metricPrefix: 'contract_' }));
      return nodeSend(await listen(t, createServer(app)));
    },
  },
  {
    name: 'Fastify',
    async start(t, registry, options) {
      const app = Fastify();
      await app.register(fastifyMetrics, { registry, metricsEndpoint: options, metricPrefix: 'contract_' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      t.after(() => app.close());
      return nodeSend((app.server.address() as AddressInfo).port);
    },
  },
  {
    name: 'Koa',
    async start(t, registry, options) {
      const app = new Koa();
      app.use(koaMetrics({ registry, metricsEndpoint: options, metricPrefix: 'contract_' }));
      return nodeSend(await listen(t, createServer(app.callback())));
    },
  },
];

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';

function sampleRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'jobs_total', help: 'Jobs.', registry }).inc(3);
  new Gauge({ name: 'queue_depth', help: 'Queue depth.', registry }).set(7);
  return registry;
}

/** A collector whose collect() waits until `open()` is called, counting its calls. */
function gatedCollector(registry: Registry, name = 'slow_value'): { calls: () => number; open: () => void } {
  let calls = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gauge = new Gauge({ name, help: 'Slow.', registry: null });
  gauge.set(1);
  registry.register({
    describe: () => [name],
    async collect(): Promise<readonly MetricFamily[]> {
      calls++;
      await gate;
      return [gauge.snapshot()];
    },
  });
  return { calls: () => calls, open: () => open() };
}

function neverCollector(registry: Registry): void {
  registry.register({ describe: () => ['never_value'], collect: () => new Promise<never>(() => {}) });
}

function failingCollector(registry: Registry): void {
  registry.register({
    describe: () => ['broken_value'],
    collect: () => {
      throw new Error('disk unreadable');
    },
  });
}

for (const transport of transports) {
  describe(`metrics endpoint contract: ${transport.name}`, () => {
    test('GET serves the exposition with Content-Type, Content-Length and no-store', async (t) => {
      const registry = sampleRegistry();
      const send = await transport.start(t, registry, {});
      const reply = await send('GET', '/metrics');
      assert.equal(reply.status, 200);
      assert.equal(reply.body.toString(), (await render(registry)).body);
      assert.equal(
        reply.headers['content-type'],
        'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
      );
      assert.equal(reply.headers['content-length'], String(reply.body.length));
      assert.equal(reply.headers['cache-control'], 'no-store');
      assert.equal(reply.headers.vary, 'Accept, Accept-Encoding');
      const om = await send('GET', '/metrics', { Accept: OPENMETRICS });
      assert.equal(om.body.toString(), (await render(registry, OPENMETRICS)).body);
    });

    test('HEAD answers the headers of GET, Content-Length included, without a body', async (t) => {
      const send = await transport.start(t, sampleRegistry(), {});
      for (const headers of [{}, { 'Accept-Encoding': 'gzip' }]) {
        const get = await send('GET', '/metrics', headers);
        const head = await send('HEAD', '/metrics', headers);
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
        assert.equal(head.headers['content-length'], String(get.body.length));
        assert.equal(head.headers['content-type'], get.headers['content-type']);
        assert.equal(head.headers['content-encoding'], get.headers['content-encoding']);
      }
    });

    test('other methods get 405 with Allow: GET, HEAD', async (t) => {
      const send = await transport.start(t, sampleRegistry(), {});
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const reply = await send(method, '/metrics');
        assert.equal(reply.status, 405, method);
        assert.equal(reply.headers.allow, 'GET, HEAD', method);
      }
    });

    test('gzips when Accept-Encoding allows, and the streamed gzip of a large exposition is whole', async (t) => {
      const registry = sampleRegistry();
      const big = new Counter({ name: 'big_total', help: 'Big.', labelNames: ['id'] as const, registry });
      for (let i = 0; i < 20_000; i++) big.inc({ id: `series-${i}` });
      const send = await transport.start(t, registry, {});
      for (const accept of [undefined, OPENMETRICS]) {
        const headers: Record<string, string> = accept === undefined ? {} : { Accept: accept };
        const expected = (await render(registry, accept)).body as string;
        const plain = await send('GET', '/metrics', headers);
        assert.equal(plain.body.toString(), expected);
        const zipped = await send('GET', '/metrics', { ...headers, 'Accept-Encoding': 'gzip' });
        assert.equal(zipped.headers['content-encoding'], 'gzip');
        assert.ok(zipped.body.length < expected.length / 4);
        assert.equal(gunzipSync(zipped.body).toString(), expected);
      }
    });

    test('a failing collector: 500 with the reason in fail mode, the others and a counter in partial mode', async (t) => {
      const failing = sampleRegistry();
      failingCollector(failing);
      const fail = await transport.start(t, failing, {});
      const failed = await fail('GET', '/metrics');
      assert.equal(failed.status, 500);
      assert.match(failed.body.toString(), /disk unreadable/);

      const reasons: unknown[] = [];
      const partialRegistry = sampleRegistry();
      failingCollector(partialRegistry);
      const partial = await transport.start(t, partialRegistry, {
        onCollectError: 'partial',
        onError: (e) => reasons.push(e),
      });
      const served = (await partial('GET', '/metrics')).body.toString();
      assert.match(served, /^aioprometheus_collect_errors_total 1$/m);
      assert.match(served, /^jobs_total 3$/m);
      assert.match(served, /^queue_depth 7$/m);
      assert.equal(reasons.length, 1);
    });

    test('a collector that never finishes: 503 by the header deadline, or partial without its families', async (t) => {
      const stuck = sampleRegistry();
      neverCollector(stuck);
      const fail = await transport.start(t, stuck, {});
      const started = performance.now();
      const failed = await fail('GET', '/metrics', { 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
      assert.equal(failed.status, 503);
      assert.match(failed.body.toString(), /never_value did not finish within the scrape deadline of 450 ms/);
      // Bounded generously for a loaded machine: the point is that it ends, near the deadline.
      assert.ok(performance.now() - started < 5000);

      const partialRegistry = sampleRegistry();
      neverCollector(partialRegistry);
      const partial = await transport.start(t, partialRegistry, {
        onCollectError: 'partial',
        onError: () => {},
      });
      const served = await partial('GET', '/metrics', { 'X-Prometheus-Scrape-Timeout-Seconds': '0.5' });
      assert.equal(served.status, 200);
      const text = served.body.toString();
      assert.match(text, /^aioprometheus_collect_errors_total 1$/m);
      assert.match(text, /^jobs_total 3$/m);
      assert.doesNotMatch(text, /never_value/);
    });

    test('without the header, scrapeTimeoutMs is the deadline; a bad header is a 400', async (t) => {
      const stuck = sampleRegistry();
      neverCollector(stuck);
      const send = await transport.start(t, stuck, { scrapeTimeoutMs: 300 });
      const reply = await send('GET', '/metrics');
      assert.equal(reply.status, 503);
      assert.match(reply.body.toString(), /within the scrape deadline of 300 ms/);
      const bad = await send('GET', '/metrics', { 'X-Prometheus-Scrape-Timeout-Seconds': 'soon' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.toString(), /X-Prometheus-Scrape-Timeout-Seconds .*"soon"/);
    });

    test('concurrent scrapes share one collection, each in its own format', async (t) => {
      const registry = sampleRegistry();
      const slow = gatedCollector(registry);
      const send = await transport.start(t, registry, {});
      const text = send('GET', '/metrics');
      const om = send('GET', '/metrics', { Accept: OPENMETRICS });
      const zipped = send('GET', '/metrics', { 'Accept-Encoding': 'gzip' });
      await waitUntil(() => slow.calls() >= 1);
      // Give the other two requests time to arrive before the collection ends.
      await new Promise((r) => setTimeout(r, 150));
      slow.open();
      const [a, b, c] = await Promise.all([text, om, zipped]);
      assert.equal(slow.calls(), 1);
      assert.match(a.body.toString(), /^slow_value 1$/m);
      assert.match(b.body.toString(), /# EOF\n$/);
      assert.equal(gunzipSync(c.body).toString(), a.body.toString());
    });

    test('maxConcurrentScrapes answers 503 above the limit and recovers', async (t) => {
      const registry = sampleRegistry();
      const slow = gatedCollector(registry);
      const send = await transport.start(t, registry, { maxConcurrentScrapes: 1 });
      const first = send('GET', '/metrics');
      await waitUntil(() => slow.calls() >= 1);
      const refused = await send('GET', '/metrics');
      assert.equal(refused.status, 503);
      assert.match(refused.body.toString(), /too many concurrent scrapes: 1 in flight, the limit is 1/);
      slow.open();
      assert.equal((await first).status, 200);
      assert.equal((await send('GET', '/metrics')).status, 200);
    });

    test('name[] selects families; oversized or too many parameters get 400', async (t) => {
      const send = await transport.start(t, sampleRegistry(), {});
      const one = (await send('GET', '/metrics?name[]=queue_depth')).body.toString();
      assert.equal(one, '# HELP queue_depth Queue depth.\n# TYPE queue_depth gauge\nqueue_depth 7\n');
      const both = (await send('GET', '/metrics?name%5B%5D=jobs&name[]=queue_depth&other=1')).body.toString();
      assert.match(both, /^jobs_total 3$/m);
      assert.match(both, /^queue_depth 7$/m);
      const none = await send('GET', '/metrics?name[]=absent');
      assert.equal(none.status, 200);
      assert.equal(none.body.length, 0);
      const long = await send('GET', `/metrics?name[]=${'a'.repeat(9000)}`);
      assert.equal(long.status, 400);
      assert.match(long.body.toString(), /longer than the limit of 8192/);
      const many = await send(
        'GET',
        `/metrics?${Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')}`,
      );
      assert.equal(many.status, 400);
      assert.match(many.body.toString(), /300 parameters, more than the limit of 256/);
      const malformed = await send('GET', '/metrics?name[]=%E0%A4%A');
      assert.equal(malformed.status, 400);
    });
  });
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const until = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > until) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('metrics endpoint core', () => {
  test('imports no node: module, so the fetch transport runs on Workers', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      // Type-only imports are erased from the output, so only value imports count.
      for (const match of source.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)) {
        const target = match[1]!;
        if (target.startsWith('node:')) offenders.push(`${file.slice(root.length)} imports ${target}`);
        else if (target.startsWith('.')) visit(resolve(dirname(file), target.replace(/\.js$/, '.ts')));
      }
    };
    visit(resolve(root, 'middleware/fetch.ts'));
    assert.ok(seen.size > 10, `followed the import graph (${seen.size} files)`);
    assert.deepEqual(offenders, []);
  });
});
