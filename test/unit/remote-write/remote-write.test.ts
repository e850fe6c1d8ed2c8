/**
 * RemoteWriter behaviour against stub receivers on 127.0.0.1 (real fetch, real HTTP): retries
 * and backoff, Retry-After, 4xx, 415 and the 2.0 fallback, redirects, the queue bound, batch
 * limits, auth headers, secrets kept out of errors, timeouts, stop() and the self-metrics.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { Gauge, labelSet, type MetricFamily, Registry } from '../../../src/index.js';
import {
  isRemoteWriteConfigError,
  isRemoteWriteDroppedError,
  isRemoteWriteError,
  isRemoteWriteFlushError,
  isRemoteWriteRedirectError,
  isRemoteWriteRequestError,
  isRemoteWriteValidationError,
  RemoteWriter,
  type RemoteWriterOptions,
} from '../../../src/remote-write/index.js';
import { freePort, waitFor } from '../../helpers/processes.js';
import { decodeV1, decodeV2 } from '../../helpers/remote-write-decoder.js';
import { startStubReceiver, status } from '../../helpers/remote-write-receiver.js';
import { selfMetric } from '../../helpers/remote-write-self-metric.js';

const WRITTEN_ALL = {
  'x-prometheus-remote-write-samples-written': '1000',
  'x-prometheus-remote-write-histograms-written': '0',
  'x-prometheus-remote-write-exemplars-written': '0',
};

/** A registry of `n` gauges, and a separate registry for the writer's self-metrics. */
function setup(n = 1) {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'g', help: 'G.', labelNames: ['i'] as const, registry });
  for (let i = 0; i < n; i++) gauge.set({ i: String(i) }, i);
  return { registry, metrics: new Registry() };
}

/** A writer with tiny retry delays; its self-metrics go to a registry of their own unless given one. */
function writer(options: RemoteWriterOptions, errors: Error[] = []): RemoteWriter {
  return new RemoteWriter({
    retryDelayMs: 1,
    onError: (e) => errors.push(e),
    metricsRegistry: new Registry(),
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isRemoteWriteFlushError(error), String(error));
    return error.errors as Error[];
  }
  assert.fail('expected flush to reject');
}

test('5xx is retried with backoff until accepted; the self-metrics count the retries and the samples', async (t) => {
  const receiver = await startStubReceiver(t);
  receiver.script(status(500), status(503, {}, 'overloaded'));
  const { registry, metrics } = setup(3);
  const w = writer({ url: receiver.url, registry, metricsRegistry: metrics });
  await w.flush();
  assert.equal(receiver.requests.length, 3);
  assert.deepEqual(receiver.requests[2]!.body, receiver.requests[0]!.body, 'the same request is sent again');
  assert.equal(await selfMetric(metrics, 'retries_total'), 2);
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 3);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 0);
  assert.ok((await selfMetric(metrics, 'last_success_timestamp_seconds')) > Date.now() / 1000 - 60);
});

test('retries stop after maxRetries; the samples count as failed and flush rejects', async (t) => {
  const receiver = await startStubReceiver(t, status(500, {}, 'broken'));
  const { registry, metrics } = setup(2);
  const errors = await rejection(
    writer({ url: receiver.url, registry, metricsRegistry: metrics, maxRetries: 2 }).flush(),
  );
  assert.equal(receiver.requests.length, 3);
  assert.match(errors[0]!.message, /HTTP 500: broken \(gave up after 2 retries\)/);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 2);
  assert.equal(await selfMetric(metrics, 'last_success_timestamp_seconds'), 0);
});

