/**
 * Compile-time checks of the typed label API. `npm run typecheck` fails if any
 * `@ts-expect-error` line stops being an error; the test body only checks that the valid calls run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Gauge, Histogram, Summary } from '../../src/index.js';

const requests = new Counter({
  name: 't_requests_total',
  help: 'h',
  labelNames: ['method', 'code'] as const,
  registry: null,
});
const jobs = new Counter({ name: 't_jobs_total', help: 'h', registry: null });
const temp = new Gauge({ name: 't_temp', help: 'h', labelNames: ['room'] as const, registry: null });
const latency = new Histogram({
  name: 't_latency',
  help: 'h',
  labelNames: ['route'] as const,
  registry: null,
});
const size = new Summary({ name: 't_size', help: 'h', registry: null });

function compileErrors(): void {
  // @ts-expect-error a missing label
  requests.inc({ method: 'GET' });
  // @ts-expect-error an extra label
  requests.inc({ method: 'GET', code: '200', path: '/' });
  // @ts-expect-error a misspelt label
  requests.inc({ method: 'GET', cdoe: '200' });
  // @ts-expect-error labels are required on a labelled metric
  requests.inc();
  // @ts-expect-error a label argument on a metric without labels
  jobs.inc({ method: 'GET' });
  // @ts-expect-error labels() takes nothing on a metric without labels
  jobs.labels({ a: '1' });
  // @ts-expect-error a label value must be a string or a number
  requests.labels({ method: true, code: '200' });
  // @ts-expect-error gauge set needs a value
  temp.set({ room: 'a' });
  // @ts-expect-error a misspelt label on a histogram
  latency.observe({ rout: '/' }, 1);
  // @ts-expect-error summary without labels takes the value only
  size.observe({ a: '1' }, 2);
  // @ts-expect-error get() on a labelled metric needs the labels
  requests.get();
  // @ts-expect-error remove() needs the full label set
  requests.remove({ method: 'GET' });
  // @ts-expect-error startTimer's end() rejects unknown labels
  latency.startTimer()({ status: '200' });
  // @ts-expect-error exemplar label values are strings
  requests.inc({ method: 'GET', code: '200' }, 1, { trace_id: 1 });
  // @ts-expect-error the exemplar comes after the amount
  jobs.inc({ trace_id: 'a' });
  // @ts-expect-error an exemplar is an object of strings, not a string
  latency.observe({ route: '/' }, 1, 'abc');
  // @ts-expect-error summaries take no exemplars (OpenMetrics allows none on them)
  size.observe(1, { trace_id: 'a' });
  // @ts-expect-error native histogram options are checked
  new Histogram({ name: 't_n', help: 'h', registry: null, native: { bucketFactr: 1.1 } });
}

test('valid calls type-check and run', () => {
  requests.inc({ method: 'GET', code: 200 });
  requests.inc({ method: 'GET', code: '200' }, 2);
  requests.labels({ method: 'GET', code: '200' }).inc();
  jobs.inc();
  jobs.inc(2);
  temp.set({ room: 'a' }, 21);
  latency.observe({ route: '/' }, 0.1);
  latency.startTimer({ route: '/x' })();
  size.observe(3);
  requests.inc({ method: 'GET', code: '200' }, 1, { trace_id: 'abc' });
  requests.labels({ method: 'GET', code: '200' }).inc(1, { trace_id: 'abc' });
  jobs.inc(1, { trace_id: 'abc' });
  latency.observe({ route: '/' }, 0.1, { trace_id: 'abc' });
  latency.labels({ route: '/' }).observe(0.1, { trace_id: 'abc' });
  const nativeLatency = new Histogram({ name: 't_native', help: 'h', registry: null, native: true });
  nativeLatency.observe(0.1, { trace_id: 'abc' });
  const value: number | undefined = requests.get({ method: 'GET', code: '200' });
  const total: number = jobs.get();
  assert.equal(value, 6);
  assert.equal(total, 4);
  assert.equal(typeof compileErrors, 'function');
});
