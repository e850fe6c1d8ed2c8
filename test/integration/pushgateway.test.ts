/**
 * The Pusher against a real Pushgateway: what the gateway serves after add, replace and delete,
 * in both body formats, and how its refusals surface.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { renderProtobuf } from '../../src/exposition/protobuf.js';
import { renderText } from '../../src/exposition/text.js';
import {
  Counter,
  Gauge,
  Histogram,
  labelSet,
  type MetricFamily,
  PROTOBUF_CONTENT_TYPE,
  Registry,
} from '../../src/index.js';
import { isPushError, Pusher, type PushFormat } from '../../src/push/index.js';
import { exampleCommand, freePort, run, waitFor } from '../helpers/processes.js';
import {
  type Group,
  pushgatewayBinary,
  pushgatewayGroups,
  startPushgateway,
} from '../helpers/pushgateway.js';

interface JsonFamily {
  readonly type: string;
  readonly help?: string;
  readonly metrics: readonly Record<string, unknown>[];
}

/**
 * Waits (bounded) until the gateway no longer holds the group of `labels`: it answers a DELETE
 * with 202 and applies it asynchronously.
 */
async function groupGone(url: string, labels: Record<string, string>): Promise<void> {
  await waitFor(`the deleted group ${JSON.stringify(labels)} to be gone`, async () =>
    (await findGroup(url, labels)) === undefined ? true : undefined,
  );
}

/** The group whose grouping labels are exactly `labels`, or undefined. */
async function findGroup(url: string, labels: Record<string, string>): Promise<Group | undefined> {
  return (await pushgatewayGroups(url)).find((g) => isDeepStrictEqual(g.labels, labels));
}

/** The pushed families of a group, without the gateway's own push_time/push_failure_time. */
function pushedFamilies(group: Group): Record<string, JsonFamily> {
  const out: Record<string, JsonFamily> = {};
  for (const [name, value] of Object.entries(group)) {
    if (name === 'labels' || name === 'last_push_successful') continue;
    if (name === 'push_time_seconds' || name === 'push_failure_time_seconds') continue;
    out[name] = value as JsonFamily;
  }
  return out;
}

/** Drops the gateway's per-family time_stamp, which changes with each push. */
function withoutTimestamps(families: Record<string, JsonFamily>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(families).map(([name, f]) => {
      const { time_stamp: _ignored, ...rest } = f as JsonFamily & { time_stamp?: string };
      return [name, rest];
    }),
  );
}

/** A registry with every metric type, label values with spaces and non-ASCII text. */
function jobRegistry(): Registry {
  const registry = new Registry();
  const processed = new Counter({
    name: 'records_processed_total',
    help: 'Records processed.',
    labelNames: ['source'] as const,
    registry,
  });
  processed.inc({ source: 'Björn 佖 "quoted"' }, 3);
  processed.inc({ source: 'a/b c' }, 1.5);
  new Gauge({ name: 'batch_size_bytes', help: 'Batch size.', registry }).set(1e21);
  const latency = new Histogram({
    name: 'step_seconds',
    help: 'Step time.',
    buckets: [0.1, 1, 10],
    registry,
  });
  for (const v of [0.05, 0.5, 0.5, 20]) latency.observe(v);
  registry.register({
    collect: (): MetricFamily[] => [
      {
        name: 'step_size_bytes',
        help: 'Step size.',
        type: 'summary',
        points: [
          {
            labels: labelSet({ step: 'ünïcode' }),
            quantiles: [
              { quantile: 0.5, value: 512 },
              { quantile: 0.99, value: 4096.5 },
            ],
            count: 7,
            sum: 10000.25,
          },
        ],
      },
    ],
  });
  return registry;
}

/**
 * What the gateway lists for jobRegistry() pushed with `group` as grouping labels. Protobuf
 * leaves the +Inf bucket implicit (as client_golang does), so the gateway lists it only for text.
 */
const EXPECTED_JOB_FAMILIES = (
  group: Record<string, string>,
  format: PushFormat,
): Record<string, unknown> => {
  const series = (extra: Record<string, string> = {}): Record<string, string> => ({
    instance: '',
    ...group,
    ...extra,
  });
  return {
    batch_size_bytes: { type: 'GAUGE', help: 'Batch size.', metrics: [{ labels: series(), value: '1e+21' }] },
    records_processed_total: {
      type: 'COUNTER',
      help: 'Records processed.',
      metrics: [
        { labels: series({ source: 'Björn 佖 "quoted"' }), value: '3' },
        { labels: series({ source: 'a/b c' }), value: '1.5' },
      ],
    },
    step_seconds: {
      type: 'HISTOGRAM',
      help: 'Step time.',
      metrics: [
        {
          labels: series(),
          buckets: { '0.1': '1', '1': '3', '10': '3', ...(format === 'text' ? { '+Inf': '4' } : {}) },
          count: '4',
          sum: '21.05',
        },
      ],
    },
    step_size_bytes: {
      type: 'SUMMARY',
      help: 'Step size.',
      metrics: [
        {
          labels: series({ step: 'ünïcode' }),
          quantiles: { '0.5': '512', '0.99': '4096.5' },
          count: '7',
          sum: '10000.25',
        },
      ],
    },
  };
};