test('400 and other 4xx are never retried', async (t) => {
  for (const code of [400, 401, 404, 413]) {
    const receiver = await startStubReceiver(t, status(code, {}, 'out of order sample'));
    const { registry, metrics } = setup(2);
    const errors = await rejection(writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush());
    assert.equal(receiver.requests.length, 1, `HTTP ${code}`);
    assert.ok(isRemoteWriteError(errors[0]) && errors[0].status === code && !errors[0].retryable);
    assert.equal(errors[0].body, 'out of order sample');
    assert.equal(await selfMetric(metrics, 'samples_failed_total'), 2);
    assert.equal(await selfMetric(metrics, 'retries_total'), 0);
  }
});

test('429 is retried no sooner than Retry-After says', async (t) => {
  const receiver = await startStubReceiver(t);
  receiver.script(status(429, { 'retry-after': '1' }));
  const { registry, metrics } = setup();
  const started = Date.now();
  await writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush();
  assert.equal(receiver.requests.length, 2);
  assert.ok(Date.now() - started >= 990, `retried after ${Date.now() - started} ms`);
  assert.equal(await selfMetric(metrics, 'retries_total'), 1);
});

test('a Retry-After longer than retryMaxDelayMs fails the request instead of retrying early', async (t) => {
  const receiver = await startStubReceiver(t);
  receiver.script(status(429, { 'retry-after': '3600' }));
  const { registry, metrics } = setup();
  const errors = await rejection(writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush());
  assert.equal(receiver.requests.length, 1);
  assert.match(errors[0]!.message, /asked to retry after 3600 s/);
});

test('network errors are retried, then reported as RemoteWriteRequestError', async () => {
  const port = await freePort();
  const { registry, metrics } = setup();
  const errors = await rejection(
    writer({
      url: `http://127.0.0.1:${port}/api/v1/write`,
      registry,
      metricsRegistry: metrics,
      maxRetries: 1,
    }).flush(),
  );
  assert.ok(isRemoteWriteRequestError(errors[0]!.cause) && !errors[0]!.cause.timedOut, String(errors[0]));
  assert.equal(await selfMetric(metrics, 'retries_total'), 1);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 1);
});

test('a receiver that does not answer in timeoutMs is a timed-out RemoteWriteRequestError', async (t) => {
  const receiver = await startStubReceiver(t, () => {
    // Never answers; the stub closes the connection when the test ends.
  });
  const { registry, metrics } = setup();
  const errors = await rejection(
    writer({ url: receiver.url, registry, metricsRegistry: metrics, timeoutMs: 100, maxRetries: 0 }).flush(),
  );
  assert.ok(isRemoteWriteRequestError(errors[0]) && errors[0].timedOut, String(errors[0]));
});

test('2.0 falls back to 1.0 on 415 and stays there', async (t) => {
  const receiver = await startStubReceiver(t);
  receiver.script(status(415, {}, 'unsupported content type'));
  const { registry, metrics } = setup();
  const w = writer({ url: receiver.url, registry, metricsRegistry: metrics, protocol: '2.0' });
  await w.flush();
  await w.flush();
  assert.equal(w.protocol, '1.0');
  assert.deepEqual(
    receiver.requests.map((r) => r.headers['x-prometheus-remote-write-version']),
    ['2.0.0', '0.1.0', '0.1.0'],
  );
  assert.deepEqual(
    decodeV1(receiver.requests[1]!.body).timeseries[0]!.samples.map((s) => s.value),
    [0],
  );
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 2);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 0);
});

test('2.0 falls back when a success lacks the -Written headers (a 1.x receiver read an empty request)', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry, metrics } = setup();
  const w = writer({ url: receiver.url, registry, metricsRegistry: metrics, protocol: '2.0' });
  await w.flush();
  assert.equal(w.protocol, '1.0');
  assert.equal(receiver.requests.length, 2);
  assert.equal(decodeV1(receiver.requests[1]!.body).timeseries.length, 1);
});

