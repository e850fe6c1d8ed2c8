import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { renderProtobuf } from '../../../src/exposition/protobuf.js';
import {
  Counter,
  Gauge,
  labelSet,
  type MetricFamily,
  PROTOBUF_CONTENT_TYPE,
  Registry,
} from '../../../src/index.js';
import {
  type FetchFunction,
  isPushCollectError,
  isPushError,
  isPushRequestError,
  isPushValidationError,
  PushCollectError,
  PushError,
  Pusher,
  PushRequestError,
  PushValidationError,
} from '../../../src/push/index.js';
import { backoffDelay } from '../../../src/push/request.js';
import { freePort } from '../../helpers/processes.js';
import { type Reply, stub } from '../../helpers/push-stub.js';

const ok: Reply = (res) => res.end();
const statuses =
  (...codes: number[]): Reply =>
  (res, i) => {
    res.statusCode = codes[Math.min(i, codes.length - 1)]!;
    res.end(res.statusCode === 200 ? '' : `status ${res.statusCode} from stub`);
  };

function sampleRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'jobs_total', help: 'Jobs run.', labelNames: ['kind'] as const, registry }).inc({
    kind: 'full',
  });
  new Gauge({ name: 'last_size_bytes', help: 'Size.', registry }).set(1024);
  return registry;
}

const SAMPLE_TEXT =
  '# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{kind="full"} 1\n' +
  '# HELP last_size_bytes Size.\n# TYPE last_size_bytes gauge\nlast_size_bytes 1024\n';
const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

