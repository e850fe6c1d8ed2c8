/**
 * A real Prometheus (2.42) scrapes our Service, once with default flags (it negotiates
 * OpenMetrics) and once with native histograms enabled (it negotiates protobuf). The values it
 * stored are read back through its query API and compared with what we exposed.
 */
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, type TestContext, test } from 'node:test';
import {
  Counter,
  Gauge,
  Histogram,
  type MetricFamily,
  PROTOBUF_CONTENT_TYPE,
  Registry,
  Summary,
} from '../../src/index.js';
import { Service } from '../../src/service/index.js';
import { findBinary, freePort, run } from '../helpers/processes.js';
import { query, scalarOrUndefined, startPrometheus } from '../helpers/prometheus.js';

const PROMTOOL = findBinary('promtool');

/** Label values a naive writer or parser gets wrong. */
const PATHS = {
  plain: 3,
  'say "hi"': 2,
  'C:\\dir\\': 1,
  'two\nlines': 4,
  'ünïcødé 日本語 🚀': 5.5,
} as const;

function populate(): { registry: Registry; summary: Summary } {
  const registry = new Registry();
  const requests = new Counter({
    name: 'it_requests_total',
    help: 'Requests by path.',
    labelNames: ['path'] as const,
    registry,
  });
  for (const [path, value] of Object.entries(PATHS)) requests.inc({ path }, value);
  new Gauge({ name: 'it_temperature_celsius', help: 'A temperature.', registry }).set(-12.5);
  const latency = new Histogram({
    name: 'it_latency_seconds',
    help: 'Latency.',
    buckets: [0.1, 0.5, 1],
    registry,
  });
  for (const v of [0.05, 0.2, 0.3, 0.7, 2]) latency.observe(v);
  const summary = new Summary({ name: 'it_size_bytes', help: 'Sizes.', registry });
  for (let i = 1; i <= 100; i++) summary.observe(i * 10);
  return { registry, summary };
}

interface Scrape {
  readonly accept: string;
  readonly contentType: string;
}

/** Records the Accept header and the Content-Type of every response our HTTP servers send. */
function recordResponses(t: TestContext): Scrape[] {
  const scrapes: Scrape[] = [];
  const onFinish = (message: unknown): void => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!request.url?.startsWith('/metrics')) return;
    scrapes.push({
      accept: request.headers.accept ?? '',
      contentType: String(response.getHeader('content-type')),
    });
  };
  subscribe('http.server.response.finish', onFinish);
  t.after(() => unsubscribe('http.server.response.finish', onFinish));
  return scrapes;
}

/** `label value → sample value` for a query whose results differ in one label. */
async function byLabel(base: string, promql: string, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await query(base, promql)) out[s.metric[label] ?? ''] = Number(s.value[1]);
  return out;
}

async function scalar(base: string, promql: string): Promise<number> {
  const value = await scalarOrUndefined(base, promql);
  assert.ok(value !== undefined, `${promql} returned no sample`);
  return value;
}

/** Sample lines of a text or OpenMetrics exposition: what Prometheus counts as scraped samples. */
function countTextSamples(body: string): number {
  return body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

/**
 * Samples Prometheus 2.42 reads from a protobuf exposition of classic data: one per counter,
 * gauge or untyped point; quantiles plus `_sum` and `_count` per summary; buckets plus +Inf,
 * `_sum` and `_count` per histogram. Created timestamps are not samples there.
 */
function countProtobufSamples(families: readonly MetricFamily[]): number {
  let n = 0;
  for (const f of families) {
    for (const p of f.points) {
      if ('quantiles' in p) n += p.quantiles.length + 2;
      else if ('upperBounds' in p) n += p.upperBounds.length + 3;
      else n += 1;
    }
  }
  return n;
}

async function scrapeWithPrometheus(
  t: TestContext,
  flags: readonly string[],
): Promise<{ base: string; scrapes: Scrape[]; service: Service; summary: Summary; registry: Registry }> {
  const { registry, summary } = populate();
  const scrapes = recordResponses(t);
  const service = new Service({ registry });
  await service.start({ host: '127.0.0.1', port: await freePort() });
  t.after(() => service.stop());

  const { base } = await startPrometheus(t, service.metricsUrl, flags);
  return { base, scrapes, service, summary, registry };
}

async function assertStoredValues(base: string, summary: Summary, le: readonly string[]): Promise<void> {
  assert.deepEqual(await byLabel(base, 'it_requests_total', 'path'), PATHS);
  assert.equal(await scalar(base, 'it_temperature_celsius'), -12.5);
  assert.deepEqual(await byLabel(base, 'it_latency_seconds_bucket', 'le'), {
    [le[0]!]: 1,
    [le[1]!]: 3,
    [le[2]!]: 4,
    '+Inf': 5,
  });
  assert.equal(await scalar(base, 'it_latency_seconds_sum'), 3.25);
  assert.equal(await scalar(base, 'it_latency_seconds_count'), 5);
  const expected = summary.get();
  const quantiles = await byLabel(base, 'it_size_bytes', 'quantile');
  assert.deepEqual(
    quantiles,
    Object.fromEntries(expected.quantiles.map((q) => [String(q.quantile), q.value])),
  );
  assert.equal(await scalar(base, 'it_size_bytes_sum'), 50_500);
  assert.equal(await scalar(base, 'it_size_bytes_count'), 100);
  assert.equal(await scalar(base, 'up{job="aioprometheus"}'), 1);
}

describe('a real Prometheus scraping the Service', () => {
  test('negotiates OpenMetrics by default and stores exact values', async (t) => {
    const { base, scrapes, service, summary } = await scrapeWithPrometheus(t, []);
    const served = scrapes.find((s) => s.accept.startsWith('application/openmetrics-text'));
    assert.ok(served, `scrapes seen: ${JSON.stringify(scrapes)}`);
    assert.equal(
      served.contentType,
      'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
    );
    assert.ok(scrapes.every((s) => s.contentType === served.contentType));
    await assertStoredValues(base, summary, ['0.1', '0.5', '1.0']);
    const body = await (await fetch(service.metricsUrl, { headers: { Accept: served.accept } })).text();
    assert.equal(await scalar(base, 'scrape_samples_scraped{job="aioprometheus"}'), countTextSamples(body));
  });

  test('negotiates protobuf with native histograms enabled and stores exact values', async (t) => {
    const { base, scrapes, summary, registry } = await scrapeWithPrometheus(t, [
      '--enable-feature=native-histograms',
    ]);
    const served = scrapes.find((s) => s.accept.startsWith('application/vnd.google.protobuf'));
    assert.ok(served, `scrapes seen: ${JSON.stringify(scrapes)}`);
    assert.equal(served.contentType, `${PROTOBUF_CONTENT_TYPE}; escaping=underscores`);
    assert.ok(scrapes.every((s) => s.contentType === served.contentType));
    await assertStoredValues(base, summary, ['0.1', '0.5', '1.0']);
    assert.equal(
      await scalar(base, 'scrape_samples_scraped{job="aioprometheus"}'),
      countProtobufSamples(await registry.collect()),
    );
  });
});

test('promtool check metrics finds nothing to complain about in our text output', async () => {
  assert.ok(PROMTOOL, 'promtool is not installed');
  const { registry } = populate();
  const service = new Service({ registry });
  await service.start({ port: 0 });
  try {
    const body = await (await fetch(service.metricsUrl)).text();
    assert.match(body, /^# TYPE it_requests_total counter$/m);
    const result = await run(PROMTOOL, ['check', 'metrics'], body);
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  } finally {
    await service.stop();
  }
});
