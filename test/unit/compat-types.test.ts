// Calls written as prom-client's typings allow them, type-checked by tsc against the layer and run
// once so they are real calls. Covers the Registry, Counter, Gauge and Histogram part of its API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Counter,
  exponentialBuckets,
  Gauge,
  Histogram,
  type LabelValues,
  linearBuckets,
  openMetricsContentType,
  Registry,
} from '../../src/compat/index.js';

test('calls typed as in prom-client compile and run', async () => {
  const registry = new Registry();
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
