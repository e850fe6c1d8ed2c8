/**
 * The package on every runtime it promises: Bun and Deno (from their npm packages) and Cloudflare's
 * workerd run one shared scenario (every metric type), bundled as a user's bundler would. Their
 * renders in all three formats must equal Node's, parse back (protobuf decoded by the runtime
 * itself, text checked by promtool, OpenMetrics parsed by prometheus_client), and be served over
 * HTTP by `metricsResponse` on each runtime's own server; Bun and Deno also serve them with the
 * Service and expose exactly the default metrics their runtime really measures; each runtime
 * pushes to a real Pushgateway (the Worker from `ctx.waitUntil`).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseProtobuf } from '../../src/exposition/index.js';
import type { MetricFamily } from '../../src/index.js';
import {
  findBinary,
  findPythonClient,
  freePort,
  run,
  type Started,
  startProcess,
  tempDir,
  waitFor,
} from '../helpers/processes.js';
import { pushgatewayGroups, startPushgateway } from '../helpers/pushgateway.js';
import { type DefaultFamily, type Renders, renderAll, scenarioRegistry } from '../runtimes/scenario.js';

const BIN = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url));
const RUNTIMES_DIR = fileURLToPath(new URL('../runtimes/', import.meta.url));
const PARSER = fileURLToPath(new URL('../fixtures/parse_openmetrics.py', import.meta.url));

interface ServerRuntimeReport {
  readonly runtime: string;
  readonly renders: Renders;
  /** The runtime's own decoding of its protobuf render. */
  readonly decoded: readonly MetricFamily[];
  readonly defaultFamilies: readonly DefaultFamily[];
  readonly serviceUrl: string;
  /** Where the runtime's own server (Bun.serve, Deno.serve) answers with `metricsResponse`. */
  readonly fetchUrl: string;
  readonly pushed: boolean;
}

const TEXT = 'text/plain;version=0.0.4';
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0';
const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

