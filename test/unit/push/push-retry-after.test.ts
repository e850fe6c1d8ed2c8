import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Gauge, Registry } from '../../../src/index.js';
import {
  type FetchFunction,
  isPushCollectError,
  isPushError,
  isPushRequestError,
  PushCollectError,
  PushError,
  Pusher,
} from '../../../src/push/index.js';
import { type Clock, type PushRequest, sendWithRetries } from '../../../src/push/request.js';
import { retryAfterMs } from '../../../src/push/retry-after.js';
import { stub } from '../../helpers/push-stub.js';

const EPOCH = Date.UTC(2026, 11, 1, 20, 0, 0);

/** A clock whose sleeps return at once and move it on, so waits are checked without waiting. */
function fakeClock(): Clock & { slept: number[] } {
  let now = EPOCH;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

interface Answer {
  readonly status: number;
  readonly retryAfter?: string;
}

/** A fetch that gives `answers` in turn and counts its calls. */
function scripted(...answers: Answer[]): FetchFunction & { calls: number } {
  const fn = Object.assign(
    async () => {
      const answer = answers[Math.min(fn.calls, answers.length - 1)]!;
      fn.calls++;
      const headers = new Headers(
        answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter },
      );
      return { status: answer.status, headers, text: async () => `status ${answer.status}` };
    },
    { calls: 0 },
  );
  return fn;
}

const request: PushRequest = {
  method: 'POST',
  url: 'http://gw.invalid/metrics/job/j',
  headers: {},
  success: (status) => status === 200,
  secrets: [],
};
const policy = (retries: number) => ({ retries, baseDelayMs: 100, maxDelayMs: 1000 });

async function send(
  fetchFn: FetchFunction,
  clock: Clock,
  retries: number,
  timeoutMs = 60_000,
): Promise<void> {
  await sendWithRetries(
    request,
    fetchFn,
    { endsAt: clock.now() + timeoutMs, timeoutMs },
    policy(retries),
    clock,
  );
}

describe('Retry-After header', () => {
  test('reads seconds and HTTP-dates; anything else is not a Retry-After', () => {
    assert.equal(retryAfterMs('7', EPOCH), 7000);
    assert.equal(retryAfterMs(' 0 ', EPOCH), 0);
    assert.equal(retryAfterMs(new Date(EPOCH + 30_000).toUTCString(), EPOCH), 30_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 19:59:00 GMT', EPOCH), 0, 'a past date asks for no wait');
    assert.equal(retryAfterMs('Tuesday, 01-Dec-26 20:00:05 GMT', EPOCH), 5000);
    for (const bad of ['1.5', '-1', '', 'soon', '1e3', '2026-12-01', null, undefined]) {
      assert.equal(retryAfterMs(bad, EPOCH), undefined, String(bad));
    }
  });
});

describe('Pusher retries honour Retry-After within the timeout', () => {
  test('a 503 with Retry-After in seconds waits that long, even past retryMaxDelayMs', async () => {
    const clock = fakeClock();
    const fetchFn = scripted({ status: 503, retryAfter: '7' }, { status: 200 });
    await send(fetchFn, clock, 2);
    assert.deepEqual(clock.slept, [7000]);
    assert.equal(fetchFn.calls, 2);
  });

  test('a 429 with an HTTP-date waits until that date', async () => {
    const clock = fakeClock();
    const fetchFn = scripted(
      { status: 429, retryAfter: new Date(EPOCH + 30_000).toUTCString() },
      { status: 200 },
    );
    await send(fetchFn, clock, 1);
    assert.deepEqual(clock.slept, [30_000]);
  });

  test('a wait longer than what is left of the timeout fails at once, saying so', async () => {
    const clock = fakeClock();
    const fetchFn = scripted({ status: 503, retryAfter: '120' }, { status: 200 });
    const error = await send(fetchFn, clock, 3, 60_000).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushError);
    assert.equal(error.status, 503);
    assert.equal(
      error.message,
      'POST http://gw.invalid/metrics/job/j failed with HTTP 503: status 503; not retried: the gateway asked to retry after 120 s (Retry-After), more than the 60 s left of the 60000 ms timeout',
    );
    assert.deepEqual(clock.slept, []);
    assert.equal(fetchFn.calls, 1);
  });

  test('without retries left the answer is the error, with no wait', async () => {
    const clock = fakeClock();
    await assert.rejects(send(scripted({ status: 503, retryAfter: '1' }), clock, 0), {
      name: 'PushError',
      message: 'POST http://gw.invalid/metrics/job/j failed with HTTP 503: status 503',
    });
    assert.deepEqual(clock.slept, []);
  });

  test('Retry-After on other statuses, or one that does not parse, leaves the backoff', async () => {
    for (const answer of [
      { status: 500, retryAfter: '30' },
      { status: 503, retryAfter: 'soon' },
    ]) {
      const clock = fakeClock();
      await send(scripted(answer, { status: 200 }), clock, 1);
      assert.equal(clock.slept.length, 1);
      assert.ok(clock.slept[0]! >= 50 && clock.slept[0]! <= 100, `slept ${clock.slept[0]}`);
    }
  });

  test('a backoff that would outlast the timeout fails at once with the last answer', async () => {
    const clock = fakeClock();
    const fetchFn = scripted({ status: 502 });
    await assert.rejects(send(fetchFn, clock, 5, 40), { name: 'PushError', status: 502 });
    assert.deepEqual(clock.slept, []);
    assert.equal(fetchFn.calls, 1);
  });

  test('against a server: Retry-After: 1 delays the retry by a second', async (t) => {
    const { base, received } = await stub(t, (res, i) => {
      if (i === 0) res.writeHead(503, { 'retry-after': '1' });
      res.end();
    });
    await new Pusher({ url: base, job: 'j', retries: 1, retryDelayMs: 1 }).add([]);
    assert.equal(received.length, 2);
    const gap = received[1]!.at - received[0]!.at;
    assert.ok(gap >= 950, `the retry came ${gap} ms after the 503`);
  });

  test('against a server: a Retry-After beyond the timeout rejects without waiting for it', async (t) => {
    const { base, received } = await stub(t, (res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end('slow down');
    });
    const started = performance.now();
    await assert.rejects(new Pusher({ url: base, job: 'j', retries: 3, timeoutMs: 5000 }).add([]), {
      name: 'PushError',
      status: 429,
      message:
        /failed with HTTP 429: slow down; not retried: the gateway asked to retry after 3600 s \(Retry-After\), more than the [\d.]+ s left of the 5000 ms timeout$/,
    });
    assert.equal(received.length, 1);
    assert.ok(performance.now() - started < 4000, 'it waited');
  });
});

