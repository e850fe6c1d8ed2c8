/**
 * UTF-8 metric and label names in a push: the body carries them underscore-escaped (what every
 * Pushgateway stores), and names that the escaping would merge are refused before anything is sent.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderProtobuf } from '../../../src/exposition/protobuf.js';
import { Gauge, labelSet, type MetricFamily, PROTOBUF_CONTENT_TYPE, Registry } from '../../../src/index.js';
import { type FetchFunction, Pusher } from '../../../src/push/index.js';
import { stub } from '../../helpers/push-stub.js';

function utf8Registry(): Registry {
  const registry = new Registry();
  new Gauge({ name: 'build.info', help: 'Build.', labelNames: ['git.sha'] as const, registry }).set(
    { 'git.sha': 'abc' },
    1,
  );
  return registry;
}

function gauge(name: string, labels: Record<string, string> = {}): MetricFamily {
  return { name, help: '', type: 'gauge', points: [{ labels: labelSet(labels), value: 1 }] };
}

describe('UTF-8 names in a push body', () => {
  test('text: metric and label names are underscore-escaped', async (t) => {
    const { base, received } = await stub(t, (res) => res.end());
    await new Pusher({ url: base, job: 'j', format: 'text' }).add(utf8Registry());
    assert.equal(
      received[0]!.body.toString(),
      '# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{git_sha="abc"} 1\n',
    );
  });

  test('protobuf: the same escaped names as the underscores rendering', async (t) => {
    const { base, received } = await stub(t, (res) => res.end());
    const registry = utf8Registry();
    await new Pusher({ url: base, job: 'j' }).add(registry);
    assert.equal(received[0]!.headers['content-type'], PROTOBUF_CONTENT_TYPE);
    const body = new Uint8Array(received[0]!.body);
    assert.deepEqual(body, renderProtobuf(await registry.collect(), 'underscores'));
    assert.notDeepEqual(body, renderProtobuf(await registry.collect(), 'allow-utf-8'));
  });
});

describe('names the escaping would merge are refused, nothing is sent', () => {
  const neverCalled: FetchFunction = async () => assert.fail('nothing may be sent');

  test('two families pushed under one escaped name', async () => {
    const pusher = new Pusher({ url: 'http://gw.invalid', job: 'j', fetch: neverCalled });
    await assert.rejects(pusher.add([gauge('queue_depth'), gauge('queue.depth')]), {
      name: 'PushValidationError',
      message:
        'metric "queue.depth": the family is pushed as "queue_depth", and so is the family "queue_depth"; rename one of them',
    });
  });

  test('two labels of a series pushed under one escaped name', async () => {
    const pusher = new Pusher({ url: 'http://gw.invalid', job: 'j', fetch: neverCalled });
    await assert.rejects(pusher.add([gauge('q', { 'http.method': 'GET', http_method: 'PUT' })]), {
      name: 'PushValidationError',
      message:
        'metric "q": the labels "http.method" and "http_method" of a series are both pushed as "http_method"; rename one of them',
    });
  });

  test('a series label pushed as a grouping label name', async () => {
    const pusher = new Pusher({
      url: 'http://gw.invalid',
      job: 'j',
      groupingKey: { zone_id: 'eu' },
      fetch: neverCalled,
    });
    await assert.rejects(pusher.add([gauge('q', { 'zone.id': 'us' })]), {
      name: 'PushValidationError',
      message:
        'metric "q": a series carries the label zone.id="us", which is pushed as "zone_id" like the grouping label "zone_id", so the gateway would overwrite it; rename the label or change the grouping key',
    });
  });

  test('a series label named like the gateway-escaped form of a UTF-8 grouping label', async () => {
    const pusher = new Pusher({
      url: 'http://gw.invalid',
      job: 'j',
      groupingKey: { 'zone.id': 'eu' },
      fetch: neverCalled,
    });
    await assert.rejects(pusher.add([gauge('q', { U__zone_2e_id: 'us' })]), {
      name: 'PushValidationError',
      message:
        'metric "q": a series carries the label U__zone_2e_id="us", which is pushed as "U__zone_2e_id" like the grouping label "zone.id", so the gateway would overwrite it; rename the label or change the grouping key',
    });
  });

  test('with a whole-exposition path, a series label escaped like a grouping label added to it', async () => {
    const pusher = new Pusher({
      url: 'http://vm.invalid',
      job: 'j',
      path: '/api/v1/import/prometheus',
      groupingKey: { 'zone.id': 'eu' },
      fetch: neverCalled,
    });
    await assert.rejects(pusher.add([gauge('q', { zone_id: 'us' })]), {
      name: 'PushValidationError',
      message:
        'metric "q": a series carries the label zone_id="us", which is pushed as "zone_id" like the grouping label "zone.id", so the gateway would overwrite it; rename the label or change the grouping key',
    });
  });

  test('a UTF-8 grouping label in the path does not clash with its own underscore form', async (t) => {
    const { base, received } = await stub(t, (res) => res.end());
    await new Pusher({ url: base, job: 'j', groupingKey: { 'zone.id': 'eu' }, format: 'text' }).add([
      gauge('q', { zone_id: 'us' }),
    ]);
    assert.equal(received[0]!.url, '/metrics/job/j/U__zone_2e_id/eu');
    assert.equal(received[0]!.body.toString(), '# HELP q \n# TYPE q gauge\nq{zone_id="us"} 1\n');
  });
});
