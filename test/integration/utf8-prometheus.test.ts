/**
 * Prometheus 2.42 sends no `escaping=` parameter, so metrics with UTF-8 names reach it with their
 * names underscore-escaped: it scrapes them (OpenMetrics by default, protobuf with native
 * histograms on) and stores the escaped names with the values we exposed.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from '../../src/index.js';
import { Service } from '../../src/service/index.js';
import { findBinary, freePort } from '../helpers/processes.js';
import { query, startPrometheus } from '../helpers/prometheus.js';

const PROMETHEUS = findBinary('prometheus');

async function scrapeUtf8Names(t: TestContext, flags: readonly string[]): Promise<string> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http.server.requests',
    help: 'Requests.',
    labelNames: ['http.method', 'url.scheme'] as const,
    registry,
  });
  requests.inc({ 'http.method': 'GET', 'url.scheme': 'https' }, 3);
  requests.inc({ 'http.method': 'POST', 'url.scheme': 'http' });
  new Gauge({ name: 'queue.depth', help: 'Depth.', registry }).set(7);
  const duration = new Histogram({
    name: 'http.server.request.duration',
    help: 'Duration.',
    buckets: [0.5],
    registry,
  });
  duration.observe(0.2);
  const service = new Service({ registry });
  await service.start({ host: '127.0.0.1', port: await freePort() });
  t.after(() => service.stop());
  const { base } = await startPrometheus(t, service.metricsUrl, flags);
  return base;
}

async function assertEscapedSeries(base: string): Promise<void> {
  const requests = await query(base, 'http_server_requests_total');
  const byMethod = Object.fromEntries(requests.map((s) => [s.metric.http_method, Number(s.value[1])]));
  assert.deepEqual(byMethod, { GET: 3, POST: 1 });
  assert.deepEqual(requests.map((s) => s.metric.url_scheme).sort(), ['http', 'https']);
  assert.equal(Number((await query(base, 'queue_depth'))[0]?.value[1]), 7);
  assert.equal(Number((await query(base, 'http_server_request_duration_count'))[0]?.value[1]), 1);
}

describe('Prometheus 2.42 and UTF-8 names', {
  skip: PROMETHEUS === undefined && 'prometheus is not installed',
}, () => {
  test('OpenMetrics scrape: names arrive underscore-escaped', async (t) => {
    await assertEscapedSeries(await scrapeUtf8Names(t, []));
  });

  test('protobuf scrape (native histograms on): names arrive underscore-escaped', async (t) => {
    await assertEscapedSeries(await scrapeUtf8Names(t, ['--enable-feature=native-histograms']));
  });
});
