/**
 * Defining a registered metric again: an identical definition shares the registered metric's
 * series, a different one throws a MetricRedefinitionError that names every difference.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Counter,
  DEFAULT_BUCKETS,
  DuplicateRegistrationError,
  Gauge,
  Histogram,
  isMetricRedefinitionError,
  type MetricFamily,
  MetricRedefinitionError,
  Registry,
  render,
  Summary,
} from '../../../src/index.js';

async function text(registry: Registry): Promise<string> {
  const rendered = await render(registry, 'text/plain;version=0.0.4');
  assert.equal(typeof rendered.body, 'string');
  return rendered.body as string;
}

/** The differences a definition reports against the registered one. */
function differences(define: () => unknown, registered: unknown): readonly string[] {
  try {
    define();
  } catch (error) {
    assert.ok(error instanceof MetricRedefinitionError && isMetricRedefinitionError(error), String(error));
    assert.equal(error.existing, registered);
    for (const difference of error.differences) assert.ok(error.message.includes(difference));
    return error.differences;
  }
  assert.fail('the redefinition was accepted');
}

test('an identical counter updates the same series, exemplars included, in one family', async () => {
  const registry = new Registry();
  const options = { name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] as const, registry };
  const first = new Counter(options);
  first.inc({ queue: 'a' });
  const second = new Counter({ ...options, labelNames: ['queue'] as const });
  assert.equal(second.get({ queue: 'a' }), 1, 'the second sees what the first counted');
  second.inc({ queue: 'a' }, 2, { trace_id: 't1' });
  assert.equal(first.get({ queue: 'a' }), 3, 'the first sees what the second counted');
  assert.equal(first.labels({ queue: 'a' }), second.labels({ queue: 'a' }));
  assert.deepEqual(first.labels({ queue: 'a' }).exemplar?.labels.values, ['t1']);
  const [family] = second.collect() as MetricFamily[];
  assert.ok(family?.type === 'counter');
  assert.deepEqual(
    family.points[0]?.exemplar?.labels.values,
    ['t1'],
    "the second's snapshot has the exemplar",
  );
  assert.equal(registry.get('jobs_total'), first, 'the first stays the registered one');
  assert.equal(
    await text(registry),
    '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{queue="a"} 3\n',
  );
  second.remove({ queue: 'a' });
  assert.equal(first.get({ queue: 'a' }), undefined, 'a removal through either reaches both');
});

test('an identical gauge, histogram and summary share their series, labelled or not', async () => {
  const registry = new Registry();
  const gauge = () => new Gauge({ name: 'depth', help: 'Depth.', registry });
  const g1 = gauge();
  const g2 = gauge();
  g1.set(5);
  g2.dec(2);
  assert.equal(g1.get(), 3);
  g2.reset();
  assert.equal(g1.get(), 0);
  const histogram = () =>
    new Histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['route'] as const, registry });
  histogram().observe({ route: '/' }, 0.2);
  histogram().observe({ route: '/' }, 0.3);
  assert.equal(histogram().get({ route: '/' })?.count, 2);
  const native = () => new Histogram({ name: 'rpc_seconds', help: 'R.', native: true, registry });
  native().observe(1);
  native().observe(2);
  assert.equal(native().get().count, 2);
  const summary = () => new Summary({ name: 'size_bytes', help: 'S.', quantiles: [0.5], registry });
  summary().observe(10);
  summary().observe(20);
  assert.equal(summary().get().count, 2);
  const exposed = await text(registry);
  for (const name of ['depth', 'latency_seconds', 'rpc_seconds', 'size_bytes']) {
    assert.equal(exposed.split(`# TYPE ${name} `).length, 2, `one ${name} family`);
  }
});

