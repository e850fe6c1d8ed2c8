import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isMetricDefinitionError, Registry } from '../../../src/index.js';
import { fastifyMetrics } from '../../../src/middleware/fastify.js';
import { send } from '../../helpers/http-client.js';
import {
  assertServedMetrics,
  assertTenantsShareOneSeries,
  exercise,
  type ScenarioOptions,
} from '../../helpers/middleware-scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scenario: ScenarioOptions = { errorBodies: true, versionRoute: '/:version(^v\\d+$)/status' };

async function tenantPlugin(tenant: FastifyInstance) {
  tenant.get('/items/:id', async (request) => {
    const { tid, id } = request.params as { tid: string; id: string };
    return `tenant ${tid} item ${id}`;
  });
}

async function buildApp(registry: Registry) {
  const app = Fastify();
  await app.register(fastifyMetrics, { registry });
  await app.register(fastifyMetrics, { registry });
  // The app's own error handler takes every error but one, which goes on to Fastify's default.
  app.setErrorHandler((error: Error, _request, reply) => {
    if (error.message === 'unhandled') throw error;
    void reply.status(500).send(`handled: ${error.message}`);
  });
  app.get('/users/:id', async (request) => `user ${(request.params as { id: string }).id}`);
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
  app.get('/stream', (_request, reply) => {
    const body = new PassThrough();
    body.write('a');
    setTimeout(() => body.end('b'), 120);
    return reply.type('text/plain').send(body);
  });
  app.get('/hang', (_request, reply) => {
    const body = new PassThrough();
    body.write('partial');
    return reply.send(body);
  });
  await app.register(
    async (api) => {
      api.post('/items/:id', async (_request, reply) => reply.status(201).send({ ok: true }));
      api.get('/fail/:id', async () => {
        throw new Error('sub-router');
      });
    },
    { prefix: '/api' },
  );
  await app.register(tenantPlugin, { prefix: '/tenant/:tid' });
  await app.register(
    async (versioned) => {
      versioned.get('/status', async () => 'ok');
    },
    { prefix: '/:version(^v\\d+$)' },
  );
  return app;
}

describe('fastifyMetrics', () => {
  it('counts requests by route template, errors, streams and disconnects, and serves /metrics', async (t) => {
    const registry = new Registry();
    await (await buildApp(registry)).close();
    const app = await buildApp(registry);
    t.after(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    await exercise((path, init) => send(port, path, init), scenario);
    await assertServedMetrics(port, registry, scenario);
  });

  it('labels 1,000 tenants of a parameterised prefix with one route template', async (t) => {
    const registry = new Registry();
    const app = Fastify();
    t.after(() => app.close());
    await app.register(fastifyMetrics, { registry });
    await app.register(tenantPlugin, { prefix: '/tenant/:tid' });
    await assertTenantsShareOneSeries(async (path) => {
      const response = await app.inject(path);
      return { status: response.statusCode, body: response.body };
    }, registry);
  });

  it('rejects register() with the typed error for bad buckets, and a corrected retry works', async () => {
    const registry = new Registry();
    const app = Fastify();
    let caught: unknown;
    try {
      await app.register(fastifyMetrics, { registry, buckets: [2, 1] });
    } catch (error) {
      caught = error;
    }
    assert.ok(isMetricDefinitionError(caught), `got ${String(caught)}`);
    assert.match((caught as Error).message, /^metric "http_request_duration_seconds": /);
    await app.close().catch(() => {});
    assert.deepEqual(await registry.collect(), [], 'nothing half-registered');

    const retry = Fastify();
    await retry.register(fastifyMetrics, { registry, buckets: [1, 2] });
    await retry.ready();
    assert.equal((await retry.inject('/metrics')).statusCode, 200);
    await retry.close();
  });

  it('rejects ready() for the option prefix, naming metricPrefix, and for unknown keys', async () => {
    const app = Fastify();
    void app.register(fastifyMetrics, { registry: new Registry(), prefix: '/v1' } as never);
    await assert.rejects(
      async () => {
        await app.ready();
      },
      {
        name: 'HttpMetricsOptionError',
        message:
          'HTTP metrics option "prefix": is not an option: a URL prefix does not apply to these metrics, and a prefix of the metric names is "metricPrefix"',
      },
    );
    const other = Fastify();
    await assert.rejects(
      async () => {
        await other.register(fastifyMetrics, { registry: new Registry(), bukets: [1] } as never);
      },
      {
        name: 'HttpMetricsOptionError',
        option: 'bukets',
      },
    );
    const named = Fastify();
    const registry = new Registry();
    await named.register(fastifyMetrics, { registry, metricPrefix: 'api_' });
    await named.inject('/x');
    assert.match(
      (await named.inject('/metrics')).body,
      /^api_http_requests_total\{method="GET",route="<unmatched>",status="404"\} 1$/m,
    );
    await named.close();
  });
});
