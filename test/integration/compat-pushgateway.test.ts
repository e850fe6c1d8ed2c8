// The layer's Pushgateway against a real Pushgateway: what the gateway holds after pushAdd,
// push and delete, with the { resp, body } prom-client callers read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as compat from '../../src/compat/index.js';
import { waitFor } from '../helpers/processes.js';
import { pushgatewayBinary, pushgatewayGroups, startPushgateway } from '../helpers/pushgateway.js';

interface JsonFamily {
  readonly metrics: readonly { labels?: Record<string, string>; value?: string }[];
}

test('pushAdd, push and delete reach a real Pushgateway as prom-client callers expect', async (t) => {
  if (pushgatewayBinary === undefined) {
    t.skip('prometheus-pushgateway is not installed');
    return;
  }
  const url = await startPushgateway(t);
  const registry = new compat.Registry();
  const jobs = new compat.Counter({
    name: 'batch_jobs',
    help: 'Jobs.',
    labelNames: ['kind'],
    registers: [registry],
  });
  jobs.inc({ kind: 'full' }, 2);
  // A family without series, as prom-client also sends it.
  new compat.Gauge({ name: 'batch_idle', help: 'Idle.', labelNames: ['q'], registers: [registry] });
  new compat.Summary({
    name: 'batch_seconds',
    help: 'Time.',
    percentiles: [0.5],
    registers: [registry],
  }).observe(3);
  const gateway = new compat.Pushgateway(url, { timeout: 10_000 }, registry);
  const params = { jobName: 'nightly', groupings: { instance: 'db-1' } };
  const group = async () =>
    (await pushgatewayGroups(url)).find((g) => g.labels.job === 'nightly' && g.labels.instance === 'db-1');

  const added = await gateway.pushAdd(params);
  assert.equal(added.resp?.statusCode, 200);
  assert.equal(added.body, '');
  const held = await group();
  assert.ok(held !== undefined, 'the group exists');
  const value = (family: string) => (held[family] as JsonFamily | undefined)?.metrics[0]?.value;
  assert.equal(value('batch_jobs'), '2');
  assert.equal((held.batch_seconds as { metrics: { count: string }[] }).metrics[0]!.count, '1');

  jobs.inc({ kind: 'full' });
  const replaced = await gateway.push(params);
  assert.equal(replaced.resp?.statusCode, 200);
  assert.equal(((await group())!.batch_jobs as JsonFamily).metrics[0]!.value, '3');

  const deleted = await gateway.delete(params);
  assert.equal(deleted.resp?.statusCode, 202);
  // The gateway applies a DELETE after answering it.
  await waitFor('the group to be deleted', async () => ((await group()) === undefined ? true : undefined));
});
