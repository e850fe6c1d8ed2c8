// The compatibility layer against prom-client itself: the same calls on both, compared output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asJson, both, compat, normalize, oracle } from '../../helpers/prom-client-oracle.js';

test('counter, gauge and histogram: same samples and same get() as prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    const c = new lib.Counter({
      name: 'http_requests',
      help: 'Requests.',
      labelNames: ['method', 'code'],
      registers: [registry] as never,
    });
    c.inc({ method: 'GET', code: 200 });
    c.inc({ method: 'GET', code: 200 }, 4);
    c.labels('POST', '500').inc(2);
    const g = new lib.Gauge({
      name: 'queue_depth',
      help: 'Depth.',
      labelNames: ['q'],
      registers: [registry] as never,
    });
    g.set({ q: 'main' }, 3.5);
    g.inc({ q: 'main' });
    g.labels('main').dec(0.25);
    const h = new lib.Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      buckets: [0.1, 1],
      labelNames: ['route'],
      registers: [registry] as never,
    });
    h.observe({ route: '/' }, 0.5);
    h.labels('/a').observe(2);
    h.observe({ route: '/' }, 0.05);
    h.zero({ route: '/idle' });
  });
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  // Compared as JSON: after a render prom-client leaves an own `exemplar: undefined` key on _sum and _count.
  assert.deepEqual(asJson(await ours.getMetricsAsJSON()), asJson(await theirs.getMetricsAsJSON()));
  assert.equal(ours.contentType, theirs.contentType);
});

test('registry: getSingleMetric, removeSingleMetric, resetMetrics, clear and merge behave as prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    const c = new lib.Counter({ name: 'a', help: 'A.', registers: [registry] as never });
    c.inc(3);
    new lib.Gauge({ name: 'b', help: 'B.', registers: [registry] as never }).set(1);
  });
  assert.deepEqual(
    normalize(await ours.getSingleMetricAsString('a')),
    normalize(await theirs.getSingleMetricAsString('a')),
  );
  ours.resetMetrics();
  theirs.resetMetrics();
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  ours.removeSingleMetric('b');
  theirs.removeSingleMetric('b');
  assert.equal(ours.getSingleMetric('b'), undefined);
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  const other = new compat.Registry();
  new compat.Gauge({ name: 'a', help: 'A again.', registers: [other] });
  assert.throws(() => compat.Registry.merge([ours, other]), { name: 'DuplicateRegistrationError' });
  ours.clear();
  assert.equal(await ours.metrics(), '');
});

test('collect runs with this bound to the metric before every read', async () => {
  const registry = new compat.Registry();
  let calls = 0;
  new compat.Gauge({
    name: 'pulled',
    help: 'Pulled.',
    registers: [registry],
    collect() {
      calls++;
      this.set(calls * 10);
    },
  });
  assert.match(await registry.metrics(), /^pulled 10$/m);
  assert.match(await registry.metrics(), /^pulled 20$/m);
});

test('fixes over prom-client: no label-key collisions, typed errors naming metric and value', async () => {
  const registry = new compat.Registry();
  const c = new compat.Counter({ name: 'c', help: 'C.', labelNames: ['a', 'b'], registers: [registry] });
  c.inc({ a: 'x,b:y' });
  c.inc({ a: 'x', b: 'y' }, 2);
  const values = (await c.get()).values.map((v) => v.value).sort();
  assert.deepEqual(values, [1, 2]);
  assert.throws(() => c.inc({ a: 'x' }, Number.NaN), { name: 'InvalidValueError', message: /"c".*NaN/ });
  assert.throws(() => c.inc(-1), { name: 'InvalidValueError', message: /"c"/ });
  assert.throws(() => c.inc({ nope: 'x' } as never), { name: 'LabelError', message: /"c".*"nope"/ });
  assert.throws(() => c.labels('1', '2', '3'), { name: 'LabelError' });
  assert.throws(() => new compat.Histogram({ name: 'h', help: 'H.', labelNames: ['le'], registers: [] }), {
    name: 'MetricDefinitionError',
  });
  const gauge = new compat.Gauge({ name: 'g', help: 'G.', registers: [registry] });
  gauge.set(Number.POSITIVE_INFINITY);
  assert.match(await registry.metrics(), /^g \+Inf$/m);
});

test('helpers match prom-client', () => {
  assert.deepEqual(compat.linearBuckets(1, 2, 3), oracle.linearBuckets(1, 2, 3));
  assert.deepEqual(compat.exponentialBuckets(1, 2, 4), oracle.exponentialBuckets(1, 2, 4));
  for (const name of ['ok_name', '1bad', 'a:b', 'with space']) {
    assert.equal(compat.validateMetricName(name), oracle.validateMetricName(name), name);
  }
  assert.equal(compat.prometheusContentType, oracle.prometheusContentType);
  assert.equal(compat.openMetricsContentType, oracle.openMetricsContentType);
  // prom-client 15 declares `contentType` in its typings but leaves it undefined at run time.
  assert.equal(compat.contentType, oracle.register.contentType);
});

test('setDefaultLabels: same samples and JSON as prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    registry.setDefaultLabels({ service: 'api' });
    const c = new lib.Counter({
      name: 'hits',
      help: 'H.',
      labelNames: ['path'],
      registers: [registry] as never,
    });
    c.inc({ path: '/' });
    new lib.Gauge({ name: 'up', help: 'U.', registers: [registry] as never }).set(1);
  });
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  assert.deepEqual(asJson(await ours.getMetricsAsJSON()), asJson(await theirs.getMetricsAsJSON()));
});

test('a family without series is written as HELP and TYPE, as prom-client writes it', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    new lib.Counter({ name: 'idle', help: 'Idle\nline.', labelNames: ['a'], registers: [registry] as never });
    new lib.Gauge({ name: 'busy', help: 'Busy.', registers: [registry] as never }).set(2);
  });
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  assert.match(await ours.metrics(), /^# HELP idle Idle\\nline\.\n# TYPE idle counter\n/m);
});

test('clear drops the default labels too, as in prom-client', async () => {
  const { ours, theirs } = await both((lib, registry) => {
    registry.setDefaultLabels({ service: 'api' });
    registry.clear();
    new lib.Gauge({ name: 'after_clear', help: 'A.', registers: [registry] as never }).set(1);
  });
  assert.deepEqual(normalize(await ours.metrics()), normalize(await theirs.metrics()));
  assert.match(await ours.metrics(), /^after_clear 1$/m);
});
