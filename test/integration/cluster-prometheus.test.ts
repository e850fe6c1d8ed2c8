import assert from 'node:assert/strict';
import { get } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBinary, freePort, startProcess, waitFor } from '../helpers/processes.js';
import { scalarOrUndefined, startPrometheus } from '../helpers/prometheus.js';

const primary = join(import.meta.dirname, '..', 'fixtures', 'cluster', 'primary.ts');
const REQUESTS = 90;

/** One request on a fresh connection, so the cluster spreads them over its workers. */
function hit(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(body.trim()));
    }).on('error', reject);
  });
}

test('Prometheus scraping the cluster primary sees the total of requests served by every worker', async (t) => {
  const prometheus = findBinary('prometheus');
  if (prometheus === undefined) {
    t.skip('prometheus is not installed');
    return;
  }
  const [appPort, metricsPort] = [await freePort(), await freePort()];
  const cluster = startProcess(t, 'env', [
    'WORKERS=3',
    `APP_PORT=${appPort}`,
    `METRICS_PORT=${metricsPort}`,
    process.execPath,
    '--import',
    'tsx',
    primary,
  ]);
  await waitFor(
    'three workers answering the primary',
    async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      return (await res.text()).includes('aioprometheus_cluster_workers{state="answered"} 3')
        ? true
        : undefined;
    },
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${cluster.output()}`);
  });

  const servedBy = new Set<string>();
  for (let i = 0; i < REQUESTS; i++) servedBy.add(await hit(appPort));
  assert.ok(servedBy.size >= 2, `all requests went to one worker: ${[...servedBy].join(', ')}`);

  const prom = await startPrometheus(t, `http://127.0.0.1:${metricsPort}/metrics`, []);
  const total = await waitFor(
    'Prometheus to report every request',
    async () => {
      const value = await scalarOrUndefined(prom.base, 'sum(app_requests_total{job="aioprometheus"})');
      return value === REQUESTS ? value : undefined;
    },
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${prom.output().slice(-2000)}`);
  });
  assert.equal(total, REQUESTS);
  const value = (promql: string) => scalarOrUndefined(prom.base, promql);
  assert.equal(await value('app_latency_seconds_count{job="aioprometheus"}'), REQUESTS);
  assert.equal(await value('app_latency_seconds_bucket{job="aioprometheus",le="+Inf"}'), REQUESTS);
  assert.equal(await value('started_total{job="aioprometheus"}'), 30);
  assert.equal(await value('alive{job="aioprometheus"}'), 3);
  assert.equal(await value('up{job="aioprometheus"}'), 1);
});
