// Calls written as prom-client's typings allow them, type-checked by tsc against the layer and run
// once so they are real calls. Covers every part of its API the layer provides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Aggregator,
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
  exponentialBuckets,
  Gauge,
  Histogram,
  type IncreaseDataWithExemplar,
  type LabelValues,
  linearBuckets,
  type Metric,
  type ObserveDataWithExemplar,
  type OpenMetricsContentType,
  openMetricsContentType,
  type PrometheusContentType,
  Pushgateway,
  prometheusContentType,
  Registry,
  type RegistryContentType,
  register,
  Summary,
  type SummaryConfiguration,
} from '../../../src/compat/index.js';

test('calls typed as in prom-client compile and run', async () => {
  const registry = new Registry<RegistryContentType>();
  const counter = new Counter({
    name: 'c',
    help: 'C.',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  });
  counter.inc();
  counter.inc(2);
  counter.inc({ method: 'GET' });
  counter.inc({ method: 'GET', code: 200 }, 3);
  counter.labels('GET', 200).inc();
  counter.labels({ method: 'POST' }).inc(1);
  counter.remove('GET', 200);
  counter.remove({ method: 'POST' });
  const gauge = new Gauge({
    name: 'g',
    help: 'G.',
    labelNames: ['q'],
    registers: [registry],
    aggregator: 'max',
  });
  gauge.set(1);
  gauge.set({ q: 'a' }, 2);
  gauge.inc({ q: 'a' });
  gauge.dec();
  gauge.setToCurrentTime();
  const endGauge = gauge.startTimer({ q: 'b' });
  endGauge({ q: 'c' });
  const histogram = new Histogram({
    name: 'h',
    help: 'H.',
    labelNames: ['route'],
    buckets: linearBuckets(0, 1, 3).concat(exponentialBuckets(4, 2, 2)),
    registers: [registry],
    collect() {
      this.observe({ route: 'collect' }, 0);
    },
  });
  histogram.observe(1);
  histogram.observe({ route: '/' }, 2);
  histogram.labels('/').observe(3);
  histogram.zero({ route: '/z' });
  const end = histogram.startTimer();
  const seconds: number = end({ route: '/t' });
  const labels: LabelValues<'route'> = { route: '/' };
  histogram.observe(labels, 4);
  registry.setContentType(openMetricsContentType);
  registry.setContentType('text/plain; version=0.0.4; charset=utf-8');
  // @ts-expect-error an unknown content type is refused at compile time, as in prom-client's typings
  assert.throws(() => registry.setContentType('text/html'), TypeError);
  assert.ok(seconds >= 0);
  const json = await registry.getMetricsAsJSON();
  assert.deepEqual(
    json.map((m) => m.name),
    ['c', 'g', 'h'],
  );
});

