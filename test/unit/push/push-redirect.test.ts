import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Gauge, Registry } from '../../../src/index.js';
import { type FetchFunction, isPushError, PushError, Pusher } from '../../../src/push/index.js';
import { stub } from '../../helpers/push-stub.js';

function registry(): Registry {
  const r = new Registry();
  new Gauge({ name: 'last_size_bytes', help: 'Size.', registry: r }).set(1024);
  return r;
}

async function rejection(promise: Promise<unknown>): Promise<PushError> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PushError && isPushError(error), String(error));
  return error;
}

describe('Pusher never follows redirects', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    for (const format of ['protobuf', 'text'] as const) {
      test(`${status} (${format} body) is a PushError naming the Location; the landing page is never asked`, async (t) => {
        const { base, received } = await stub(t, (res, i) => {
          if (i === 0) {
            res.writeHead(status, { location: '/landing' });
            res.end('moved');
          } else {
            res.end('a landing page that answers 200');
          }
        });
        const pusher = new Pusher({ url: base, job: 'j', format, retries: 2, retryDelayMs: 1 });
        const error = await rejection(pusher.add(registry()));
        assert.equal(error.status, status);
        assert.equal(error.location, `${base}/landing`);
        assert.equal(error.body, 'moved');
        assert.equal(
          error.message,
          `POST ${base}/metrics/job/j failed with HTTP ${status}: a redirect to ${base}/landing; redirects are not followed, set the Pusher's url to the final address`,
        );
        assert.deepEqual(
          received.map((r) => [r.method, r.url]),
          [['POST', '/metrics/job/j']],
        );
      });
    }
  }

  test('a cross-origin 307 sends nothing to the other host, neither body nor headers', async (t) => {
    const other = await stub(t, (res) => res.end());
    const { base, received } = await stub(t, (res) => {
      res.writeHead(307, { location: `${other.base}/metrics/job/j` });
      res.end();
    });
    const pusher = new Pusher({ url: base, job: 'j', headers: { 'X-Api-Key': 'k-123' } });
    const error = await rejection(pusher.replace(registry()));
    assert.equal(error.status, 307);
    assert.equal(error.location, `${other.base}/metrics/job/j`);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.headers['x-api-key'], 'k-123');
    assert.deepEqual(other.received, [], 'the redirect target received a request');
  });

  test('the Location is reported without credentials or query', async (t) => {
    const { base } = await stub(t, (res) => {
      res.writeHead(302, { location: 'https://admin:hunter2@login.example/sso?token=abc#frag' });
      res.end();
    });
    const error = await rejection(new Pusher({ url: base, job: 'j' }).delete());
    assert.equal(error.location, 'https://***@login.example/sso?…#…');
    for (const secret of ['admin', 'hunter2', 'token', 'abc', 'frag']) {
      assert.ok(!error.message.includes(secret), `${secret} in ${error.message}`);
      assert.ok(!error.location.includes(secret));
    }
  });

  test('a Location that does not parse is quoted without what looks like credentials', async (t) => {
    const { base } = await stub(t, (res) => {
      res.writeHead(301, { location: 'http://u:pa ss@[bad/x?y' });
      res.end();
    });
    const error = await rejection(new Pusher({ url: base, job: 'j' }).delete());
    assert.equal(error.location, '"http://***@[bad/x?…"');
  });

  test('a redirect without a Location says so', async (t) => {
    const { base } = await stub(t, (res) => {
      res.statusCode = 302;
      res.end();
    });
    const error = await rejection(new Pusher({ url: base, job: 'j' }).delete());
    assert.equal(error.location, undefined);
    assert.match(error.message, /HTTP 302: a redirect without a Location header; redirects are not followed/);
  });

  test("fetch is told redirect: 'manual', and a fetch that followed one anyway is refused", async () => {
    const inits: unknown[] = [];
    const following: FetchFunction = async (_url, init) => {
      inits.push(init.redirect);
      return { status: 200, redirected: true, text: async () => 'landing page' };
    };
    const error = await rejection(
      new Pusher({ url: 'http://gw.invalid', job: 'j', fetch: following }).add([]),
    );
    assert.deepEqual(inits, ['manual']);
    assert.equal(error.status, 200);
    assert.match(
      error.message,
      /the fetch function followed a redirect although it was given redirect: 'manual'/,
    );
  });
});