test('defaults given explicitly, and a counter named without _total, are the same definition', () => {
  const registry = new Registry();
  const counter = new Counter({ name: 'hits', help: 'Hits.', registry });
  counter.inc();
  assert.equal(new Counter({ name: 'hits_total', help: 'Hits.', registry }).get(), 1);
  const histogram = new Histogram({ name: 'wait_seconds', help: 'W.', registry });
  histogram.observe(1);
  assert.equal(
    new Histogram({ name: 'wait_seconds', help: 'W.', buckets: DEFAULT_BUCKETS, registry }).get().count,
    1,
  );
  const summary = new Summary({ name: 'age_seconds', help: 'A.', registry });
  summary.observe(1);
  const explicit = new Summary({
    name: 'age_seconds',
    help: 'A.',
    quantiles: [0.99, 0.5, 0.9],
    relativeAccuracy: 0.01,
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registry,
  });
  assert.equal(explicit.get().count, 1);
  const labelled = new Gauge({ name: 'temp', help: 'T.', constLabels: { a: '1', b: '2' }, registry });
  labelled.set(4);
  assert.equal(new Gauge({ name: 'temp', help: 'T.', constLabels: { b: '2', a: '1' }, registry }).get(), 4);
});

test('every setting that differs is named, with both values', () => {
  const registry = new Registry();
  const clock = () => 0;
  const counter = new Counter({
    name: 'c_total',
    help: 'C.',
    labelNames: ['a', 'b'],
    constLabels: { env: 'prod' },
    maxSeries: 10,
    ttlSeconds: 60,
    clock,
    registry,
  });
  assert.deepEqual(
    differences(
      () =>
        new Counter({
          name: 'c_total',
          help: 'Other.',
          labelNames: ['b', 'a'],
          constLabels: { env: 'dev' },
          maxSeries: 11,
          ttlSeconds: 30,
          clock: () => 0,
          collect: () => {},
          registry,
        }),
      counter,
    ),
    [
      'help: "C." registered, "Other." now',
      'labelNames: ["a", "b"] registered, ["b", "a"] now',
      'constLabels: {"env": "prod"} registered, {"env": "dev"} now',
      'maxSeries: 10 registered, 11 now',
      'ttlSeconds: 60 registered, 30 now',
      'clock: another function than the registered one',
      'collect: none registered, "given" now',
    ],
  );
  assert.deepEqual(
    differences(() => new Counter({ name: 'c_total', help: 'C.', registry }), counter),
    [
      'labelNames: ["a", "b"] registered, [] now',
      'constLabels: {"env": "prod"} registered, {} now',
      'maxSeries: 10 registered, Infinity now',
      'ttlSeconds: 60 registered, Infinity now',
      'clock: the function clock registered, none now',
    ],
  );
  assert.deepEqual(
    differences(() => new Gauge({ name: 'c_total', help: 'C.', registry }), counter),
    ['type: "counter" registered, "gauge" now'],
  );

  const gauge = new Gauge({ name: 'g_bytes', help: 'G.', unit: 'bytes', registry });
  assert.deepEqual(
    differences(() => new Gauge({ name: 'g_bytes', help: 'G.', registry }), gauge),
    ['unit: "bytes" registered, none now'],
  );

  const histogram = new Histogram({ name: 'h_seconds', help: 'H.', buckets: [0.1, 1], registry });
  assert.deepEqual(
    differences(
      () => new Histogram({ name: 'h_seconds', help: 'H.', buckets: [0.1, 2], registry }),
      histogram,
    ),
    ['buckets: [0.1, 1] registered, [0.1, 2] now'],
  );
  assert.deepEqual(
    differences(
      () => new Histogram({ name: 'h_seconds', help: 'H.', buckets: [0.1, 1], native: true, registry }),
      histogram,
    ),
    [
      'native: false registered, {"schema": 3, "zeroThreshold": 2.938735877055719e-39, "maxBuckets": 160, "minResetDurationMs": 0, "maxZeroThreshold": 0} now',
    ],
  );
  const native = new Histogram({ name: 'n_seconds', help: 'N.', native: { bucketFactor: 1.1 }, registry });
  assert.deepEqual(
    differences(
      () =>
        new Histogram({
          name: 'n_seconds',
          help: 'N.',
          native: { bucketFactor: 2, maxBuckets: 20 },
          registry,
        }),
      native,
    ),
    [
      'native: {"schema": 3, "zeroThreshold": 2.938735877055719e-39, "maxBuckets": 160, "minResetDurationMs": 0, "maxZeroThreshold": 0} registered, {"schema": 0, "zeroThreshold": 2.938735877055719e-39, "maxBuckets": 20, "minResetDurationMs": 0, "maxZeroThreshold": 0} now',
    ],
  );

  const summary = new Summary({ name: 's_seconds', help: 'S.', registry });
  assert.deepEqual(
    differences(
      () =>
        new Summary({
          name: 's_seconds',
          help: 'S.',
          quantiles: [0.5],
          relativeAccuracy: 0.02,
          maxAgeSeconds: 60,
          ageBuckets: 3,
          registry,
        }),
      summary,
    ),
    [
      'quantiles: [0.5, 0.9, 0.99] registered, [0.5] now',
      'relativeAccuracy: 0.01 registered, 0.02 now',
      'maxAgeSeconds: 600 registered, 60 now',
      'ageBuckets: 5 registered, 3 now',
    ],
  );
});