describe('Pusher requests', () => {
  test('add POSTs the delimited protobuf exposition by default', async (t) => {
    const { base, received } = await stub(t, ok);
    const registry = sampleRegistry();
    await new Pusher({ url: base, job: 'backup' }).add(registry);
    const [r] = received;
    assert.equal(r!.method, 'POST');
    assert.equal(r!.url, '/metrics/job/backup');
    assert.equal(r!.headers['content-type'], PROTOBUF_CONTENT_TYPE);
    assert.deepEqual(new Uint8Array(r!.body), renderProtobuf(await registry.collect()));
  });

  test('add POSTs the text exposition to the group URL when asked', async (t) => {
    const { base, received } = await stub(t, ok);
    await new Pusher({ url: base, job: 'backup', groupingKey: { instance: 'db 1' }, format: 'text' }).add(
      sampleRegistry(),
    );
    assert.equal(received.length, 1);
    const [r] = received;
    assert.equal(r!.method, 'POST');
    assert.equal(r!.url, '/metrics/job/backup/instance/db%201');
    assert.equal(r!.headers['content-type'], TEXT_TYPE);
    assert.equal(r!.headers['content-encoding'], undefined);
    assert.equal(r!.body.toString(), SAMPLE_TEXT);
  });

  test('replace PUTs and delete sends DELETE without a body', async (t) => {
    const { base, received } = await stub(t, (res, i) => {
      res.statusCode = i === 0 ? 200 : 202;
      res.end();
    });
    const pusher = new Pusher({ url: `${base}/gw/`, job: 'j', format: 'text' });
    await pusher.replace(sampleRegistry());
    await pusher.delete();
    assert.deepEqual(
      received.map((r) => [r.method, r.url, r.body.length]),
      [
        ['PUT', '/gw/metrics/job/j', SAMPLE_TEXT.length],
        ['DELETE', '/gw/metrics/job/j', 0],
      ],
    );
    assert.equal(received[1]!.headers['content-type'], undefined);
  });

  test('accepts an array of families', async (t) => {
    const { base, received } = await stub(t, ok);
    const families: MetricFamily[] = [
      { name: 'up', help: '', type: 'gauge', points: [{ labels: labelSet({ a: 'x' }), value: 1 }] },
    ];
    await new Pusher({ url: base, job: 'j', format: 'text' }).add(families);
    assert.equal(received[0]!.body.toString(), '# HELP up \n# TYPE up gauge\nup{a="x"} 1\n');
  });

  test('sends extra headers and basic auth', async (t) => {
    const { base, received } = await stub(t, ok);
    await new Pusher({
      url: base,
      job: 'j',
      headers: { 'X-Tenant': 'blue', 'Content-Type': 'ignored/by-pusher' },
      basicAuth: { username: 'ops', password: 'sécret:1' },
      format: 'text',
    }).add([]);
    const h = received[0]!.headers;
    assert.equal(h['x-tenant'], 'blue');
    assert.equal(h.authorization, `Basic ${Buffer.from('ops:sécret:1').toString('base64')}`);
    assert.equal(h['content-type'], TEXT_TYPE);
  });

  test('sends a bearer token', async (t) => {
    const { base, received } = await stub(t, ok);
    await new Pusher({ url: base, job: 'j', bearerToken: 'tok.en' }).delete();
    assert.equal(received[0]!.headers.authorization, 'Bearer tok.en');
  });

  test('turns credentials in the URL into basic auth', async (t) => {
    const { base, received } = await stub(t, ok);
    await new Pusher({ url: base.replace('http://', 'http://user:p%40ss@'), job: 'j' }).delete();
    assert.equal(received[0]!.headers.authorization, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  test('gzips the body when asked', async (t) => {
    const { base, received } = await stub(t, ok);
    await new Pusher({ url: base, job: 'j', gzip: true, format: 'text' }).add(sampleRegistry());
    assert.equal(received[0]!.headers['content-encoding'], 'gzip');
    assert.equal(received[0]!.headers['content-type'], TEXT_TYPE);
    assert.equal(gunzipSync(received[0]!.body).toString(), SAMPLE_TEXT);
  });

  test('the path option adds the job and grouping key as labels to every series', async (t) => {
    const { base, received } = await stub(t, (res) => {
      res.statusCode = 204; // as VictoriaMetrics answers; any 2xx is success outside a Pushgateway group
      res.end();
    });
    const families: MetricFamily[] = [
      { name: 'up', help: '', type: 'gauge', points: [{ labels: labelSet({ zone: 'a' }), value: 1 }] },
    ];
    await new Pusher({
      url: base,
      job: 'nightly',
      groupingKey: { instance: '' },
      path: '/api/v1/import/prometheus',
    }).add(families);
    assert.equal(received[0]!.url, '/api/v1/import/prometheus');
    assert.equal(
      received[0]!.body.toString(),
      '# HELP up \n# TYPE up gauge\nup{instance="",job="nightly",zone="a"} 1\n',
    );
  });
});

describe('Pusher responses, retries and timeouts', () => {
  test('a non-2xx answer rejects with PushError carrying status, URL and body', async (t) => {
    const { base, received } = await stub(t, statuses(503));
    const pusher = new Pusher({ url: base, job: 'j' });
    const error = await pusher.add([]).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushError && isPushError(error));
    assert.equal(error.status, 503);
    assert.equal(error.url, `${base}/metrics/job/j`);
    assert.equal(error.body, 'status 503 from stub');
    assert.equal(error.message, `POST ${base}/metrics/job/j failed with HTTP 503: status 503 from stub`);
    assert.equal(received.length, 1, 'retries are off by default');
  });

  test('only 200 and 202 count as success', async (t) => {
    const { base } = await stub(t, statuses(204));
    await assert.rejects(new Pusher({ url: base, job: 'j' }).delete(), { name: 'PushError', status: 204 });
  });

  test('retries a 503 and succeeds on the next answer', async (t) => {
    const { base, received } = await stub(t, statuses(503, 200));
    await new Pusher({ url: base, job: 'j', retries: 3, retryDelayMs: 5 }).add(sampleRegistry());
    assert.equal(received.length, 2);
    assert.deepEqual(received[0]!.body, received[1]!.body);
  });

  test('retries a 429', async (t) => {
    const { base, received } = await stub(t, statuses(429, 429, 202));
    await new Pusher({ url: base, job: 'j', retries: 2, retryDelayMs: 5 }).replace([]);
    assert.equal(received.length, 3);
  });

  test('gives up after the configured retries with the last PushError', async (t) => {
    const { base, received } = await stub(t, statuses(500, 502));
    await assert.rejects(new Pusher({ url: base, job: 'j', retries: 2, retryDelayMs: 5 }).add([]), {
      name: 'PushError',
      status: 502,
    });
    assert.equal(received.length, 3);
  });

  test('does not retry a 400', async (t) => {
    const { base, received } = await stub(t, statuses(400, 200));
    await assert.rejects(new Pusher({ url: base, job: 'j', retries: 3, retryDelayMs: 5 }).add([]), {
      name: 'PushError',
      status: 400,
      body: 'status 400 from stub',
    });
    assert.equal(received.length, 1);
  });

  test('a server that never answers rejects within the timeout, with the cause', async (t) => {
    const { base } = await stub(t, () => {});
    const started = performance.now();
    const error = await new Pusher({ url: base, job: 'j', timeoutMs: 150 }).add([]).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    assert.ok(error instanceof PushRequestError && isPushRequestError(error));
    assert.equal(error.timedOut, true);
    assert.equal(error.message, `POST ${base}/metrics/job/j timed out`);
    assert.equal((error.cause as Error).name, 'TimeoutError');
    // Well below the 10 s default: the configured 150 ms applied.
    assert.ok(elapsed >= 140 && elapsed < 8000, `rejected after ${elapsed} ms`);
  });

  test('a refused connection rejects with the network error as cause', async () => {
    const port = await freePort();
    const error = await new Pusher({ url: `http://127.0.0.1:${port}`, job: 'j' }).delete().then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushRequestError);
    assert.equal(error.timedOut, false);
    const cause = error.cause as Error & { cause?: { code?: string } };
    assert.equal(cause.cause?.code, 'ECONNREFUSED');
    assert.match(
      error.message,
      new RegExp(`^DELETE http://127.0.0.1:${port}/metrics/job/j failed: .*ECONNREFUSED`),
    );
  });

  test('retries network errors', async () => {
    const port = await freePort();
    let calls = 0;
    const failing: FetchFunction = async (url, init) => {
      calls++;
      return fetch(url, init);
    };
    await assert.rejects(
      new Pusher({
        url: `http://127.0.0.1:${port}`,
        job: 'j',
        retries: 2,
        retryDelayMs: 5,
        fetch: failing,
      }).add([]),
      { name: 'PushRequestError' },
    );
    assert.equal(calls, 3);
  });

  test('backoff doubles per attempt with jitter, within the maximum', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 200; i++) {
      const d0 = backoffDelay(0, policy);
      const d2 = backoffDelay(2, policy);
      const d6 = backoffDelay(6, policy);
      assert.ok(d0 >= 50 && d0 <= 100, `attempt 0: ${d0}`);
      assert.ok(d2 >= 200 && d2 <= 400, `attempt 2: ${d2}`);
      assert.ok(d6 >= 500 && d6 <= 1000, `attempt 6: ${d6}`);
    }
  });

  test('uses a custom fetch', async () => {
    const calls: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
    const fake: FetchFunction = async (url, init) => {
      calls.push({ url, method: init.method, headers: init.headers, body: init.body });
      return { status: 202, text: async () => '' };
    };
    await new Pusher({
      url: 'http://gw.invalid:9091',
      job: 'j',
      fetch: fake,
      headers: { 'x-a': '1' },
      format: 'text',
    }).add(sampleRegistry());
    assert.deepEqual(calls, [
      {
        url: 'http://gw.invalid:9091/metrics/job/j',
        method: 'POST',
        headers: { 'x-a': '1', 'content-type': TEXT_TYPE },
        body: SAMPLE_TEXT,
      },
    ]);
  });
});

