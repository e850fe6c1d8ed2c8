import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Counter,
  countExceptions,
  Gauge,
  Histogram,
  InstrumentError,
  inprogress,
  isInstrumentError,
  Registry,
  Summary,
  timer,
} from '../../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function metrics() {
  const registry = new Registry();
  return {
    latency: new Histogram({ name: 'latency_seconds', help: 'L.', buckets: [0.01, 0.05, 1], registry }),
    routed: new Histogram({
      name: 'routed_seconds',
      help: 'R.',
      labelNames: ['route'] as const,
      buckets: [0.01, 1],
      registry,
    }),
    summary: new Summary({ name: 'summary_seconds', help: 'S.', registry }),
    running: new Gauge({ name: 'running', help: 'G.', registry }),
    runningBy: new Gauge({ name: 'running_by', help: 'G.', labelNames: ['kind'] as const, registry }),
    failures: new Counter({ name: 'failures_total', help: 'C.', registry }),
    failuresBy: new Counter({
      name: 'failures_by_total',
      help: 'C.',
      labelNames: ['kind'] as const,
      registry,
    }),
  };
}

describe('timer', () => {
  it('observes the duration of each synchronous call in seconds', () => {
    const { latency } = metrics();
    const double = timer(latency)((x: number) => x * 2);
    assert.equal(double(2), 4);
    assert.equal(double(5), 10);
    const value = latency.get();
    assert.equal(value.count, 2);
    // Under 1 s each, not under the first bucket's 10 ms: a loaded machine may pause a call that long.
    assert.equal(value.buckets[2]!.cumulativeCount, 2);
    assert.ok(value.sum >= 0 && value.sum < 2, `sum ${value.sum}`);
  });

  it('times an async call until its promise settles', async () => {
    const { latency } = metrics();
    const slow = timer(latency)(async () => {
      await sleep(60);
      return 'done';
    });
    const pending = slow();
    assert.equal(latency.get().count, 0);
    assert.equal(await pending, 'done');
    const value = latency.get();
    assert.equal(value.count, 1);
    assert.ok(value.sum >= 0.05 && value.sum < 10, `sum ${value.sum}`);
    assert.deepEqual(
      value.buckets.map((b) => b.cumulativeCount),
      [0, 0, 1, 1],
    );
  });

  it('times a throwing call and rethrows the same error', () => {
    const { latency } = metrics();
    const error = new Error('boom');
    const fail = timer(latency)(() => {
      throw error;
    });
    assert.throws(fail, (e) => e === error);
    assert.equal(latency.get().count, 1);
  });

  it('times a rejected call and rejects with the same reason', async () => {
    const { summary } = metrics();
    const reason = new Error('nope');
    const fail = timer(summary)(async () => {
      await sleep(1);
      throw reason;
    });
    await assert.rejects(fail(), (e) => e === reason);
    assert.equal(summary.get().count, 1);
  });

  it('uses static labels or labels computed from the arguments', async () => {
    const { routed } = metrics();
    const fixed = timer(routed, { route: '/fixed' })(() => 1);
    const computed = timer(routed, (route: string) => ({ route }))(async (route: string) => route.length);
    fixed();
    fixed();
    assert.equal(await computed('/a'), 2);
    assert.equal(await computed('/b'), 2);
    assert.equal(await computed('/a'), 2);
    assert.equal(routed.get({ route: '/fixed' })?.count, 2);
    assert.equal(routed.get({ route: '/a' })?.count, 2);
    assert.equal(routed.get({ route: '/b' })?.count, 1);
  });

  it('decorates a method as a standard decorator, keeping this', async () => {
    const { latency } = metrics();
    class Service {
      readonly factor = 3;
      @timer(latency)
      async scale(x: number): Promise<number> {
        await sleep(1);
        return x * this.factor;
      }
    }
    const service = new Service();
    assert.equal(await service.scale(2), 6);
    assert.equal(await service.scale(3), 9);
    assert.equal(latency.get().count, 2);
    assert.equal(Service.prototype.scale.name, 'scale');
  });

  it('refuses a metric of the wrong type with an InstrumentError', () => {
    const { failures, running } = metrics();
    assert.throws(
      () => timer(failures as never),
      (e: unknown) =>
        e instanceof InstrumentError &&
        isInstrumentError(e) &&
        e.message === 'timer: needs a histogram or summary, got a counter ("failures_total")',
    );
    assert.throws(() => countExceptions(running as never), {
      name: 'InstrumentError',
      message: 'countExceptions: needs a counter, got a gauge ("running")',
    });
    assert.throws(() => inprogress({} as never), {
      name: 'InstrumentError',
      message: 'inprogress: needs a gauge, got object',
    });
  });

  it('refuses missing labels for a labelled metric and labels for an unlabelled one', () => {
    const { routed, latency } = metrics();
    assert.throws(() => timer(routed as never), {
      name: 'InstrumentError',
      message:
        'timer: metric "routed_seconds" has labels {route}: pass a label set or a function returning one',
    });
    assert.throws(() => (timer as (...a: unknown[]) => unknown)(latency, { route: 'x' }), {
      name: 'InstrumentError',
      message: 'timer: metric "latency_seconds" has no labels, but labels were given',
    });
  });

  it('refuses to decorate something that is not a method', () => {
    const { latency } = metrics();
    const decorate = timer(latency) as unknown as (value: unknown, context: unknown) => unknown;
    assert.throws(() => decorate(undefined, { kind: 'field', name: 'x' }), {
      name: 'InstrumentError',
      message: 'timer: decorates methods only, not a field',
    });
  });
});