test('2.0 stays on 2.0 with a receiver that sends the -Written headers, even on 400', async (t) => {
  const receiver = await startStubReceiver(t, status(204, WRITTEN_ALL));
  receiver.script(status(400, WRITTEN_ALL, 'bad sample'));
  const { registry, metrics } = setup();
  const w = writer({ url: receiver.url, registry, metricsRegistry: metrics, protocol: '2.0' });
  await rejection(w.flush());
  await w.flush();
  assert.equal(w.protocol, '2.0');
  assert.equal(decodeV2(receiver.requests[1]!.body).timeseries.length, 1);
});

test('2.0: samples the -Written headers do not account for count as failed', async (t) => {
  const receiver = await startStubReceiver(
    t,
    status(200, {
      'x-prometheus-remote-write-samples-written': '1',
      'x-prometheus-remote-write-histograms-written': '0',
      'x-prometheus-remote-write-exemplars-written': '0',
    }),
  );
  const { registry, metrics } = setup(3);
  const errors = await rejection(
    writer({ url: receiver.url, registry, metricsRegistry: metrics, protocol: '2.0' }).flush(),
  );
  assert.match(errors[0]!.message, /wrote only 1 of them/);
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 1);
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 2);
});

test('redirects are not followed: a RemoteWriteRedirectError names the Location', async (t) => {
  const target = await startStubReceiver(t);
  const receiver = await startStubReceiver(t, status(307, { location: target.url }));
  const { registry, metrics } = setup();
  const errors = await rejection(writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush());
  assert.ok(isRemoteWriteRedirectError(errors[0]));
  assert.equal(errors[0].location, target.url);
  assert.match(errors[0].message, /HTTP 307/);
  assert.equal(target.requests.length, 0);
  assert.equal(receiver.requests.length, 1);
});

test('a full queue drops the oldest samples, counted, and sends the newest', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry, metrics } = setup(10);
  const errors = await rejection(
    writer({ url: receiver.url, registry, metricsRegistry: metrics, maxQueueSamples: 4 }).flush(),
  );
  assert.ok(isRemoteWriteDroppedError(errors[0]) && errors[0].samples === 6);
  assert.equal(await selfMetric(metrics, 'samples_dropped_total'), 6);
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 4);
  const sent = receiver.requests.flatMap((r) => decodeV1(r.body).timeseries);
  assert.equal(sent.length, 4);
});

test('while the receiver is down the queue stays bounded, and the queue gauge says how full it is', async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const receiver = await startStubReceiver(t, (_req, res) => {
    void gate.then(() => res.writeHead(204).end());
  });
  const { registry, metrics } = setup(5);
  const errors: Error[] = [];
  const w = writer(
    { url: receiver.url, registry, metricsRegistry: metrics, maxQueueSamples: 7, maxSamplesPerRequest: 5 },
    errors,
  );
  const first = w.flush().catch(() => {});
  await waitFor('the first request', async () => (receiver.requests.length === 1 ? true : undefined));
  // The first batch is in flight; two more collections of 5 exceed the bound of 7.
  const more = [w.flush().catch(() => {}), w.flush().catch(() => {})];
  await waitFor('the queue to fill', async () => (w.queueLength === 7 ? true : undefined));
  assert.equal(await selfMetric(metrics, 'queue_samples'), 7);
  release();
  await Promise.all([first, ...more]);
  assert.equal(await selfMetric(metrics, 'samples_dropped_total'), 3);
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 12);
  assert.equal(w.queueLength, 0);
});

test('batches hold at most maxSamplesPerRequest series and stay under maxRequestBytes; every series arrives once, in order', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry, metrics } = setup(25);
  await writer({ url: receiver.url, registry, metricsRegistry: metrics, maxSamplesPerRequest: 10 }).flush();
  assert.deepEqual(
    receiver.requests.map((r) => decodeV1(r.body).timeseries.length),
    [10, 10, 5],
  );
  for (const protocol of ['1.0', '2.0'] as const) {
    const small = await startStubReceiver(t, status(204, WRITTEN_ALL));
    const limit = 300;
    await writer({ url: small.url, registry, maxRequestBytes: limit, protocol }).flush();
    assert.ok(small.requests.length > 2, `${protocol}: ${small.requests.length} requests`);
    const decode = protocol === '1.0' ? decodeV1 : decodeV2;
    const values: number[] = [];
    for (const r of small.requests) {
      assert.ok(r.body.length <= limit, `${protocol}: a request of ${r.body.length} bytes`);
      for (const s of decode(r.body).timeseries) values.push(s.samples[0]!.value);
    }
    assert.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 25 }, (_, i) => i),
    );
  }
});

