import assert from 'node:assert/strict';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Counter, Gauge, type MetricFamily, Registry } from '../../../src/index.js';
import {
  chooseEncoding,
  isServiceListenError,
  isServiceNotRunningError,
  metricsHandler,
  Service,
} from '../../../src/service/index.js';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function get(
  url: string,
  options: { method?: string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function captureWarnings(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const listener = (warning: Error): void => {
    messages.push(warning.message);
  };
  process.on('warning', listener);
  return { messages, stop: () => process.off('warning', listener) };
}

/** process.emitWarning delivers on the next tick. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const TEXT_BODY = '# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total 3\n';

async function startedService(registry = smallRegistry(), options = {}): Promise<Service> {
  const service = new Service({ registry, ...options });
  await service.start({ host: '127.0.0.1', port: 0 });
  after(() => service[Symbol.asyncDispose]());
  return service;
}

function smallRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'requests_total', help: 'Requests.', registry }).inc(3);
  return registry;
}

function bigRegistry(series: number): Registry {
  const registry = new Registry();
  const counter = new Counter({
    name: 'big_total',
    help: 'Many series.',
    labelNames: ['id', 'padding'] as const,
    registry,
  });
  for (let i = 0; i < series; i++) counter.inc({ id: String(i), padding: 'x'.repeat(40) });
  return registry;
}

describe('Service routes', () => {
  test('serves text 0.0.4 on the metrics path when the scraper sends no Accept', async () => {
    const service = await startedService();
    const reply = await get(service.metricsUrl);
    assert.equal(reply.status, 200);
    assert.equal(
      reply.headers['content-type'],
      'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
    );
    assert.equal(reply.headers['content-encoding'], undefined);
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(TEXT_BODY)));
    assert.equal(reply.body.toString(), TEXT_BODY);
  });

  test('negotiates OpenMetrics from the Accept header Prometheus 2.42 sends', async () => {
    const service = await startedService();
    const reply = await get(service.metricsUrl, {
      headers: {
        Accept:
          'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      },
    });
    assert.equal(
      reply.headers['content-type'],
      'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
    );
    assert.equal(
      reply.body.toString(),
      '# HELP requests Requests.\n# TYPE requests counter\nrequests_total 3.0\n# EOF\n',
    );
  });

  test('ignores the query string when routing', async () => {
    const service = await startedService();
    const reply = await get(`${service.metricsUrl}?name[]=requests_total`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), TEXT_BODY);
  });

  test('answers HEAD with the headers of GET and no body', async () => {
    const service = await startedService();
    const reply = await get(service.metricsUrl, { method: 'HEAD' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(TEXT_BODY)));
    assert.equal(reply.body.length, 0);
  });

  test('serves an HTML page linking to the metrics, and robots.txt', async () => {
    const registry = smallRegistry();
    const service = new Service({ registry });
    await service.start({ port: 0, metricsPath: '/custom/metrics' });
    after(() => service[Symbol.asyncDispose]());
    const root = await get(service.rootUrl);
    assert.equal(root.status, 200);
    assert.equal(root.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(root.body.toString(), /<a href="\/custom\/metrics"><code>\/custom\/metrics<\/code><\/a>/);
    assert.match(
      root.body.toString(),
      /<a href="\/custom\/metrics\?format=openmetrics">OpenMetrics 1\.0<\/a>/,
    );
    const robots = await get(`${service.baseUrl}/robots.txt`);
    assert.equal(robots.status, 200);
    assert.equal(robots.body.toString(), 'User-agent: *\nDisallow: /\n');
    assert.equal((await get(`${service.baseUrl}/custom/metrics`)).body.toString(), TEXT_BODY);
  });

  test('answers 404 for other paths', async () => {
    const service = await startedService();
    for (const path of ['/metric', '/metrics/', '/favicon.ico']) {
      const reply = await get(`${service.baseUrl}${path}`);
      assert.equal(reply.status, 404, path);
      assert.equal(reply.body.toString(), `not found: ${path}; the metrics are at /metrics\n`);
    }
  });

  test('answers 405 with Allow for methods other than GET and HEAD', async () => {
    const service = await startedService();
    for (const [path, method] of [
      ['/metrics', 'POST'],
      ['/metrics', 'DELETE'],
      ['/', 'PUT'],
      ['/robots.txt', 'POST'],
    ] as const) {
      const reply = await get(`${service.baseUrl}${path}`, { method });
      assert.equal(reply.status, 405, `${method} ${path}`);
      assert.equal(reply.headers.allow, 'GET, HEAD');
      assert.equal(reply.body.toString(), `method ${method} is not allowed; use GET, HEAD\n`);
    }
  });
});

describe('Service lifecycle', () => {
  test('URL getters throw ServiceNotRunningError before start and after stop', async () => {
    const service = new Service({ registry: new Registry() });
    for (const read of [() => service.metricsUrl, () => service.rootUrl, () => service.baseUrl]) {
      assert.throws(
        read,
        (e: unknown) => isServiceNotRunningError(e) && /await service\.start\(\)/.test(String(e)),
      );
    }
    await service.start({ port: 0 });
    assert.match(service.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal(service.rootUrl, `${service.baseUrl}/`);
    assert.equal(service.running, true);
    await service.stop();
    assert.equal(service.running, false);
    assert.throws(() => service.metricsUrl, isServiceNotRunningError);
  });

  test('defaults to 127.0.0.1 and the default registry', async () => {
    const service = new Service();
    const { REGISTRY } = await import('../../../src/registry.js');
    assert.equal(service.registry, REGISTRY);
    await service.start();
    after(() => service[Symbol.asyncDispose]());
    assert.match(service.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('rejects with ServiceListenError naming host:port when the port is taken', async () => {
    const first = await startedService();
    const port = Number(new URL(first.baseUrl).port);
    const second = new Service({ registry: new Registry() });
    await assert.rejects(second.start({ host: '127.0.0.1', port }), (e: unknown) => {
      assert.ok(isServiceListenError(e));
      assert.equal(e.code, 'EADDRINUSE');
      assert.equal(e.port, port);
      assert.match(
        e.message,
        new RegExp(`^metrics service cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
      return true;
    });
    assert.equal(second.running, false);
    await second.start({ port: 0 });
    await second.stop();
  });

  test('warns on a second start and on a stop that has nothing to stop', async () => {
    const warnings = captureWarnings();
    try {
      const service = new Service({ registry: new Registry() });
      await service.stop();
      await service.start({ port: 0 });
      const url = service.metricsUrl;
      await service.start({ port: 0 });
      assert.equal(service.metricsUrl, url);
      await service.stop();
      await service.stop();
      await tick();
      assert.deepEqual(warnings.messages, [
        'the metrics service is not running',
        'the metrics service is already running',
        'the metrics service is not running',
      ]);
    } finally {
      warnings.stop();
    }
  });

  test('rejects a metrics path without a leading slash', async () => {
    const service = new Service({ registry: new Registry() });
    await assert.rejects(
      service.start({ metricsPath: 'metrics' }),
      /metricsPath must start with "\/" \(got "metrics"\)/,
    );
  });

  test('stop() closes idle keep-alive connections at once', async () => {
    const service = new Service({ registry: smallRegistry() });
    await service.start({ port: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    after(() => agent.destroy());
    const reply = await get(service.metricsUrl, { agent });
    assert.equal(reply.headers.connection, 'keep-alive');
    const [socket] = Object.values(agent.freeSockets).flat();
    assert.ok(socket, 'the agent keeps the connection');
    // A free agent socket is unref'd: the timer keeps the event loop alive until it closes.
    const closed = new Promise<boolean>((r) => {
      const timer = setTimeout(() => r(false), 4000);
      socket.once('close', () => {
        clearTimeout(timer);
        r(true);
      });
    });
    const started = performance.now();
    await service.stop();
    // The server's keep-alive timeout is 5 s; stop() must not wait for it.
    assert.ok(performance.now() - started < 4000, `stop took ${performance.now() - started} ms`);
    assert.equal(await closed, true, 'the server closed the idle connection');
  });

  test('stop() lets an in-flight scrape finish, then closes its keep-alive connection', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'slow',
      help: 'Collected slowly.',
      registry,
      collect: () => {
        began();
        return new Promise((r) => setTimeout(r, 300)).then(() => {
          collected = true;
        });
      },
    });
    let collected = false;
    let began: () => void = () => {};
    const collecting = new Promise<void>((r) => {
      began = r;
    });
    const service = new Service({ registry });
    await service.start({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    after(() => agent.destroy());
    const scrape = get(service.metricsUrl, { agent });
    // Stop only once the scrape is in flight: on a loaded machine the request can take a while to arrive.
    await collecting;
    const started = performance.now();
    await service.stop();
    const elapsed = performance.now() - started;
    assert.equal(collected, true, 'stop() resolved before the in-flight scrape finished');
    const reply = await scrape;
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), '# HELP slow Collected slowly.\n# TYPE slow gauge\nslow 0\n');
    // It waited for the scrape, not for the 5 s stopTimeoutMs default.
    assert.ok(elapsed < 4500, `stop took ${elapsed} ms`);
  });

  test('stop() closes connections still busy after stopTimeoutMs', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'stuck',
      help: 'Collected very slowly.',
      registry,
      // Unref'd: the destroyed scrape never needs it, and it must not hold the test process.
      collect: () => {
        began();
        return new Promise((r) => setTimeout(r, 10_000).unref());
      },
    });
    let began: () => void = () => {};
    const collecting = new Promise<void>((r) => {
      began = r;
    });
    const service = new Service({ registry, stopTimeoutMs: 300 });
    await service.start({ port: 0 });
    const scrape = get(service.metricsUrl);
    await collecting;
    const started = performance.now();
    await service.stop();
    const elapsed = performance.now() - started;
    // It waited stopTimeoutMs, not the 10 s collection.
    assert.ok(elapsed >= 250 && elapsed < 8000, `stop took ${elapsed} ms`);
    await assert.rejects(scrape, /socket hang up|ECONNRESET/);
  });

  test('supports await using', async () => {
    let url: string;
    {
      await using service = new Service({ registry: smallRegistry() });
      await service.start({ port: 0 });
      url = service.metricsUrl;
      assert.equal((await get(url)).status, 200);
    }
    await assert.rejects(get(url), /ECONNREFUSED/);
  });
});

describe('Service collection errors', () => {
  function failingRegistry(): { registry: Registry; failures: { remaining: number } } {
    const registry = smallRegistry();
    const failures = { remaining: 1 };
    registry.register({
      collect(): MetricFamily[] {
        if (failures.remaining > 0) {
          failures.remaining--;
          throw new Error('database unreachable');
        }
        return [];
      },
    });
    return { registry, failures };
  }

  test('answers 500 with the reason when a collector throws, and keeps serving', async () => {
    const { registry } = failingRegistry();
    const service = await startedService(registry);
    const failed = await get(service.metricsUrl);
    assert.equal(failed.status, 500);
    assert.equal(failed.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(
      failed.body.toString(),
      'error collecting metrics: 1 collector(s) failed: database unreachable\n',
    );
    const next = await get(service.metricsUrl);
    assert.equal(next.status, 200);
    assert.equal(next.body.toString(), TEXT_BODY);
  });

  test("serves the partial exposition and an error counter with onCollectError: 'partial'", async () => {
    const { registry, failures } = failingRegistry();
    const reported: unknown[] = [];
    const service = await startedService(registry, {
      onCollectError: 'partial',
      onError: (e: unknown) => reported.push(e),
    });
    const errorsHelp =
      '# HELP aioprometheus_collect_errors_total Scrapes during which a collector failed; those scrapes served the metrics of the others.\n' +
      '# TYPE aioprometheus_collect_errors_total counter\n';
    const partial = await get(service.metricsUrl);
    assert.equal(partial.status, 200);
    assert.equal(partial.body.toString(), `${errorsHelp}aioprometheus_collect_errors_total 1\n${TEXT_BODY}`);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0]), /database unreachable/);
    const healthy = await get(service.metricsUrl);
    assert.equal(healthy.body.toString(), `${errorsHelp}aioprometheus_collect_errors_total 1\n${TEXT_BODY}`);
    failures.remaining = 1;
    const again = await get(service.metricsUrl);
    assert.equal(again.body.toString(), `${errorsHelp}aioprometheus_collect_errors_total 2\n${TEXT_BODY}`);
  });

  test('partial mode warns when no onError is given', async () => {
    const warnings = captureWarnings();
    try {
      const { registry } = failingRegistry();
      const service = await startedService(registry, { onCollectError: 'partial' });
      assert.equal((await get(service.metricsUrl)).status, 200);
      await tick();
      assert.deepEqual(warnings.messages, [
        'metrics scrape served partial data: 1 collector(s) failed: database unreachable',
      ]);
    } finally {
      warnings.stop();
    }
  });
});

describe('Accept-Encoding negotiation', () => {
  test('chooses gzip only when the header allows it', () => {
    const cases: [string | undefined, 'gzip' | 'identity'][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip', 'gzip'],
      ['GZIP', 'gzip'],
      ['x-gzip', 'gzip'],
      ['deflate, gzip;q=1.0, *;q=0.5', 'gzip'],
      ['gzip;q=0', 'identity'],
      ['gzip;q=0.0, *', 'identity'],
      ['*', 'gzip'],
      ['*;q=0', 'identity'],
      ['identity', 'identity'],
      ['br, deflate', 'identity'],
      ['gzip;q=0.5, identity', 'identity'],
      ['gzip;q=0.5, identity;q=0.5', 'gzip'],
      ['identity;q=0, gzip;q=0.1', 'gzip'],
      ['gzip;q=abc', 'identity'],
      ['gzip;q=2', 'identity'],
    ];
    for (const [header, expected] of cases) assert.equal(chooseEncoding(header), expected, String(header));
  });

  test('gzips the exposition when asked and sets Content-Encoding and Vary', async () => {
    const registry = bigRegistry(200);
    const service = await startedService(registry);
    const plain = await get(service.metricsUrl);
    const zipped = await get(service.metricsUrl, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept, Accept-Encoding');
    assert.equal(zipped.headers['content-length'], String(zipped.body.length));
    assert.ok(zipped.body.length < plain.body.length / 4);
    assert.equal(gunzipSync(zipped.body).toString(), plain.body.toString());
    assert.equal(plain.headers.vary, 'Accept, Accept-Encoding');
  });

  test('serves and gzips the binary protobuf exposition', async () => {
    const service = await startedService();
    const accept =
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,text/plain;version=0.0.4;q=0.5';
    const plain = await get(service.metricsUrl, { headers: { Accept: accept } });
    assert.equal(
      plain.headers['content-type'],
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores',
    );
    assert.equal(plain.headers['content-length'], String(plain.body.length));
    assert.ok(plain.body.includes(Buffer.from('requests_total')));
    const zipped = await get(service.metricsUrl, { headers: { Accept: accept, 'Accept-Encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
  });

  test('sends identity when gzip is refused or not offered', async () => {
    const service = await startedService();
    for (const header of ['gzip;q=0', 'identity', 'br']) {
      const reply = await get(service.metricsUrl, { headers: { 'Accept-Encoding': header } });
      assert.equal(reply.headers['content-encoding'], undefined, header);
      assert.equal(reply.body.toString(), TEXT_BODY, header);
    }
  });

  test('never compresses when compression is off', async () => {
    const service = await startedService(smallRegistry(), { compression: false });
    const reply = await get(service.metricsUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(reply.headers['content-encoding'], undefined);
    assert.equal(reply.body.toString(), TEXT_BODY);
  });
});

describe('Service under load', () => {
  test('answers concurrent scrapes, each with the full exposition', async () => {
    const registry = bigRegistry(2000);
    const service = await startedService(registry);
    const expected = (await get(service.metricsUrl)).body.toString();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        get(service.metricsUrl, { headers: i % 2 === 0 ? { 'Accept-Encoding': 'gzip' } : {} }),
      ),
    );
    for (const [i, reply] of replies.entries()) {
      assert.equal(reply.status, 200);
      const body = i % 2 === 0 ? gunzipSync(reply.body) : reply.body;
      assert.equal(body.toString(), expected);
    }
  });

  test('a client that does not read does not stall another scrape', async () => {
    const registry = bigRegistry(60_000);
    const service = await startedService(registry, { stopTimeoutMs: 200 });
    const { port } = new URL(service.baseUrl);
    const stalled = connect(Number(port), '127.0.0.1');
    stalled.on('error', () => {});
    after(() => stalled.destroy());
    stalled.pause();
    stalled.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 300));
    const reply = await get(service.metricsUrl);
    assert.equal(reply.status, 200);
    assert.ok(reply.body.length > 4_000_000, `body of ${reply.body.length} bytes`);
    assert.ok(stalled.readableLength < reply.body.length, 'the stalled client has not read the whole body');
  });
});

describe('metricsHandler', () => {
  test('serves the exposition from a plain node:http server', async () => {
    const { createServer } = await import('node:http');
    const handler = metricsHandler(smallRegistry());
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    after(() => new Promise<void>((r) => server.close(() => r())));
    const address = server.address();
    assert.ok(typeof address === 'object' && address !== null);
    const reply = await get(`http://127.0.0.1:${address.port}/anything`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.toString(), TEXT_BODY);
    const post = await get(`http://127.0.0.1:${address.port}/anything`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });
});
