/**
 * The instrumentation decorators in legacy `experimentalDecorators` mode. Run by
 * test/unit/instrument/instrument-legacy.test.ts with this folder's tsconfig; exits non-zero on failure.
 */
import assert from 'node:assert/strict';
import {
  Counter,
  countExceptions,
  Gauge,
  Histogram,
  type InstrumentError,
  inprogress,
  isLabelError,
  Registry,
  timer,
} from '../../src/index.js';

const registry = new Registry();
const latency = new Histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['op'] as const, registry });
const running = new Gauge({ name: 'running', help: 'R.', registry });
const failures = new Counter({ name: 'failures_total', help: 'F.', labelNames: ['op'] as const, registry });

class Repository {
  readonly rows = ['a', 'b'];

  @timer(latency, { op: 'find' })
  @inprogress(running)
  @countExceptions(failures, (id: number) => ({ op: id < 0 ? 'bad-id' : 'find' }))
  async find(id: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const row = this.rows[id];
    if (row === undefined) throw new RangeError(`no row ${id}`);
    return row;
  }

  @timer(latency, { op: 'count' })
  count(): number {
    return this.rows.length;
  }
}

const repository = new Repository();
const found: Promise<string> = repository.find(1);
assert.equal(running.get(), 1);
assert.equal(await found, 'b');
await assert.rejects(repository.find(-1), RangeError);
assert.equal(repository.count(), 2);
// @ts-expect-error -- the decorated method keeps its parameter types (never called)
const wrongCall = () => repository.count(1);
assert.equal(typeof wrongCall, 'function');

assert.equal(latency.get({ op: 'find' })?.count, 2);
assert.equal(latency.get({ op: 'count' })?.count, 1);
assert.equal(running.get(), 0);
assert.equal(failures.get({ op: 'bad-id' }), 1);
assert.equal(failures.get({ op: 'find' }), undefined);
assert.equal(Repository.prototype.find.name, 'find');
// Labels that cannot be had leave every call as it is; the errors go to onError.
const reported: InstrumentError[] = [];
const onError = (error: InstrumentError) => reported.push(error);
const badLabels = () => ({ wrong: 'x' }) as unknown as { op: string };
const ownError = new SyntaxError('own failure');

class Broken {
  @timer(latency, badLabels, { onError })
  @inprogress(running, { onError })
  @countExceptions(failures, badLabels, { onError })
  async fetch(fail: boolean): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (fail) throw ownError;
    return 'fetched';
  }

  @timer(
    latency,
    () => {
      throw new Error('labels broke');
    },
    { onError },
  )
  @countExceptions(failures, badLabels, { onError })
  parse(fail: boolean): number {
    if (fail) throw ownError;
    return 7;
  }
}

const broken = new Broken();
assert.equal(await broken.fetch(false), 'fetched');
await assert.rejects(broken.fetch(true), (e) => e === ownError);
assert.equal(broken.parse(false), 7);
assert.throws(
  () => broken.parse(true),
  (e) => e === ownError,
);
// fetch: timer twice, countExceptions once (on the failure); parse: timer twice, countExceptions once.
assert.equal(reported.length, 6);
assert.equal(reported.filter((e) => isLabelError(e.cause)).length, 4);
assert.equal(latency.get({ op: 'find' })?.count, 2);
assert.equal(running.get(), 0);
assert.equal(failures.get({ op: 'bad-id' }), 1);
console.log('legacy decorators ok');
