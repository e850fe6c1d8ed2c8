/**
 * The compat layer finds series it has seen without building a record: these cases make sure the
 * quick lookup gives exactly the series the checked path gives, and never reads what the checked
 * path would refuse or ignore.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from '../../../src/compat/index.js';

function counter() {
  const registry = new Registry();
  const c = new Counter({ name: 'req', help: 'R.', labelNames: ['method', 'code'], registers: [registry] });
  return { c, registry };
}

async function values(c: Counter<'method' | 'code'>) {
  return (await c.get()).values.map((v) => [JSON.stringify(v.labels), v.value]);
}

test('objects, positional values and numbers reach one series', async () => {
  const { c } = counter();
  c.inc({ method: 'GET', code: '200' });
  c.inc({ code: '200', method: 'GET' }, 2);
  c.labels('GET', '200').inc(3);
  c.inc({ method: 'GET', code: 200 }, 4);
  assert.deepEqual(await values(c), [['{"method":"GET","code":"200"}', 10]]);
});

test('a partial label set is its own series, found again', async () => {
  const { c } = counter();
  c.inc({ method: 'GET' });
  c.inc({ method: 'GET' });
  c.labels('GET').inc();
  c.inc({ method: 'GET', code: '200' });
  assert.deepEqual(await values(c), [
    ['{"method":"GET"}', 3],
    ['{"method":"GET","code":"200"}', 1],
  ]);
});

test('an inherited property never fills a label, and an unknown key is still refused after a hit', async () => {
  const { c } = counter();
  c.inc({ method: 'GET', code: '200' });
  const proto = { code: '200' };
  const inherits = Object.create(proto) as { method: string; code: string };
  inherits.method = 'GET';
  c.inc(inherits);
  assert.deepEqual(await values(c), [
    ['{"method":"GET","code":"200"}', 1],
    ['{"method":"GET"}', 1],
  ]);
  assert.throws(
    () => c.inc({ method: 'GET', code: '200', path: '/' } as never),
    (e: Error) => e.name === 'LabelError' && /path/.test(e.message),
  );
});

test('remove and reset forget the series, which comes back from zero', async () => {
  const { c } = counter();
  c.inc({ method: 'GET', code: '200' }, 5);
  c.remove({ method: 'GET', code: '200' });
  c.inc({ method: 'GET', code: '200' });
  assert.deepEqual(await values(c), [['{"method":"GET","code":"200"}', 1]]);
  c.reset();
  c.labels('GET', '200').inc(2);
  assert.deepEqual(await values(c), [['{"method":"GET","code":"200"}', 2]]);
});
