/**
 * A real Prometheus for integration tests: started on a free port with a 1 s scrape of one
 * target, killed when the test ends, and queried through its HTTP API.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findBinary, freePort, startProcess, tempDir, waitFor } from './processes.js';

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A running Prometheus: its base URL and its output so far, for error messages. */
export interface RunningPrometheus {
  readonly base: string;
  output(): string;
}

/** Extra settings of the scrape job. */
export interface ScrapeJobOptions {
  /** YAML lines added to the job, indented as job keys (e.g. `    basic_auth:`). */
  readonly jobLines?: readonly string[];
  /** Wait until a scrape succeeded (default), or only until the first scrape was tried. */
  readonly expectUp?: boolean;
}

/**
 * Starts Prometheus scraping `metricsUrl` (http or https) every second (job "aioprometheus")
 * with extra command line `flags`, and waits (bounded) until a scrape succeeded.
 */
export async function startPrometheus(
  t: TestContext,
  metricsUrl: string,
  flags: readonly string[],
  job: ScrapeJobOptions = {},
): Promise<RunningPrometheus> {
  const target = new URL(metricsUrl);
  return launch(
    t,
    'prometheus',
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: aioprometheus',
      `    metrics_path: ${target.pathname}`,
      `    scheme: ${target.protocol.slice(0, -1)}`,
      ...(job.jobLines ?? []),
      '    static_configs:',
      `      - targets: ['${target.host}']`,
      '',
    ],
    flags,
    'Prometheus to scrape the service successfully',
    120_000,
    async (base) => {
      const up = await query(base, 'up{job="aioprometheus"}');
      if (job.expectUp === false) return up.length > 0;
      return up[0]?.value[1] === '1';
    },
  );
}

/** Runs an instant query; fails the test unless Prometheus answers with success. */
export async function query(base: string, promql: string): Promise<VectorSample[]> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const json = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: VectorSample[] };
  };
  assert.equal(json.status, 'success', `${promql}: ${json.error ?? ''}`);
  return json.data.result;
}

/** The value of a query that returns exactly one sample, or undefined while it returns none. */
export async function scalarOrUndefined(base: string, promql: string): Promise<number | undefined> {
  const result = await query(base, promql);
  if (result.length === 0) return undefined;
  assert.equal(result.length, 1, `${promql} → ${JSON.stringify(result)}`);
  return Number(result[0]!.value[1]);
}

export interface StoredExemplar {
  readonly labels: Record<string, string>;
  readonly value: string;
  readonly timestamp: number;
}

export interface ExemplarSeries {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: readonly StoredExemplar[];
}

/** The exemplars Prometheus stored for the series that `promql` selects, over the last and next hour. */
export async function queryExemplars(base: string, promql: string): Promise<ExemplarSeries[]> {
  const now = Date.now() / 1000;
  const url = `${base}/api/v1/query_exemplars?query=${encodeURIComponent(promql)}&start=${now - 3600}&end=${now + 3600}`;
  const json = (await (await fetch(url)).json()) as {
    status: string;
    error?: string;
    data: ExemplarSeries[];
  };
  assert.equal(json.status, 'success', `${promql}: ${json.error ?? ''}`);
  return json.data;
}

/**
 * Starts Prometheus as a remote-write receiver only (`--web.enable-remote-write-receiver`, no
 * scrape targets) with extra `flags`, and waits (bounded) until it is ready. Its write URL is
 * `${base}/api/v1/write`.
 */
export async function startPrometheusReceiver(
  t: TestContext,
  flags: readonly string[],
): Promise<RunningPrometheus> {
  return launch(
    t,
    'prometheus-rw',
    ['global:', '  scrape_interval: 1m', ''],
    ['--web.enable-remote-write-receiver', ...flags],
    'Prometheus to be ready',
    30_000,
    async (base) => {
      const response = await fetch(`${base}/-/ready`);
      await response.text();
      return response.status === 200;
    },
  );
}

/**
 * Starts Prometheus on a free port with `configLines` as its configuration and extra `flags`,
 * and waits (bounded by `timeoutMs`) until `ready`; fails at once when Prometheus exits.
 */
async function launch(
  t: TestContext,
  dirPrefix: string,
  configLines: readonly string[],
  flags: readonly string[],
  what: string,
  timeoutMs: number,
  ready: (base: string) => Promise<boolean>,
): Promise<RunningPrometheus> {
  const binary = findBinary('prometheus');
  assert.ok(binary, 'prometheus is not installed');
  const dir = await tempDir(t, dirPrefix);
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, configLines.join('\n'));
  const port = await freePort();
  const prometheus = startProcess(t, binary, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    ...flags,
  ]);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    what,
    async () => {
      if (prometheus.child.exitCode !== null) throw new Error(`prometheus exited: ${prometheus.output()}`);
      return (await ready(base)) ? true : undefined;
    },
    timeoutMs,
  );
  return { base, output: prometheus.output };
}