describe('inprogress', () => {
  it('counts running calls and returns to the previous value on every path', async () => {
    const { running } = metrics();
    running.set(5);
    let seen = -1;
    const ok = inprogress(running)(() => {
      seen = running.get();
    });
    const fails = inprogress(running)(() => {
      throw new Error('x');
    });
    const rejects = inprogress(running)(async () => {
      await sleep(5);
      throw new Error('y');
    });
    const resolves = inprogress(running)(async () => sleep(5));
    ok();
    assert.equal(seen, 6);
    assert.throws(fails);
    assert.equal(running.get(), 5);
    const both = [rejects(), resolves()];
    assert.equal(running.get(), 7);
    await assert.rejects(both[0]!);
    await both[1];
    assert.equal(running.get(), 5);
  });

  it('uses the series the label function picks', async () => {
    const { runningBy } = metrics();
    const run = inprogress(runningBy, (kind: string) => ({ kind }))(async (kind: string) => {
      await sleep(1);
      return runningBy.get({ kind });
    });
    assert.equal(await run('a'), 1);
    assert.equal(runningBy.get({ kind: 'a' }), 0);
  });
});

describe('countExceptions', () => {
  it('counts throws and rejections, not successes, and rethrows the same error', async () => {
    const { failuresBy } = metrics();
    const reason = new TypeError('bad');
    const work = countExceptions(failuresBy, (mode: string) => ({ kind: mode }))(async (mode: string) => {
      if (mode === 'reject') throw reason;
      return mode;
    });
    const syncWork = countExceptions(failuresBy, { kind: 'sync' })((fail: boolean) => {
      if (fail) throw reason;
      return 1;
    });
    assert.equal(await work('ok'), 'ok');
    await assert.rejects(work('reject'), (e) => e === reason);
    await assert.rejects(work('reject'), (e) => e === reason);
    assert.equal(syncWork(false), 1);
    assert.throws(
      () => syncWork(true),
      (e) => e === reason,
    );
    assert.equal(failuresBy.get({ kind: 'ok' }), undefined);
    assert.equal(failuresBy.get({ kind: 'reject' }), 2);
    assert.equal(failuresBy.get({ kind: 'sync' }), 1);
  });

  it('stacks with timer and inprogress on one method', async () => {
    const { failures, running, latency } = metrics();
    class Job {
      @timer(latency)
      @inprogress(running)
      @countExceptions(failures)
      async run(fail: boolean): Promise<string> {
        await sleep(1);
        if (fail) throw new Error('job failed');
        return 'ok';
      }
    }
    const job = new Job();
    assert.equal(await job.run(false), 'ok');
    await assert.rejects(job.run(true), { message: 'job failed' });
    assert.equal(latency.get().count, 2);
    assert.equal(running.get(), 0);
    assert.equal(failures.get(), 1);
  });
});
