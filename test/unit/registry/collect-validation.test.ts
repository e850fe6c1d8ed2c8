/**
 * The registry checks what collectors return: an invalid family or a non-array output is a
 * CollectorOutputError inside the CollectError, names the collector and the family, and is never
 * written; the partial handler serves the rest and counts the scrape.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { renderText } from '../../../src/exposition/index.js';
import {
  type CollectError,
  type Collector,
  CollectorOutputError,
  Gauge,
  Histogram,
  isCollectError,
  isCollectorOutputError,
  labelSet,
  type MetricFamily,
  Registry,
} from '../../../src/index.js';
import { metricsHandler } from '../../../src/service/index.js';

const gaugeFamily = (name: string, value: unknown = 1): MetricFamily =>
  ({ name, help: 'h', type: 'gauge', points: [{ labels: labelSet(), value }] }) as MetricFamily;

class DatabaseCollector implements Collector {
  constructor(private readonly families: unknown) {}
  describe(): string[] {
    return ['db_rows'];
  }
  collect(): readonly MetricFamily[] {
    return this.families as MetricFamily[];
  }
}

async function collectError(registry: Registry): Promise<CollectError> {
  try {
    await registry.collect();
  } catch (error) {
    assert.ok(isCollectError(error));
    return error;
  }
  assert.fail('collect() should have failed');
}

test('an injected family name is refused, named with its collector, and never reaches the output', async () => {
  const registry = new Registry();
  new Gauge({ name: 'kept', help: 'h', registry }).set(1);
  // A lone surrogate makes the name invalid under every naming rule (the rest is a legal UTF-8 name).
  const forged = 'x 0\nadmin_password_resets_total 999\ny\ud800';
  registry.register(new DatabaseCollector([gaugeFamily('db_rows'), gaugeFamily(forged)]));
  const error = await collectError(registry);
  assert.equal(error.errors.length, 1);
  const [problem] = error.errors as unknown[];
  assert.ok(problem instanceof CollectorOutputError && isCollectorOutputError(problem));
  assert.equal(problem.collector, 'DatabaseCollector of "db_rows" #2');
  assert.equal(problem.family, forged);
  assert.match(
    problem.message,
    /DatabaseCollector of "db_rows" #2, metric family "x 0\\nadmin.*invalid metric family name/,
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['db_rows', 'kept'],
  );
  assert.doesNotMatch(renderText(error.families), /admin_password_resets_total/);
});

test('a name with a newline is a legal UTF-8 name, written escaped: it cannot forge a sample line', async () => {
  const registry = new Registry();
  registry.register({ collect: () => [gaugeFamily('x 0\nadmin_password_resets_total 999\ny')] });
  const text = renderText(await registry.collect());
  assert.doesNotMatch(text, /^admin_password_resets_total/m);
  assert.match(text, /^x_0_admin_password_resets_total_999_y 1$/m);
});

test('a collector returning undefined or an object fails alone; the others are kept', async () => {
  const registry = new Registry();
  new Gauge({ name: 'kept', help: 'h', registry }).set(1);
  registry.register({ collect: () => undefined as unknown as MetricFamily[] });
  registry.register({ collect: async () => ({ name: 'x' }) as unknown as MetricFamily[] });
  const error = await collectError(registry);
  assert.deepEqual(
    error.errors.map((e) => (e as Error).message),
    [
      'collector #2: collect() must return an array of metric families (or a promise of one), got undefined',
      'collector #3: collect() must return an array of metric families (or a promise of one), got [object Object]',
    ],
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['kept'],
  );
});

test('a family whose sample names clash with another family is dropped; the first registered wins', async () => {
  const registry = new Registry();
  new Gauge({ name: 'requests', help: 'h', registry }).set(1);
  registry.register({
    collect: (): MetricFamily[] => [
      { name: 'requests_total', help: 'h', type: 'counter', points: [{ labels: labelSet(), value: 1 }] },
      gaugeFamily('other'),
    ],
  });
  const error = await collectError(registry);
  assert.match(
    (error.errors[0] as Error).message,
    /metric family "requests_total": its sample name "requests" is also written by the family "requests"/,
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['other', 'requests'],
  );
});

test('partial mode leaves an invalid family out, serves the rest and counts the scrape', async (t) => {
  const registry = new Registry();
  new Gauge({ name: 'kept', help: 'h', registry }).set(1);
  registry.register({
    collect: () => [
      gaugeFamily('negative_total', 1),
      { ...gaugeFamily('bad'), type: 'counter', points: [{ labels: labelSet(), value: -1 }] } as MetricFamily,
    ],
  });
  registry.register({ collect: () => undefined as unknown as MetricFamily[] });
  const reported: unknown[] = [];
  const server = createServer(
    metricsHandler(registry, { onCollectError: 'partial', onError: (e) => reported.push(e) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(body, /^kept 1$/m);
  assert.match(body, /^negative_total 1$/m);
  assert.match(body, /^aioprometheus_collect_errors_total 1$/m);
  assert.doesNotMatch(body, /^bad/m);
  assert.equal(reported.length, 1);
  assert.equal((reported[0] as CollectError).errors.length, 2);
});

test('a huge hostile name is quoted and cut short in the message, kept whole in the error', async () => {
  const registry = new Registry();
  const huge = `x\n${'y'.repeat(10_000)}\ud800`;
  registry.register({ collect: () => [gaugeFamily(huge)] });
  const [problem] = (await collectError(registry)).errors as CollectorOutputError[];
  assert.equal(problem!.family, huge);
  assert.ok(problem!.message.length < 400, `message of ${problem!.message.length} characters`);
  assert.doesNotMatch(problem!.message, /\n/);
});

test('a metric’s family that a collector renamed is checked like any family', async () => {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'source', help: 'h', registry: null });
  gauge.set(1);
  registry.register({
    collect: () => {
      const family = gauge.snapshot() as { name: string };
      family.name = 'bad\ud800';
      return [family as MetricFamily];
    },
  });
  const error = await collectError(registry);
  assert.equal(error.errors.length, 1);
  assert.match(
    (error.errors[0] as Error).message,
    /collector #1, metric family "bad.*invalid metric family name/,
  );
  assert.deepEqual(error.families, []);
});

test('a collector that describes a metric’s names and returns its family twice gets the copy dropped', async () => {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'twice', help: 'h', registry: null });
  registry.register({
    describe: () => gauge.describe(),
    collect: () => [gauge.snapshot(), gauge.snapshot()],
  });
  const error = await collectError(registry);
  assert.match(
    (error.errors[0] as Error).message,
    /metric family "twice": another collector already produced this family; this copy was dropped/,
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['twice'],
  );
});

test('a metric’s family returned by another collector as well is kept once, from the first registered', async () => {
  const registry = new Registry();
  const gauge = new Gauge({ name: 'shared', help: 'h', registry });
  registry.register({ collect: () => [gauge.snapshot()] });
  const error = await collectError(registry);
  assert.match(
    (error.errors[0] as Error).message,
    /^collector #2, metric family "shared": another collector/,
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['shared'],
  );
});

test('a metric whose describe() is overridden is still checked by the sample names it writes', async () => {
  class Undescribed extends Gauge {
    override describe(): readonly string[] {
      return ['elsewhere'];
    }
  }
  const registry = new Registry();
  new Histogram({ name: 'latency', help: 'h', registry }).observe(1);
  new Undescribed({ name: 'latency_count', help: 'h', registry }).set(1);
  const error = await collectError(registry);
  assert.match(
    (error.errors[0] as Error).message,
    /metric family "latency_count": its sample name "latency_count" is also written by the family "latency"/,
  );
  assert.deepEqual(
    error.families.map((f) => f.name),
    ['latency'],
  );
});
