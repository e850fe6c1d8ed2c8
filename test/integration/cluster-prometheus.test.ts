import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBinary, freePort, startProcess, tempDir, waitFor } from '../helpers/processes.js';

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

async function query(promPort: number, expr: string): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const json = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
  const value = json.data?.result?.[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

test('Prometheus scraping the cluster primary sees the total of requests served by every worker', async (t) => {
  const prometheus = findBinary('prometheus');
  if (prometheus === undefined) {
    t.skip('prometheus is not installed');
    return;
  }
  const [appPort, metricsPort, promPort] = [await freePort(), await freePort(), await freePort()];
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
    30_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${cluster.output()}`);
  });

  const servedBy = new Set<string>();
  for (let i = 0; i < REQUESTS; i++) servedBy.add(await hit(appPort));
  assert.ok(servedBy.size >= 2, `all requests went to one worker: ${[...servedBy].join(', ')}`);

  const dir = await tempDir(t, 'cluster-prom');
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: cluster',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${metricsPort}']`,
      '',
    ].join('\n'),
  );
  const prom = startProcess(t, prometheus, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  const total = await waitFor(
    'Prometheus to report every request',
    async () => {
      const value = await query(promPort, 'sum(app_requests_total{job="cluster"})');
      return value === REQUESTS ? value : undefined;
    },
    40_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${prom.output().slice(-2000)}`);
  });
  assert.equal(total, REQUESTS);
  assert.equal(await query(promPort, 'app_latency_seconds_count{job="cluster"}'), REQUESTS);
  assert.equal(await query(promPort, 'app_latency_seconds_bucket{job="cluster",le="+Inf"}'), REQUESTS);
  assert.equal(await query(promPort, 'started_total{job="cluster"}'), 30);
  assert.equal(await query(promPort, 'alive{job="cluster"}'), 3);
  assert.equal(await query(promPort, 'up{job="cluster"}'), 1);
});
