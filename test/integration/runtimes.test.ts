/**
 * The package on every runtime it promises: Bun and Deno (from their npm packages) and Cloudflare's
 * workerd run one shared scenario, bundled as a user's bundler would; their renders must equal
 * Node's, their Service must serve, and each pushes to a real Pushgateway.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseProtobuf } from '../../src/exposition/index.js';
import type { MetricFamily } from '../../src/index.js';
import { freePort, type Started, startProcess, tempDir, waitFor } from '../helpers/processes.js';
import { pushgatewayGroups, startPushgateway } from '../helpers/pushgateway.js';
import { type Renders, renderAll, scenarioRegistry } from '../runtimes/scenario.js';

const BIN = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url));
const RUNTIMES_DIR = fileURLToPath(new URL('../runtimes/', import.meta.url));

interface ServerRuntimeReport {
  readonly runtime: string;
  readonly renders: Renders;
  readonly defaultFamilies: readonly string[];
  readonly serviceUrl: string;
  readonly pushed: boolean;
}

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
  test(`${runtime}: renders, default metrics, the Service and a push`, async (t) => {
    const gateway = await startPushgateway(t);
    const script = await bundle(t, 'server-runtime.ts', 'node');
    const args = runtime === 'bun' ? [script] : ['run', '--allow-all', '--quiet', script];
    const started = startProcess(t, join(BIN, runtime), args, { SMOKE_PUSHGATEWAY: gateway });
    const report = await firstJsonLine<ServerRuntimeReport>(started, runtime);
    assert.equal(report.runtime, runtime);
    assertSameRenders(report.renders, expected, runtime);
    assert.ok(report.defaultFamilies.length > 0, `${runtime}: default metrics collected something`);
    const served = await fetch(report.serviceUrl, { headers: { accept: 'text/plain;version=0.0.4' } });
    assert.equal(served.status, 200);
    assertSameText(await served.text(), expected.text, `${runtime}: the Service serves the scenario`);
    await assertPushed(gateway, `smoke-${runtime}`);
  });
}

test('workerd: renders in a Worker, and a push from ctx.waitUntil', async (t) => {
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
  const renders = await waitFor(
    'workerd to serve',
    async () => {
      if (workerd.child.exitCode !== null)
        throw new Error(`workerd exited: ${workerd.output().slice(-2000)}`);
      const response = await fetch(`${base}/renders`);
      if (response.ok) return (await response.json()) as Renders;
      throw new Error(`${response.status} ${await response.text()}: ${workerd.output().slice(-2000)}`);
    },
    60_000,
  );
  assertSameRenders(renders, expected, 'workerd');
  const push = await fetch(`${base}/push?gateway=${encodeURIComponent(gateway)}`);
  assert.equal(push.status, 202);
  try {
    await assertPushed(gateway, 'smoke-workerd');
  } catch (error) {
    const reason = await (await fetch(`${base}/push-error`)).text();
    throw new Error(`${String(error)}; the Worker's push error: ${reason}`);
  }
});