describe('Pusher refuses before sending', () => {
  const neverCalled: FetchFunction = async () => assert.fail('nothing may be sent');
  const pusher = new Pusher({
    url: 'http://gw.invalid',
    job: 'j',
    groupingKey: { instance: 'i' },
    fetch: neverCalled,
  });
  const gauge = (labels: Record<string, string>, timestampMs?: number): MetricFamily[] => [
    {
      name: 'temperature',
      help: '',
      type: 'gauge',
      points: [
        timestampMs === undefined
          ? { labels: labelSet(labels), value: 1 }
          : { labels: labelSet(labels), value: 1, timestampMs },
      ],
    },
  ];

  test('a series with a job label', async () => {
    const error = await pusher.add(gauge({ job: 'other' })).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushValidationError && isPushValidationError(error));
    assert.equal(error.metric, 'temperature');
    assert.equal(
      error.message,
      'metric "temperature": a series carries the label job="other", which the job name sets; remove the label or change the grouping key',
    );
  });

  test('a series with a grouping-key label', async () => {
    await assert.rejects(pusher.replace(gauge({ instance: 'x' })), {
      name: 'PushValidationError',
      message:
        'metric "temperature": a series carries the label instance="x", which the grouping key sets; remove the label or change the grouping key',
    });
  });

  test('a series with a timestamp', async () => {
    await assert.rejects(pusher.add(gauge({}, 1700000000000)), {
      name: 'PushValidationError',
      message:
        'metric "temperature": a series has a timestamp (1700000000000 ms); pushed metrics must not have timestamps',
    });
  });

  test('a family given twice', async () => {
    await assert.rejects(pusher.add([...gauge({}), ...gauge({ a: 'b' })]), {
      name: 'PushValidationError',
      message: 'metric "temperature": the family is given twice',
    });
  });

  test('a registry whose collector fails: nothing is pushed', async () => {
    const registry = sampleRegistry();
    registry.register({
      collect: () => {
        throw new Error('disk unreadable');
      },
    });
    const error = await pusher.add(registry).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushCollectError && isPushCollectError(error));
    assert.equal(
      error.message,
      'push to http://gw.invalid/metrics/job/j/instance/i aborted, nothing was sent: 1 collector(s) failed: disk unreadable',
    );
    assert.equal((error.cause as Error).name, 'CollectError');
  });
});