describe('Pusher timeout covers the whole call', () => {
  test('a collector that never settles makes the push reject with a timeout, nothing sent', {
    timeout: 20_000,
  }, async (t) => {
    const { base, received } = await stub(t, (res) => res.end());
    const registry = new Registry();
    new Gauge({ name: 'g', help: '', registry }).set(1);
    registry.register({ collect: () => new Promise(() => {}) });
    const error = await new Pusher({ url: base, job: 'j', timeoutMs: 200 }).add(registry).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PushCollectError && isPushCollectError(error), String(error));
    assert.equal(error.timedOut, true);
    assert.equal(
      error.message,
      `push to ${base}/metrics/job/j aborted, nothing was sent: the collection did not finish within the 200 ms timeout`,
    );
    assert.equal((error.cause as Error).name, 'TimeoutError');
    assert.deepEqual(received, []);
  });

  test('a failing collector is not a timeout', async () => {
    const registry = new Registry();
    registry.register({
      collect: () => {
        throw new Error('disk unreadable');
      },
    });
    await assert.rejects(new Pusher({ url: 'http://gw.invalid', job: 'j' }).add(registry), {
      name: 'PushCollectError',
      timedOut: false,
    });
  });

  test('retries stop when the timeout runs out', { timeout: 20_000 }, async (t) => {
    const { base, received } = await stub(t, (res) => {
      res.statusCode = 503;
      res.end();
    });
    const started = performance.now();
    const error = await new Pusher({ url: base, job: 'j', retries: 1000, retryDelayMs: 20, timeoutMs: 500 })
      .add([])
      .then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
    // The last attempt may itself be cut off by the timeout on a busy machine.
    assert.ok(
      (isPushError(error) && error.status === 503) || (isPushRequestError(error) && error.timedOut),
      String(error),
    );
    const elapsed = performance.now() - started;
    assert.ok(received.length >= 1 && received.length < 1000, `${received.length} attempts`);
    assert.ok(elapsed < 5000, `settled after ${elapsed} ms`);
  });
});