/** The JSON order of series inside a family is the gateway's; compare them sorted. */
function sortSeries(families: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(families).map(([name, f]) => {
      const family = f as JsonFamily;
      const metrics = [...family.metrics].sort((a, b) =>
        JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1,
      );
      return [name, { ...family, metrics }];
    }),
  );
}

test('Pusher against a real Pushgateway', {
  skip: pushgatewayBinary === undefined && 'no pushgateway',
}, async (t) => {
  const url = await startPushgateway(t);

  for (const format of ['protobuf', 'text'] as const satisfies readonly PushFormat[]) {
    await t.test(`${format}: replace, add and delete a group keyed by awkward values`, async () => {
      const groupingKey = { path: '/var/tmp', empty: '', spaced: 'a b+c', text: 'Björn 佖' };
      const groupLabels = { job: `batch/${format}`, ...groupingKey };
      const pusher = new Pusher({ url, job: `batch/${format}`, groupingKey, format });

      await pusher.replace(jobRegistry());
      let group = await findGroup(url, groupLabels);
      assert.ok(
        group,
        `group ${JSON.stringify(groupLabels)} not found in ${JSON.stringify(await pushgatewayGroups(url))}`,
      );
      assert.deepEqual(
        sortSeries(withoutTimestamps(pushedFamilies(group))),
        sortSeries(EXPECTED_JOB_FAMILIES(groupLabels, format)),
      );
      assert.equal(group.last_push_successful, true);

      // add replaces same-named families and keeps the others.
      const more = new Registry();
      new Gauge({ name: 'batch_size_bytes', help: 'Batch size.', registry: more }).set(7);
      new Gauge({ name: 'extra_gauge', help: '', registry: more }).set(-0.25);
      await pusher.add(more);
      group = await findGroup(url, groupLabels);
      assert.ok(group);
      const afterAdd = withoutTimestamps(pushedFamilies(group));
      assert.deepEqual(Object.keys(afterAdd).sort(), [
        'batch_size_bytes',
        'extra_gauge',
        'records_processed_total',
        'step_seconds',
        'step_size_bytes',
      ]);
      assert.deepEqual(afterAdd.batch_size_bytes, {
        type: 'GAUGE',
        help: 'Batch size.',
        metrics: [{ labels: { instance: '', ...groupLabels }, value: '7' }],
      });
      assert.deepEqual(afterAdd.extra_gauge, {
        type: 'GAUGE',
        metrics: [{ labels: { instance: '', ...groupLabels }, value: '-0.25' }],
      });

      // replace drops every family that is not pushed again.
      const only = new Registry();
      new Gauge({ name: 'extra_gauge', help: '', registry: only }).set(2);
      await pusher.replace(only);
      group = await findGroup(url, groupLabels);
      assert.ok(group);
      assert.deepEqual(withoutTimestamps(pushedFamilies(group)), {
        extra_gauge: { type: 'GAUGE', metrics: [{ labels: { instance: '', ...groupLabels }, value: '2' }] },
      });

      await pusher.delete();
      assert.equal(await findGroup(url, groupLabels), undefined);
    });

    await t.test(`${format}: delete removes only its own group`, async () => {
      const job = `siblings-${format}`;
      const families: MetricFamily[] = [
        { name: 'up_flag', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
      ];
      const first = new Pusher({ url, job, groupingKey: { instance: 'one' }, format });
      const second = new Pusher({ url, job, groupingKey: { instance: 'two' }, format });
      await first.add(families);
      await second.add(families);
      await first.delete();
      await groupGone(url, { job, instance: 'one' });
      assert.ok(await findGroup(url, { job, instance: 'two' }));
      await second.delete();
    });

    await t.test(`${format}: a type clash with another group surfaces as PushError`, async () => {
      const name = `clash_${format}`;
      await new Pusher({ url, job: `clash-a-${format}`, format }).replace([
        { name, help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
      ]);
      const pusher = new Pusher({ url, job: `clash-b-${format}`, format });
      const error = await pusher
        .replace([{ name, help: '', type: 'counter', points: [{ labels: labelSet(), value: 1 }] }])
        .then(
          () => assert.fail('the gateway accepted a type clash'),
          (e: unknown) => e,
        );
      assert.ok(isPushError(error), String(error));
      assert.equal(error.status, 400);
      assert.equal(error.url, pusher.url);
      // The gateway names whichever of the two clashing series it checked second.
      assert.match(
        error.body,
        new RegExp(
          `^pushed metrics are invalid or inconsistent with existing metrics: collected metric "${name}" .* is not a (GAUGE|COUNTER)\n$`,
        ),
      );
      assert.match(
        error.message,
        new RegExp(`^PUT ${pusher.url} failed with HTTP 400: pushed metrics are invalid`),
      );
    });
  }

  await t.test('every kind of path segment reaches exactly the group asked for', async () => {
    const families: MetricFamily[] = [
      { name: 'segment_probe', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
    ];
    const values = [
      '.',
      '..',
      '...',
      '',
      '/',
      '/..',
      '%',
      '%2e%2e',
      '.%2E',
      'Björn 佖 😀',
      '@base64',
      'x@base64',
    ];
    const cases: { job: string; groupingKey: Record<string, string> }[] = [
      ...values.filter((v) => v !== '').map((job) => ({ job, groupingKey: {} })),
      ...values.map((v) => ({ job: 'segments', groupingKey: { instance: v } })),
      { job: '..', groupingKey: Object.fromEntries(values.map((v, i) => [`k${i}`, v])) },
    ];
    for (const { job, groupingKey } of cases) {
      const labels = { job, ...groupingKey };
      const pusher = new Pusher({ url, job, groupingKey });
      await pusher.add(families);
      const group = await findGroup(url, labels);
      assert.ok(
        group,
        `pushed to ${pusher.url}, but no group ${JSON.stringify(labels)} in ${JSON.stringify(await pushgatewayGroups(url))}`,
      );
      assert.deepEqual(Object.keys(pushedFamilies(group)), ['segment_probe']);
      await pusher.delete();
      await groupGone(url, labels);
    }
    assert.deepEqual(
      (await pushgatewayGroups(url)).filter(
        (g) => g.labels.job === 'segments' || values.includes(g.labels.job!),
      ),
      [],
      'a push landed in a group that was not asked for',
    );
  });

  await t.test('generated job and grouping values each reach exactly their own group', async () => {
    const families: MetricFamily[] = [
      { name: 'generated_probe', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
    ];
    const value = fc
      .oneof(
        fc.constantFrom('.', '..', '', '/', '%', '%2e', '@base64', '=', '+', ' ', '\\', '?', '#'),
        fc.string({ unit: 'grapheme', maxLength: 5 }),
        fc.string({ unit: 'binary', maxLength: 5 }),
      )
      .filter((v) => v.isWellFormed());
    const cases = fc.sample(
      fc.record({
        job: value.filter((v) => v !== ''),
        groupingKey: fc.dictionary(
          fc.stringMatching(/^[a-z_][a-z0-9_]{0,4}$/).filter((n) => !n.startsWith('__') && n !== 'job'),
          value,
          { maxKeys: 3 },
        ),
      }),
      { numRuns: 60, seed: 12 },
    );
    for (const { job, groupingKey } of cases) {
      const labels = { job, ...groupingKey };
      const pusher = new Pusher({ url, job, groupingKey });
      await pusher.replace(families);
      const all = await pushgatewayGroups(url);
      const matching = all.filter((g) => isDeepStrictEqual(g.labels, labels));
      assert.equal(
        matching.length,
        1,
        `pushed to ${pusher.url}, groups: ${JSON.stringify(all.map((g) => g.labels))}`,
      );
      await pusher.delete();
      await groupGone(url, labels);
      assert.deepEqual(
        (await pushgatewayGroups(url)).filter((g) => 'generated_probe' in g).map((g) => g.labels),
        [],
        `after ${pusher.url} a probe was left in another group`,
      );
    }
  });

  await t.test('delete with instance ".." or "." removes only its own group', async () => {
    const families: MetricFamily[] = [
      { name: 'nightly_probe', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
    ];
    await new Pusher({ url, job: 'nightly' }).add(families);
    for (const instance of ['..', '.']) {
      const dotted = new Pusher({ url, job: 'nightly', groupingKey: { instance } });
      await dotted.add(families);
      assert.ok(await findGroup(url, { job: 'nightly', instance }));
      await dotted.delete();
      await groupGone(url, { job: 'nightly', instance });
      assert.ok(
        await findGroup(url, { job: 'nightly' }),
        `delete of instance "${instance}" removed {job="nightly"}`,
      );
    }
    // The gateway keeps taking pushes from other jobs (a stray {instance=""} group made it refuse them).
    await new Pusher({ url, job: 'after-dots' }).replace(families);
    assert.ok(await findGroup(url, { job: 'after-dots' }));
  });

  await t.test('UTF-8 metric and label names are stored under their underscore-escaped names', async () => {
    for (const format of ['protobuf', 'text'] as const) {
      const job = `utf8-${format}`;
      const registry = new Registry();
      new Gauge({
        name: 'build.info',
        help: 'Build.',
        labelNames: ['git.sha', 'ok'] as const,
        registry,
      }).set({ 'git.sha': 'abc', ok: 'ü' }, 1);
      await new Pusher({ url, job, format, groupingKey: { 'zone.id': 'eu' } }).replace(registry);
      const group = await findGroup(url, { job, U__zone_2e_id: 'eu' });
      assert.ok(group, `no group for ${job} in ${JSON.stringify(await pushgatewayGroups(url))}`);
      assert.deepEqual(withoutTimestamps(pushedFamilies(group)), {
        build_info: {
          type: 'GAUGE',
          help: 'Build.',
          metrics: [
            { labels: { git_sha: 'abc', ok: 'ü', instance: '', job, U__zone_2e_id: 'eu' }, value: '1' },
          ],
        },
      });
    }
  });

  await t.test(
    'this gateway refuses UTF-8 names sent unescaped, which is why the Pusher escapes them',
    async () => {
      const families: MetricFamily[] = [
        {
          name: 'build.info',
          help: '',
          type: 'gauge',
          points: [{ labels: labelSet({ 'git.sha': 'abc' }), value: 1 }],
        },
      ];
      const bodies = [
        {
          body: renderProtobuf(families, 'allow-utf-8'),
          contentType: `${PROTOBUF_CONTENT_TYPE}; escaping=allow-utf-8`,
        },
        {
          body: renderText(families, 'allow-utf-8'),
          contentType: 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8',
        },
      ];
      for (const { body, contentType } of bodies) {
        const response = await fetch(`${url}/metrics/job/utf8-raw`, {
          method: 'PUT',
          body,
          headers: { 'content-type': contentType },
        });
        const reason = await response.text();
        assert.equal(response.status, 400, `${contentType}: ${response.status} ${reason}`);
        assert.match(reason, /invalid (metric )?name/, contentType);
      }
    },
  );

  await t.test('gzip bodies are accepted in both formats', async () => {
    for (const format of ['protobuf', 'text'] as const) {
      const job = `gzip-${format}`;
      await new Pusher({ url, job, format, gzip: true }).replace(jobRegistry());
      const group = await findGroup(url, { job });
      assert.ok(group);
      assert.deepEqual(
        sortSeries(withoutTimestamps(pushedFamilies(group))),
        sortSeries(EXPECTED_JOB_FAMILIES({ job }, format)),
      );
    }
  });

  await t.test('the example batch job pushes its duration and last success time', async () => {
    const before = Date.now() / 1000;
    const example = exampleCommand('push', { PUSHGATEWAY_URL: url });
    const { code, stdout, stderr } = await run(example.command, example.args, undefined, 60_000);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `Pushed the backup metrics to ${url}/metrics/job/nightly-backup/instance/db-1\n`);
    const group = await findGroup(url, { job: 'nightly-backup', instance: 'db-1' });
    assert.ok(group);
    const families = pushedFamilies(group);
    assert.deepEqual(Object.keys(families).sort(), [
      'backup_duration_seconds',
      'backup_last_success_timestamp_seconds',
      'backup_records_total',
    ]);
    const value = (name: string): number => Number(families[name]!.metrics[0]!.value);
    assert.equal(value('backup_records_total'), 300);
    const duration = value('backup_duration_seconds');
    assert.ok(duration >= 0.03 && duration < 10, `duration ${duration}`);
    const lastSuccess = value('backup_last_success_timestamp_seconds');
    assert.ok(
      lastSuccess >= before - 1 && lastSuccess <= Date.now() / 1000 + 1,
      `last success ${lastSuccess}`,
    );
  });

  await t.test('the example exits non-zero with a clear message when the push fails', async () => {
    const port = await freePort();
    const example = exampleCommand('push', { PUSHGATEWAY_URL: `http://127.0.0.1:${port}` });
    const { code, stdout, stderr } = await run(example.command, example.args, undefined, 60_000);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      new RegExp(
        `^Could not push the backup metrics: PUT http://127\\.0\\.0\\.1:${port}/metrics/job/nightly-backup/instance/db-1 failed: fetch failed: connect ECONNREFUSED`,
      ),
    );
  });
});