test('a failed redefinition changes nothing: the registered metric keeps its series', async () => {
  const registry = new Registry();
  const counter = new Counter({ name: 'kept_total', help: 'K.', registry });
  counter.inc(4);
  assert.throws(
    () => new Counter({ name: 'kept_total', help: 'Changed.', registry }),
    MetricRedefinitionError,
  );
  assert.equal(registry.get('kept_total'), counter);
  assert.equal(await text(registry), '# HELP kept_total K.\n# TYPE kept_total counter\nkept_total 4\n');
});

test('the latest definition supplies the collect hook, which the registered metric runs', async () => {
  const registry = new Registry();
  const calls: string[] = [];
  const first = new Gauge({ name: 'hooked', help: 'H.', collect: () => void calls.push('old'), registry });
  new Gauge({ name: 'hooked', help: 'H.', collect: () => void calls.push('new'), registry });
  await registry.collect();
  await first.collect();
  assert.deepEqual(calls, ['new', 'new']);
});

test('no sharing across registries, with registry: null, or after the registered one is unregistered', () => {
  const a = new Registry();
  const b = new Registry();
  const inA = new Counter({ name: 'own_total', help: 'O.', registry: a });
  inA.inc();
  assert.equal(new Counter({ name: 'own_total', help: 'O.', registry: b }).get(), 0);
  assert.equal(new Counter({ name: 'own_total', help: 'Other.', registry: null }).get(), 0);
  a.unregister(inA);
  const fresh = new Counter({ name: 'own_total', help: 'Other.', registry: a });
  assert.equal(fresh.get(), 0);
  assert.equal(a.get('own_total'), fresh);
});

test('a name held by a collector that is no metric, or by another metric’s samples, still throws DuplicateRegistrationError', () => {
  const registry = new Registry();
  const collector = { describe: () => ['custom'], collect: () => [] };
  registry.register(collector);
  assert.throws(
    () => new Gauge({ name: 'custom', help: 'C.', registry }),
    (e: unknown) => e instanceof DuplicateRegistrationError && e.existing === collector,
  );
  new Histogram({ name: 'latency', help: 'L.', registry });
  assert.throws(() => new Gauge({ name: 'latency_count', help: 'C.', registry }), DuplicateRegistrationError);
});

test('a metric registered by a copy that shares series another way is refused, saying so', () => {
  const registry = new Registry();
  // What a future copy of the package would leave on its metrics, in a shape this copy cannot use.
  const foreign = {
    describe: () => ['foreign_total'],
    collect: () => [],
    [Symbol.for('aioprometheus.metricDefinition')]: {
      protocol: 99,
      name: 'foreign_total',
      definition: {},
      state: {},
    },
  };
  registry.register(foreign);
  assert.deepEqual(
    differences(() => new Counter({ name: 'foreign_total', help: 'F.', registry }), foreign),
    [
      'it was registered by a copy of aioprometheus that shares series by protocol 99, and this copy speaks 2; load one version of the package',
    ],
  );
});
