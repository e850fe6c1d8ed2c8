/**
 * Every public error class: its literal name, its message, its fields, `instanceof`, and its
 * `is…` guard, which must also recognise an error from another copy of the library (only the
 * name is shared then).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as cluster from '../../src/cluster/index.js';
import { errorGuard } from '../../src/errors.js';
import * as core from '../../src/index.js';
import * as instrument from '../../src/instrument/index.js';
import * as middleware from '../../src/middleware/index.js';
import * as push from '../../src/push/index.js';
import * as remoteWrite from '../../src/remote-write/index.js';
import * as service from '../../src/service/index.js';

type ErrorClass = new (...args: never[]) => Error;

interface Case {
  readonly cls: ErrorClass;
  readonly guard: (e: unknown) => boolean;
  readonly args: readonly unknown[];
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

const cause = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
const listenCause = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
const PUSH_URL = 'http://gw/metrics/job/j';
const RW_URL = 'http://r/api';

const CASES: readonly Case[] = [
  {
    cls: core.MetricDefinitionError,
    guard: core.isMetricDefinitionError,
    args: ['m', 'bad name'],
    message: 'metric "m": bad name',
    fields: { metric: 'm' },
  },
  {
    cls: core.LabelError,
    guard: core.isLabelError,
    args: ['m', 'missing label'],
    message: 'metric "m": missing label',
    fields: { metric: 'm' },
  },
  {
    cls: core.InvalidValueError,
    guard: core.isInvalidValueError,
    args: ['m', -1, 'negative increment'],
    message: 'metric "m": negative increment (got -1)',
    fields: { metric: 'm', value: -1 },
  },
  {
    cls: core.DuplicateRegistrationError,
    guard: core.isDuplicateRegistrationError,
    args: ['m', 'the other collector'],
    message: 'a different collector is already registered under the name "m"',
    fields: { metricName: 'm', existing: 'the other collector' },
  },
  {
    cls: core.MetricRedefinitionError,
    guard: core.isMetricRedefinitionError,
    args: ['m', 'the registered metric', ['help "A." was "B."', 'buckets']],
    message:
      'metric "m" is already registered with another definition (help "A." was "B."; buckets); give the new one another name or unregister the old one first',
    fields: {
      metric: 'm',
      existing: 'the registered metric',
      differences: ['help "A." was "B."', 'buckets'],
    },
  },
  {
    cls: core.RegistryOptionError,
    guard: core.isRegistryOptionError,
    args: ['defaultMaxSeries must be positive'],
    message: 'registry: defaultMaxSeries must be positive',
    fields: {},
  },
  {
    cls: core.CollectError,
    guard: core.isCollectError,
    args: [[new Error('a'), 'b'], []],
    message: '2 collector(s) failed: a; b',
    fields: { families: [] },
  },
  {
    cls: core.CollectorOutputError,
    guard: core.isCollectorOutputError,
    args: ['Collector#1', 'x'.repeat(120), 'bad help'],
    message: `Collector#1, metric family "${'x'.repeat(100)}…": bad help`,
    fields: { collector: 'Collector#1', family: 'x'.repeat(120), problem: 'bad help' },
  },
  {
    cls: core.CollectTimeoutError,
    guard: core.isCollectTimeoutError,
    args: [['a', 'b'], 12.6],
    message: 'the collector of a, b did not finish within the scrape deadline of 13 ms',
    fields: { families: ['a', 'b'], timeoutMs: 12.6 },
  },
  {
    cls: core.ProtobufDecodeError,
    guard: core.isProtobufDecodeError,
    args: [7, 'truncated'],
    message: 'protobuf exposition, byte 7: truncated',
    fields: { offset: 7 },
  },
  {
    cls: core.InstrumentError,
    guard: core.isInstrumentError,
    args: ['timer', 'not a histogram'],
    message: 'timer: not a histogram',
    fields: { decorator: 'timer' },
  },
  {
    cls: push.PushConfigError,
    guard: push.isPushConfigError,
    args: ['empty job'],
    message: 'empty job',
    fields: {},
  },
  {
    cls: push.PushValidationError,
    guard: push.isPushValidationError,
    args: ['m', 'has a timestamp'],
    message: 'metric "m": has a timestamp',
    fields: { metric: 'm' },
  },
  {
    cls: push.PushError,
    guard: push.isPushError,
    args: ['PUT', PUSH_URL, 302, '', { location: 'http://other/' }],
    message: `PUT ${PUSH_URL} failed with HTTP 302: a redirect to http://other/; redirects are not followed, set the Pusher's url to the final address`,
    fields: { method: 'PUT', url: PUSH_URL, status: 302, body: '', location: 'http://other/' },
  },
  {
    cls: push.PushRequestError,
    guard: push.isPushRequestError,
    args: ['PUT', PUSH_URL, false, cause],
    message: `PUT ${PUSH_URL} failed: fetch failed: connect ECONNREFUSED 127.0.0.1:1`,
    fields: { method: 'PUT', url: PUSH_URL, timedOut: false, cause },
  },
  {
    cls: push.PushCollectError,
    guard: push.isPushCollectError,
    args: [PUSH_URL, cause, true],
    message: `push to ${PUSH_URL} aborted, nothing was sent: fetch failed: connect ECONNREFUSED 127.0.0.1:1`,
    fields: { url: PUSH_URL, timedOut: true, cause },
  },
  {
    cls: remoteWrite.RemoteWriteConfigError,
    guard: remoteWrite.isRemoteWriteConfigError,
    args: ['bad url'],
    message: 'bad url',
    fields: {},
  },
  {
    cls: remoteWrite.RemoteWriteValidationError,
    guard: remoteWrite.isRemoteWriteValidationError,
    args: ['m', 'bad name'],
    message: 'metric "m": bad name',
    fields: { metric: 'm' },
  },
  {
    cls: remoteWrite.RemoteWriteError,
    guard: remoteWrite.isRemoteWriteError,
    args: [RW_URL, 500, ' overloaded ', 10, true, ' (attempt 2)'],
    message: `remote write of 10 sample(s) to ${RW_URL} failed with HTTP 500 (attempt 2): overloaded`,
    fields: { url: RW_URL, status: 500, body: ' overloaded ', samples: 10, retryable: true },
  },
  {
    cls: remoteWrite.RemoteWriteRedirectError,
    guard: remoteWrite.isRemoteWriteRedirectError,
    args: [RW_URL, 307, undefined],
    message: `remote write to ${RW_URL} was redirected (HTTP 307) to an unknown location; redirects are not followed, configure the final URL`,
    fields: { url: RW_URL, status: 307, location: undefined },
  },
  {
    cls: remoteWrite.RemoteWriteRequestError,
    guard: remoteWrite.isRemoteWriteRequestError,
    args: [RW_URL, false, 3, cause],
    message: `remote write of 3 sample(s) to ${RW_URL} failed: fetch failed: connect ECONNREFUSED 127.0.0.1:1`,
    fields: { url: RW_URL, timedOut: false, samples: 3, cause },
  },
  {
    cls: remoteWrite.RemoteWriteDroppedError,
    guard: remoteWrite.isRemoteWriteDroppedError,
    args: [RW_URL, 5, 100],
    message: `remote write to ${RW_URL}: dropped the 5 oldest queued sample(s), the queue holds at most 100 (maxQueueSamples)`,
    fields: { url: RW_URL, samples: 5, capacity: 100 },
  },
  {
    cls: remoteWrite.RemoteWriteFlushError,
    guard: remoteWrite.isRemoteWriteFlushError,
    args: [[new Error('x')]],
    message: 'remote write: 1 error(s): x',
    fields: {},
  },
  {
    cls: cluster.AggregationError,
    guard: cluster.isAggregationError,
    args: ['m', 'types differ'],
    message: 'metric "m": types differ',
    fields: { metric: 'm' },
  },
  {
    cls: cluster.MalformedMessageError,
    guard: cluster.isMalformedMessageError,
    args: ['3', 'missing id'],
    message: 'worker 3 sent a malformed message, dropped: missing id',
    fields: { worker: '3', problem: 'missing id' },
  },
  {
    cls: service.ServiceOptionError,
    guard: service.isServiceOptionError,
    args: ['port', -1, 'a port number'],
    message: 'Service option port must be a port number (got -1)',
    fields: { option: 'port', value: -1 },
  },
  {
    cls: service.ServiceListenError,
    guard: service.isServiceListenError,
    args: ['::1', 9090, listenCause],
    message: 'metrics service cannot listen on [::1]:9090: listen EADDRINUSE',
    fields: { host: '::1', port: 9090, code: 'EADDRINUSE', cause: listenCause },
  },
  {
    cls: service.ServiceNotRunningError,
    guard: service.isServiceNotRunningError,
    args: ['url'],
    message: 'Service.url is only known while the service runs: await service.start() first',
    fields: { property: 'url' },
  },
  {
    cls: service.BasicAuthUnavailableError,
    guard: service.isBasicAuthUnavailableError,
    args: ['not found'],
    message:
      'Service basicAuth checks bcrypt hashes with the optional peer dependency bcryptjs: install it (not found)',
    fields: { cause: 'not found' },
  },
  {
    cls: service.EndpointOptionError,
    guard: service.isEndpointOptionError,
    args: ['scrapeTimeoutMs', Number.NaN, 'a positive number'],
    message: 'metrics endpoint option scrapeTimeoutMs must be a positive number (got NaN)',
    fields: { option: 'scrapeTimeoutMs', value: Number.NaN },
  },
  {
    cls: middleware.HttpMetricsOptionError,
    guard: middleware.isHttpMetricsOptionError,
    args: ['prefix', 'unknown option'],
    message: 'HTTP metrics option "prefix": unknown option',
    fields: { option: 'prefix' },
  },
];

describe('public error classes', () => {
  for (const c of CASES) {
    test(c.cls.name, () => {
      const error = new c.cls(...(c.args as never[]));
      assert.ok(error instanceof c.cls);
      assert.ok(error instanceof Error);
      assert.equal(error.name, c.cls.name);
      assert.equal(error.message, c.message);
      assert.equal(String(error), `${c.cls.name}: ${c.message}`);
      for (const [field, value] of Object.entries(c.fields)) {
        assert.deepEqual((error as unknown as Record<string, unknown>)[field], value, field);
      }
      assert.equal(c.guard(error), true);
      assert.equal(c.guard({ name: c.cls.name, message: 'from another copy of the library' }), true);
      assert.equal(c.guard(new Error(c.message)), false);
      assert.equal(c.guard(c.cls.name), false);
      assert.equal(c.guard(null), false);
      assert.equal(c.guard(undefined), false);
    });
  }

  test('every exported guard is in the table above, and recognises only its own class', () => {
    const guards = new Map<string, unknown>();
    for (const entry of [core, instrument, middleware, push, remoteWrite, service, cluster]) {
      for (const [name, value] of Object.entries(entry)) {
        if (/^is[A-Z]\w*Error$/.test(name)) guards.set(name, value);
      }
    }
    const tested = new Set(CASES.map((c) => c.guard));
    const untested = [...guards].filter(([, guard]) => !tested.has(guard as Case['guard'])).map(([n]) => n);
    assert.deepEqual(untested, []);
    for (const c of CASES) {
      const error = new c.cls(...(c.args as never[]));
      const others = CASES.filter((o) => o.guard !== c.guard && o.guard(error)).map((o) => o.cls.name);
      assert.deepEqual(others, [], `${c.cls.name} is recognised by other guards`);
    }
  });

  test('a guard made for a misspelt name does not type-check', () => {
    // @ts-expect-error the name must be the class's literal name
    const misspelt = errorGuard<core.LabelError>('LabelEror');
    assert.equal(misspelt(new core.LabelError('m', 'x')), false);
  });
});
