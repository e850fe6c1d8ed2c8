/**
 * The instrumentation decorators in legacy `experimentalDecorators` mode. Run by
 * test/unit/instrument-legacy.test.ts with this folder's tsconfig; exits non-zero on failure.
 */
import assert from 'node:assert/strict';
import { Counter, countExceptions, Gauge, Histogram, inprogress, Registry, timer } from '../../src/index.js';

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
console.log('legacy decorators ok');
