import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CollectError,
  type Collector,
  Counter,
  DuplicateRegistrationError,
  Gauge,
  Histogram,
  isCollectError,
  isDuplicateRegistrationError,
  labelSet,
  type MetricFamily,
  REGISTRY,
  Registry,
} from '../../../src/index.js';

const fixed = (name: string, value: number): Collector => ({
  describe: () => [name],
  collect: (): MetricFamily[] => [
    { name, help: 'h', type: 'gauge', points: [{ labels: labelSet(), value }] },
  ],
});

test('metrics register in the given registry, in REGISTRY by default, nowhere with null', () => {
  const registry = new Registry();
  const a = new Counter({ name: 'reg_a_total', help: 'h', registry });
  assert.equal(registry.get('reg_a_total'), a);
  const b = new Counter({ name: 'reg_default_total', help: 'h' });
  assert.equal(REGISTRY.get('reg_default_total'), b);
  REGISTRY.unregister(b);
  assert.equal(REGISTRY.get('reg_default_total'), undefined);
  new Counter({ name: 'reg_none_total', help: 'h', registry: null });
  assert.equal(REGISTRY.get('reg_none_total'), undefined);
});

test('registering the same object twice is a no-op; another under a taken name throws with the existing one', () => {
  const registry = new Registry();
  const a = new Gauge({ name: 'dup', help: 'h', registry });
  registry.register(a);
  // Another metric object (an identical definition shares a's series instead: see redefinition.test.ts).
  const other = new Gauge({ name: 'dup', help: 'h', registry: null });
  assert.throws(
    () => registry.register(other),
    (e: unknown) =>
      e instanceof DuplicateRegistrationError && isDuplicateRegistrationError(e) && e.existing === a,
  );
});

test('refuses names whose samples would clash with a registered metric', () => {
  const registry = new Registry();
  new Histogram({ name: 'latency', help: 'h', registry });
  assert.throws(() => new Gauge({ name: 'latency_count', help: 'h', registry }), DuplicateRegistrationError);
  new Counter({ name: 'requests_total', help: 'h', registry });
  // OpenMetrics names this counter's family `requests`.
  assert.throws(() => new Gauge({ name: 'requests', help: 'h', registry }), DuplicateRegistrationError);
});

test('collect returns families sorted by name', async () => {
  const registry = new Registry();
  registry.register(fixed('b', 2));
  registry.register(fixed('a', 1));
  assert.deepEqual(
    (await registry.collect()).map((f) => f.name),
    ['a', 'b'],
  );
});

test('a failing collector does not lose the others, and every failure is reported together', async () => {
  const registry = new Registry();
  registry.register(fixed('ok_sync', 1));
  registry.register({ collect: () => Promise.resolve([]) });
  registry.register({
    collect: () => {
      throw new Error('sync boom');
    },
  });
  registry.register({ collect: () => Promise.reject(new Error('async boom')) });
  registry.register({
    collect: async (): Promise<MetricFamily[]> => [
      { name: 'ok_async', help: 'h', type: 'gauge', points: [{ labels: labelSet({ x: 'y' }), value: 2 }] },
    ],
  });
  await assert.rejects(registry.collect(), (e: unknown) => {
    assert.ok(e instanceof CollectError && isCollectError(e));
    assert.equal(e.errors.length, 2);
    assert.match(e.message, /sync boom/);
    assert.match(e.message, /async boom/);
    assert.deepEqual(
      e.families.map((f) => f.name),
      ['ok_async', 'ok_sync'],
    );
    return true;
  });
});

test('two collectors producing one family name is reported, the first copy kept', async () => {
  const registry = new Registry();
  registry.register({ collect: fixed('same', 1).collect });
  registry.register({ collect: fixed('same', 2).collect });
  await assert.rejects(registry.collect(), (e: unknown) => {
    assert.ok(e instanceof CollectError);
    assert.match(e.message, /"same"/);
    assert.equal(e.families.length, 1);
    return true;
  });
});

test('unregister and clear', async () => {
  const registry = new Registry();
  const g = new Gauge({ name: 'u', help: 'h', registry });
  assert.equal(registry.unregister(g), true);
  assert.equal(registry.unregister(g), false);
  new Gauge({ name: 'u', help: 'h', registry });
  registry.clear();
  assert.deepEqual(await registry.collect(), []);
});

test('collection accepts label names in the UTF-8 byte order labelSet() gives, astral characters included', async () => {
  const registry = new Registry();
  // U+FF5E sorts before U+1D11E by UTF-8 bytes, after it by UTF-16 code units.
  const labels = labelSet({ '𝄞': 'x', '～': 'y' });
  assert.deepEqual(labels.names, ['～', '𝄞']);
  registry.register({
    collect: () => [{ name: 'utf', help: '', type: 'gauge', points: [{ labels, value: 1 }] }],
  });
  const [family] = await registry.collect();
  assert.equal(family!.points[0]!.labels, labels);
});