async function bundle(t: TestContext, entry: string, platform: 'node' | 'neutral'): Promise<string> {
  const dir = await tempDir(t, 'runtime-bundle');
  const outfile = join(dir, 'bundle.mjs');
  await build({
    entryPoints: [join(RUNTIMES_DIR, entry)],
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    outfile,
    logLevel: 'silent',
    ...(platform === 'neutral'
      ? { conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'] }
      : {}),
  });
  return outfile;
}

/**
 * Summary quantiles come from logarithms, and engines differ in the last bits of `Math.log`
 * (JavaScriptCore against V8), so those values are compared to 1e-12 relative; every other value,
 * and every byte around them, must be identical.
 */
function quantilesApart(text: string): { text: string; quantiles: number[] } {
  const quantiles: number[] = [];
  const rest = text.replace(
    /^(\S*\{[^\n]*quantile="[^"]*"\}) (\S+)$/gm,
    (_, series: string, value: string) => {
      quantiles.push(Number(value));
      return `${series} <quantile>`;
    },
  );
  return { text: rest, quantiles };
}

function assertSameText(actual: string, expected: string, what: string): void {
  const a = quantilesApart(actual);
  const e = quantilesApart(expected);
  assert.equal(a.text, e.text, what);
  assert.equal(a.quantiles.length, e.quantiles.length);
  for (const [i, q] of a.quantiles.entries()) assertClose(q, e.quantiles[i]!, `${what}: quantile ${i}`);
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

/** Created timestamps and summary quantiles as above; the rest of the decoded families must be equal. */
function comparable(families: readonly MetricFamily[]): { rest: unknown; quantiles: number[] } {
  const quantiles: number[] = [];
  const rest = JSON.parse(
    JSON.stringify(families, (key, value: unknown) => {
      if (key === 'created') return undefined;
      if (key === 'quantiles' && Array.isArray(value)) {
        for (const q of value as { value: number }[]) quantiles.push(q.value);
        return (value as { quantile: number }[]).map((q) => q.quantile);
      }
      return value;
    }),
  ) as unknown;
  return { rest, quantiles };
}

function assertSameRenders(actual: Renders, expected: Renders, runtime: string): void {
  assertSameText(actual.text, expected.text, `${runtime}: text 0.0.4 equals Node's`);
  const dropCreated = (s: string) => s.replace(/^[a-zA-Z_:][a-zA-Z0-9_:]*_created[{ ][^\n]*\n/gm, '');
  assertSameText(
    dropCreated(actual.openmetrics),
    dropCreated(expected.openmetrics),
    `${runtime}: OpenMetrics`,
  );
  const decode = (b64: string) => comparable(parseProtobuf(new Uint8Array(Buffer.from(b64, 'base64'))));
  const a = decode(actual.protobuf);
  const e = decode(expected.protobuf);
  assert.deepEqual(a.rest, e.rest, `${runtime}: protobuf decodes to Node's families`);
  for (const [i, q] of a.quantiles.entries())
    assertClose(q, e.quantiles[i]!, `${runtime}: protobuf quantile ${i}`);
}

/** Scrapes `url` in each format, as Prometheus would, checking each Content-Type. */
async function scrapeAll(url: string, what: string): Promise<Renders> {
  const scrape = async (accept: string, type: RegExp): Promise<Response> => {
    const response = await fetch(url, { headers: { accept } });
    assert.equal(response.status, 200, `${what}: ${accept}`);
    assert.match(response.headers.get('content-type') ?? '', type, `${what}: Content-Type for ${accept}`);
    return response;
  };
  const text = await (await scrape(TEXT, /^text\/plain; version=0\.0\.4/)).text();
  const openmetrics = await (
    await scrape(OPENMETRICS, /^application\/openmetrics-text; version=1\.0\.0/)
  ).text();
  const protobuf = await (await scrape(PROTOBUF, /^application\/vnd\.google\.protobuf;/)).arrayBuffer();
  return { text, openmetrics, protobuf: Buffer.from(protobuf).toString('base64') };
}

/** The runtime's decoding of its own protobuf render equals Node's decoding of Node's. */
function assertDecodedLikeNode(decoded: readonly MetricFamily[], runtime: string): void {
  const a = comparable(decoded);
  const e = comparable(parseProtobuf(new Uint8Array(Buffer.from(expected.protobuf, 'base64'))));
  assert.deepEqual(a.rest, e.rest, `${runtime}: its own protobuf decoding`);
  for (const [i, q] of a.quantiles.entries())
    assertClose(q, e.quantiles[i]!, `${runtime}: decoded quantile ${i}`);
}

/**
 * The outside parsers accept the runtime's renders: promtool checks the text with nothing to
 * report, and prometheus_client's strict parser reads the OpenMetrics back to Node's samples.
 */
async function assertParsedBack(t: TestContext, renders: Renders, runtime: string): Promise<void> {
  const promtool = findBinary('promtool');
  if (promtool === undefined) t.diagnostic('promtool is not installed: the text check is skipped');
  else {
    const checked = await run(promtool, ['check', 'metrics'], renders.text);
    assert.equal(`${checked.stdout}${checked.stderr}`, '', `${runtime}: promtool check metrics`);
    assert.equal(checked.code, 0);
  }
  const python = await findPythonClient();
  if (python === undefined) {
    t.diagnostic('python3-prometheus-client is not installed: the OpenMetrics parse is skipped');
    return;
  }
  const parsed = await run(python, [PARSER], JSON.stringify([renders.openmetrics, expected.openmetrics]));
  assert.equal(parsed.code, 0, parsed.stderr);
  const [actual, node] = (
    JSON.parse(parsed.stdout) as { error?: string; samples?: [string, Record<string, string>, string][] }[]
  ).map((r) => {
    assert.equal(r.error, undefined, `${runtime}: prometheus_client parses the OpenMetrics`);
    // Created timestamps are the times the scenario ran; summary quantiles are compared above.
    return r.samples!.filter(([name, labels]) => !name.endsWith('_created') && labels.quantile === undefined);
  });
  assert.ok(actual!.length > 10, `${runtime}: ${actual!.length} samples parsed`);
  assert.deepEqual(actual, node, `${runtime}: OpenMetrics parses back to Node's samples`);
}

/** The default metrics Bun and Deno really measure (see docs/default-metrics.md); nothing else. */
const PROCESS_FAMILIES = [
  'process_cpu_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_user_seconds_total',
  'process_heap_bytes',
  'process_max_fds',
  'process_open_fds',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'process_virtual_memory_bytes',
];
const LAG_FAMILIES = ['', '_max', '_mean', '_min', '_p50', '_p90', '_p99', '_stddev'].map(
  (s) => `nodejs_eventloop_lag${s}_seconds`,
);
const COMMON_FAMILIES = [
  ...PROCESS_FAMILIES,
  ...LAG_FAMILIES,
  'nodejs_external_memory_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_version_info',
];
const DEFAULT_FAMILIES: Readonly<Record<'bun' | 'deno', readonly string[]>> = {
  bun: COMMON_FAMILIES,
  deno: [
    ...COMMON_FAMILIES,
    'nodejs_active_handles',
    'nodejs_active_handles_total',
    'nodejs_active_resources',
    'nodejs_active_resources_total',
    'nodejs_heap_space_size_available_bytes',
    'nodejs_heap_space_size_total_bytes',
    'nodejs_heap_space_size_used_bytes',
  ],
};

function assertDefaultMetrics(families: readonly DefaultFamily[], runtime: 'bun' | 'deno'): void {
  assert.deepEqual(
    families.map((f) => f.name).sort(),
    [...DEFAULT_FAMILIES[runtime]].sort(),
    `${runtime}: exactly the default metrics it measures`,
  );
  const byName = new Map(families.map((f) => [f.name, f]));
  const value = (name: string): number => {
    const v = byName.get(name)?.value;
    assert.ok(typeof v === 'number' && Number.isFinite(v), `${runtime}: ${name} = ${String(v)}`);
    return v;
  };
  const now = Date.now() / 1000;
  const started = value('process_start_time_seconds');
  assert.ok(started <= now + 1 && started > now - 600, `${runtime}: started ${now - started} s ago`);
  assert.ok(value('process_cpu_seconds_total') > 0, `${runtime}: CPU time`);
  const cpu = value('process_cpu_user_seconds_total') + value('process_cpu_system_seconds_total');
  assert.ok(Math.abs(value('process_cpu_seconds_total') - cpu) < 1e-6, `${runtime}: CPU = user + system`);
  assert.ok(value('process_resident_memory_bytes') > 1e6, `${runtime}: resident memory`);
  assert.ok(value('process_virtual_memory_bytes') >= value('process_resident_memory_bytes'));
  assert.ok(value('process_open_fds') >= 3, `${runtime}: open descriptors`);
  assert.ok(value('process_max_fds') >= value('process_open_fds'));
  assert.ok(value('nodejs_heap_size_used_bytes') > 0, `${runtime}: heap in use`);
  assert.ok(value('nodejs_heap_size_total_bytes') >= value('nodejs_heap_size_used_bytes'));
  for (const name of LAG_FAMILIES) {
    assert.ok(value(name) >= 0 && value(name) < 10, `${runtime}: ${name} = ${value(name)}`);
  }
  assert.ok(value('nodejs_eventloop_lag_max_seconds') > 0, `${runtime}: the delay monitor has samples`);
  assert.ok(value('nodejs_eventloop_lag_max_seconds') >= value('nodejs_eventloop_lag_min_seconds'));
  const version = byName.get('nodejs_version_info')!;
  assert.equal(version.value, 1);
  assert.match(
    version.labels.version ?? '',
    /^v\d+\.\d+\.\d+$/,
    `${runtime}: the Node.js version it implements`,
  );
  if (runtime === 'deno') {
    const spaces = byName.get('nodejs_heap_space_size_used_bytes')!;
    assert.ok(spaces.series > 3, `${runtime}: ${spaces.series} heap spaces`);
    // The listening Service is one of them.
    assert.ok(value('nodejs_active_handles_total') >= 1, `${runtime}: active handles`);
    assert.ok(value('nodejs_active_resources_total') >= 1, `${runtime}: active resources`);
  }
}

/** Waits for the first JSON line the process prints. */
async function firstJsonLine<T>(started: Started, what: string, timeoutMs = 60_000): Promise<T> {
  return waitFor(
    `${what} to report (${started.output().slice(-2000)})`,
    async () => {
      if (started.child.exitCode !== null) throw new Error(`exited with ${started.child.exitCode}`);
      const line = started
        .output()
        .split('\n')
        .find((l) => l.startsWith('{'));
      return line === undefined ? undefined : (JSON.parse(line) as T);
    },
    timeoutMs,
  );
}

async function assertPushed(gateway: string, job: string): Promise<void> {
  const group = await waitFor(`the ${job} group on the Pushgateway`, async () =>
    (await pushgatewayGroups(gateway)).find((g) => g.labels.job === job),
  );
  assert.ok('smoke_requests_total' in group, `${job}: the pushed group holds the counter`);
  const text = await (await fetch(`${gateway}/metrics`)).text();
  assert.match(
    text,
    new RegExp(`^smoke_requests_total\\{code="500",instance="",job="${job}",path="naïve ☃"\\} 1$`, 'm'),
  );
  assert.match(text, new RegExp(`^smoke_latency_seconds_count\\{instance="",job="${job}"\\} 4$`, 'm'));
}

const expected = await renderAll(scenarioRegistry());

for (const runtime of ['bun', 'deno'] as const) {
  test(`${runtime}: renders parsed back, default metrics, the Service, metricsResponse and a push`, async (t) => {
    const gateway = await startPushgateway(t);
    const script = await bundle(t, 'server-runtime.ts', 'node');
    const args = runtime === 'bun' ? [script] : ['run', '--allow-all', '--quiet', script];
    const started = startProcess(t, join(BIN, runtime), args, { SMOKE_PUSHGATEWAY: gateway });
    const report = await firstJsonLine<ServerRuntimeReport>(started, runtime);
    assert.equal(report.runtime, runtime);
    assertSameRenders(report.renders, expected, runtime);
    assertDecodedLikeNode(report.decoded, runtime);
    await assertParsedBack(t, report.renders, runtime);
    assertDefaultMetrics(report.defaultFamilies, runtime);
    assertSameRenders(
      await scrapeAll(report.serviceUrl, `${runtime} Service`),
      expected,
      `${runtime} Service`,
    );
    assertSameRenders(
      await scrapeAll(report.fetchUrl, `${runtime} metricsResponse`),
      expected,
      `${runtime}: metricsResponse on its own server`,
    );
    await assertPushed(gateway, `smoke-${runtime}`);
  });
}

test('workerd: renders parsed back, metricsResponse in a Worker, and a push from ctx.waitUntil', async (t) => {
  const gateway = await startPushgateway(t);
  const script = await bundle(t, 'worker.ts', 'neutral');
  const port = await freePort();
  // workerd reads embedded files relative to the config, so the config sits beside the bundle.
  const config = join(dirname(script), 'config.capnp');
  await writeFile(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local", "private", "public"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "${basename(script)}")],
  compatibilityDate = "2024-09-23",
  globalOutbound = "loopback",
);
`,
  );
  const workerd = startProcess(t, join(BIN, 'workerd'), ['serve', config, '--verbose']);
  const base = `http://127.0.0.1:${port}`;
  const { renders, decoded } = await waitFor(
    'workerd to serve',
    async () => {
      if (workerd.child.exitCode !== null)
        throw new Error(`workerd exited: ${workerd.output().slice(-2000)}`);
      const response = await fetch(`${base}/renders`);
      if (response.ok) return (await response.json()) as { renders: Renders; decoded: MetricFamily[] };
      throw new Error(`${response.status} ${await response.text()}: ${workerd.output().slice(-2000)}`);
    },
    60_000,
  );
  assertSameRenders(renders, expected, 'workerd');
  assertDecodedLikeNode(decoded, 'workerd');
  await assertParsedBack(t, renders, 'workerd');
  assertSameRenders(
    await scrapeAll(`${base}/metrics`, 'workerd metricsResponse'),
    expected,
    'workerd: metricsResponse',
  );
  const push = await fetch(`${base}/push?gateway=${encodeURIComponent(gateway)}`);
  assert.equal(push.status, 202);
  try {
    await assertPushed(gateway, 'smoke-workerd');
  } catch (error) {
    const reason = await (await fetch(`${base}/push-error`)).text();
    throw new Error(`${String(error)}; the Worker's push error: ${reason}`);
  }
});