test('basic auth, bearer tokens, URL credentials and custom headers are sent', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry } = setup();
  const send = (options: Partial<RemoteWriterOptions>, url = receiver.url) =>
    writer({ url, registry, ...options }).flush();
  await send({ basicAuth: { username: 'ü', password: 'p:w' }, headers: { 'X-Scope-OrgID': 'tenant-1' } });
  await send({ bearerToken: 'tok3n' });
  await send({}, receiver.url.replace('http://', 'http://user:pa%40ss@'));
  const [basic, bearer, fromUrl] = receiver.requests;
  assert.equal(basic!.headers.authorization, `Basic ${Buffer.from('ü:p:w').toString('base64')}`);
  assert.equal(basic!.headers['x-scope-orgid'], 'tenant-1');
  assert.equal(bearer!.headers.authorization, 'Bearer tok3n');
  assert.equal(fromUrl!.headers.authorization, `Basic ${Buffer.from('user:pa@ss').toString('base64')}`);
});

test('bad options are RemoteWriteConfigErrors that never show a secret', () => {
  const url = 'http://127.0.0.1:1/api/v1/write';
  const cases: [Partial<RemoteWriterOptions>, RegExp][] = [
    [{ headers: { 'X-Key': 'secret\r\nInjected: 1' } }, /X-Key must be a string without CR, LF/],
    [{ bearerToken: 'secret\nX: y' }, /bearer token must be a string without CR, LF/],
    [{ headers: { 'Content-Encoding': 'gzip' } }, /Content-Encoding is set by the remote-write protocol/],
    [{ headers: { 'User-Agent': 'x' } }, /User-Agent is set by the remote-write protocol/],
    [{ headers: { 'bad header': 'secret' } }, /not a valid header name/],
    [{ basicAuth: { username: 'u', password: 'secret' }, bearerToken: 'secret' }, /only one of/],
    [{ url: 'ftp://secret@host/' }, /must be http or https/],
    [{ url: 'not a url secret' }, /not a valid URL/],
    [{ intervalMs: 0 }, /intervalMs must be a positive finite number/],
    [{ maxQueueSamples: 1.5 }, /maxQueueSamples must be a positive integer/],
    [{ protocol: '3.0' as '2.0' }, /protocol must be "1.0" or "2.0"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => new RemoteWriter({ url, metricsRegistry: null, ...options }),
      (e: unknown) => isRemoteWriteConfigError(e) && message.test(e.message) && !e.message.includes('secret'),
      message.source,
    );
  }
});

test('errors name the receiver without credentials or query, and never a header value', async (t) => {
  const receiver = await startStubReceiver(t, status(401, {}, 'unauthorized'));
  const { registry, metrics } = setup();
  const url = `${receiver.url.replace('http://', 'http://user:hunter2@')}?api_key=hunter3`;
  const w = writer({ url, registry, metricsRegistry: metrics, headers: { 'X-Api-Key': 'hunter4' } });
  const errors = await rejection(w.flush());
  const text = errors.map((e) => `${e.message} ${e.stack ?? ''}`).join('\n');
  assert.match(text, new RegExp(`to ${receiver.url.replace(/[/.]/g, '\\$&')} failed with HTTP 401`));
  assert.doesNotMatch(text, /hunter/);
  assert.doesNotMatch(w.url, /hunter/);
  assert.equal(receiver.requests[0]!.url, '/api/v1/write?api_key=hunter3', 'the query is still sent');
});