test('Summary calls typed as in prom-client compile and run', async () => {
  const registry = new Registry();
  const config: SummaryConfiguration<'route'> = {
    name: 's',
    help: 'S.',
    labelNames: ['route'] as const,
    percentiles: [0.5, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    pruneAgedBuckets: false,
    compressCount: 1000,
    registers: [registry],
    aggregator: 'average',
    collect() {
      this.observe({ route: '/collect' }, 1);
    },
  };
  const summary = new Summary(config);
  summary.observe({ route: '/' }, 2);
  summary.labels('/a').observe(3);
  summary.labels({ route: '/b' }).observe(4);
  const endChild: (labels?: LabelValues<'route'>) => number = summary.labels('/c').startTimer();
  endChild();
  const end = summary.startTimer({ route: '/t' });
  const seconds: number = end({ route: '/u' });
  summary.remove('/a');
  summary.remove({ route: '/b' });
  summary.reset();
  const internal: Summary.Internal<'route'> = summary.labels('/d');
  internal.observe(1);
  const plain = new Summary({ name: 'plain_s', help: 'P.', registers: [registry] });
  plain.observe(1);
  const json = await summary.get();
  assert.equal(json.type, 'summary');
  assert.ok(seconds >= 0);
});

test('exemplar calls typed as in prom-client compile and run', async () => {
  const registry = new Registry(openMetricsContentType);
  const counter = new Counter({
    name: 'ex_c',
    help: 'C.',
    labelNames: ['method'],
    enableExemplars: true,
    registers: [registry],
  });
  const incData: IncreaseDataWithExemplar<'method'> = { labels: { method: 'GET' }, value: 2 };
  counter.inc(incData);
  counter.inc({ labels: { method: 'GET' }, value: 1, exemplarLabels: { traceId: 'abc' } });
  counter.inc({});
  const histogram = new Histogram({
    name: 'ex_h',
    help: 'H.',
    labelNames: ['route'],
    enableExemplars: true,
    registers: [registry],
  });
  const observeData: ObserveDataWithExemplar<'route'> = { value: 0.2, labels: { route: '/' } };
  histogram.observe(observeData);
  histogram.observe({ value: 0.3, exemplarLabels: { traceId: 'x' } });
  const end = histogram.startTimer({ route: '/' }, { traceId: 'y' });
  end({ route: '/' }, { spanId: 'z' });
  const internal: Histogram.Internal<'route'> = histogram.labels('/');
  internal.observe(1);
  const counterChild: Counter.Internal = counter.labels('GET');
  counterChild.inc();
  const gaugeChild: Gauge.Internal<'q'> = new Gauge({
    name: 'ex_g',
    help: 'G.',
    labelNames: ['q'],
    registers: [registry],
  }).labels('a');
  gaugeChild.set(1);
  assert.match(await registry.metrics(), /traceId="abc"/);
});

test('collectDefaultMetrics, Pushgateway, AggregatorRegistry and register calls typed as in prom-client compile and run', async () => {
  const registry = new Registry();
  const config: DefaultMetricsCollectorConfiguration<PrometheusContentType> = {
    register: registry,
    prefix: 'typed_',
    gcDurationBuckets: [0.01, 0.1],
    eventLoopMonitoringPrecision: 20,
    labels: { service: 'api' },
  };
  collectDefaultMetrics(config);
  const list: string[] = collectDefaultMetrics.metricsList;
  assert.ok(list.includes('gc'));
  const gateway = new Pushgateway('http://127.0.0.1:9', { timeout: 1000 }, registry);
  const gatewayDefault = new Pushgateway('http://127.0.0.1:9');
  const params: Pushgateway.Parameters = { jobName: 'j', groupings: { instance: 'i' } };
  // fetch refuses port 9 (discard): each call rejects with a PushRequestError.
  const calls: (() => Promise<{ resp?: unknown; body?: unknown }>)[] = [
    () => gateway.pushAdd(params),
    () => gateway.push({ jobName: 'j' }),
    () => gatewayDefault.delete({ jobName: 'j' }),
  ];
  for (const call of calls) await assert.rejects(call(), { name: 'PushRequestError' });
  const aggregator = new AggregatorRegistry<PrometheusContentType>();
  const aggregated: Registry<PrometheusContentType> = AggregatorRegistry.aggregate<PrometheusContentType>([
    await registry.getMetricsAsJSON(),
  ]);
  AggregatorRegistry.setRegistries(registry);
  AggregatorRegistry.setRegistries([registry, new Registry<OpenMetricsContentType>(openMetricsContentType)]);
  AggregatorRegistry.setRegistries(register);
  assert.equal(await aggregator.clusterMetrics(), '');
  assert.match(await aggregated.metrics(), /typed_nodejs_heap_size_total_bytes/);
  const typed: Registry<OpenMetricsContentType> = new Registry(openMetricsContentType);
  typed.setContentType(openMetricsContentType);
  const anyType: RegistryContentType = register.contentType;
  const staticTypes: string[] = [Registry.PROMETHEUS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE];
  assert.deepEqual(staticTypes, [prometheusContentType, openMetricsContentType]);
  assert.equal(anyType, prometheusContentType);
  const metric: Metric | undefined = register.getSingleMetric('nothing') as Metric | undefined;
  const aggregatorName: Aggregator = 'omit';
  assert.equal(metric, undefined);
  assert.equal(aggregatorName, 'omit');
  Registry.merge([registry, new Registry()]);
});
