/**
 * Prometheus 2.42 scraping the metrics endpoint: OpenMetrics without `_created` samples stores
 * as many series as protobuf (which carries created timestamps as fields, not series), and
 * `createdSamples: true` brings the extra series back.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { Counter, Histogram, Registry, Summary } from '../../src/index.js';
import { type MetricsHandlerOptions, metricsHandler } from '../../src/service/index.js';
import { waitFor } from '../helpers/processes.js';
import { startPrometheus } from '../helpers/prometheus.js';

function populate(): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'cs_requests_total',
    help: 'Requests.',
    labelNames: ['code'] as const,
    registry,
  });
  for (const code of ['200', '404', '500']) requests.inc({ code });
  const latency = new Histogram({
    name: 'cs_latency_seconds',
    help: 'Latency.',
    buckets: [0.1, 1],
    registry,
  });
  latency.observe(0.2);
  new Summary({ name: 'cs_size_bytes', help: 'Sizes.', registry }).observe(10);
  return registry;
}

/** Serves the registry, recording the Content-Type of every answer; returns the metrics URL. */
async function serve(
  t: TestContext,
  options: MetricsHandlerOptions,
  contentTypes: string[],
): Promise<string> {
  const handler = metricsHandler(populate(), options);
  const server = createServer((req, res) => {
    res.once('finish', () => contentTypes.push(String(res.getHeader('content-type'))));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** Prometheus' own prometheus_tsdb_head_series once three scrapes have been ingested. */
async function headSeries(base: string, contentTypes: readonly string[]): Promise<number> {
  await waitFor('three scrapes', async () => (contentTypes.length >= 3 ? true : undefined), 30_000);
  // Let the last scrape's append commit before reading the count.
  return waitFor('prometheus_tsdb_head_series', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = /^prometheus_tsdb_head_series (\S+)$/m.exec(text);
    return line === null ? undefined : Number(line[1]);
  });
}

async function scrapedSeries(
  t: TestContext,
  options: MetricsHandlerOptions,
  flags: readonly string[],
): Promise<{ series: number; contentType: string }> {
  const contentTypes: string[] = [];
  const url = await serve(t, options, contentTypes);
  const prometheus = await startPrometheus(t, url, flags);
  const series = await headSeries(prometheus.base, contentTypes);
  return { series, contentType: contentTypes.at(-1)! };
}

test('OpenMetrics and protobuf scrapes store the same number of series; createdSamples adds the _created ones', async (t) => {
  const openMetrics = await scrapedSeries(t, {}, []);
  assert.match(openMetrics.contentType, /^application\/openmetrics-text/);
  const protobuf = await scrapedSeries(t, {}, ['--enable-feature=native-histograms']);
  assert.match(protobuf.contentType, /^application\/vnd\.google\.protobuf/);
  t.diagnostic(`head series: OpenMetrics ${openMetrics.series}, protobuf ${protobuf.series}`);
  assert.equal(openMetrics.series, protobuf.series);
  const withCreated = await scrapedSeries(t, { createdSamples: true }, []);
  // One _created series per counter series (3), histogram (1) and summary (1).
  t.diagnostic(`head series with createdSamples: ${withCreated.series}`);
  assert.equal(withCreated.series, openMetrics.series + 5);
});