test('stop() collects once more and sends what is pending; start() sends every interval', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry, metrics } = setup();
  const slow = writer({ url: receiver.url, registry, metricsRegistry: metrics, intervalMs: 3_600_000 });
  slow.start();
  await slow.stop();
  assert.equal(receiver.requests.length, 1);
  const fast = writer({ url: receiver.url, registry, intervalMs: 20 });
  fast.start();
  fast.start();
  await waitFor('two interval sends', async () => (receiver.requests.length >= 3 ? true : undefined));
  await fast.stop();
  const count = receiver.requests.length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(receiver.requests.length, count, 'nothing is sent after stop()');
});

test('the self-metrics go to the written registry by default and are sent along', async (t) => {
  const receiver = await startStubReceiver(t);
  const registry = new Registry();
  new Gauge({ name: 'app_up', help: 'U.', registry }).set(1);
  const w = new RemoteWriter({ url: receiver.url, registry, onError: assert.fail });
  await w.flush();
  await w.flush();
  const names = (i: number) =>
    decodeV1(receiver.requests[i]!.body).timeseries.map((s) => s.labels.find(([n]) => n === '__name__')![1]);
  assert.ok(names(0).includes('aioprometheus_remote_write_samples_sent_total'));
  const sent = decodeV1(receiver.requests[1]!.body).timeseries.find((s) =>
    s.labels.some(([, v]) => v === 'aioprometheus_remote_write_samples_sent_total'),
  );
  // The second request reports what the first delivered: counts lag one send, they do not loop.
  assert.equal(sent!.samples[0]!.value, names(0).length);
});

test('1.0 refuses a family with a UTF-8 name (counted), sends the rest; 2.0 sends it', async (t) => {
  const receiver = await startStubReceiver(t, status(204, WRITTEN_ALL));
  const { registry, metrics } = setup();
  const utf8: MetricFamily = {
    name: 'my.metric',
    help: '',
    type: 'gauge',
    points: [{ labels: labelSet({ 'http.method': 'GET' }), value: 1 }],
  };
  registry.register({ collect: () => [utf8] });
  const errors = await rejection(writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush());
  assert.ok(isRemoteWriteValidationError(errors[0]) && errors[0].metric === 'my.metric');
  assert.equal(await selfMetric(metrics, 'samples_failed_total'), 1);
  assert.equal(decodeV1(receiver.requests[0]!.body).timeseries.length, 1);
  await writer({ url: receiver.url, registry, metricsRegistry: new Registry(), protocol: '2.0' }).flush();
  const v2 = decodeV2(receiver.requests[1]!.body).timeseries.map((s) => s.labels);
  assert.ok(v2.some((labels) => labels.some(([n, v]) => n === '__name__' && v === 'my.metric')));
});

test('a failing collector is reported; the other collectors are still sent', async (t) => {
  const receiver = await startStubReceiver(t);
  const { registry, metrics } = setup();
  registry.register({
    collect: () => {
      throw new Error('collector exploded');
    },
  });
  const errors = await rejection(writer({ url: receiver.url, registry, metricsRegistry: metrics }).flush());
  assert.match(errors[0]!.message, /collector exploded/);
  assert.equal(decodeV1(receiver.requests[0]!.body).timeseries.length, 1);
});

test('an onError handler that throws does not stop the writer', async (t: TestContext) => {
  const receiver = await startStubReceiver(t);
  receiver.script(status(400));
  const { registry, metrics } = setup();
  const w = new RemoteWriter({
    url: receiver.url,
    registry,
    metricsRegistry: metrics,
    onError: () => {
      throw new Error('handler bug');
    },
  });
  await rejection(w.flush());
  await w.flush();
  assert.equal(await selfMetric(metrics, 'samples_sent_total'), 1);
});
