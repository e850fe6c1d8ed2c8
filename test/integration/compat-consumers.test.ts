/**
 * prom-client's consumers on the companion package, installed the way a user installs it: the main
 * package and packages/prom-client are built and packed, and test/consumers (its own package.json
 * and lockfile) is installed into a temporary directory with `prom-client` pointing at the packed
 * companion, next to express-prom-bundle, fastify-metrics, @hono/prometheus and
 * @willsoto/nestjs-prometheus from npm. Then:
 * - the API scripts there must print what the same scripts print on the real prom-client (the
 *   repository's own devDependency, which the scripts resolve when run from test/consumers);
 * - TypeScript written against prom-client type-checks against the companion's declarations;
 * - each middleware app serves requests and a real Prometheus scrapes it: its query API must show
 *   the counts those requests made and durations no longer than the client measured.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, run, startProcess, tempDir, waitFor } from '../helpers/processes.js';
import { query, scalarOrUndefined, startPrometheus } from '../helpers/prometheus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'consumers');
const COMPANION = join(ROOT, 'packages', 'prom-client');
/** The names test/consumers/package.json gives the packed tarballs (fixed, so its lockfile is too). */
const TARBALLS = { main: 'aioprometheus.tgz', companion: 'aioprometheus-prom-client.tgz' } as const;

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

async function mustRun(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  const { code, stdout, stderr } = await run(command, args, undefined, timeoutMs);
  assert.equal(code, 0, `${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
  return stdout;
}

/** Builds and packs both packages into `dir/pack` under the fixture's tarball names. */
async function packInto(dir: string): Promise<void> {
  const pack = join(dir, 'pack');
  await mkdir(pack);
  await mustRun('npm', ['--prefix', ROOT, 'run', 'build'], 600_000);
  const { version } = await readJson<{ version: string }>(join(ROOT, 'package.json'));
  await mustRun('npm', ['pack', '--silent', '--pack-destination', pack, ROOT, COMPANION], 120_000);
  await rename(join(pack, `aioprometheus-${version}.tgz`), join(pack, TARBALLS.main));
  await rename(join(pack, `aioprometheus-prom-client-${version}.tgz`), join(pack, TARBALLS.companion));
}

interface Lockfile {
  packages: Record<string, { resolved?: string; integrity?: string }>;
}

/**
 * Copies the fixture and installs it with `npm ci`. The two local tarballs are rebuilt on every
 * run, so the lockfile cannot pin their hashes: a hash left there would make npm install the old
 * tarball from its cache instead of the new one.
 */
async function installFixture(dir: string): Promise<void> {
  for (const name of await readdir(FIXTURE)) {
    if (name !== 'node_modules') await copyFile(join(FIXTURE, name), join(dir, name));
  }
  const lockPath = join(dir, 'package-lock.json');
  const lock = await readJson<Lockfile>(lockPath);
  for (const entry of Object.values(lock.packages)) {
    if (entry.resolved?.startsWith('file:')) delete entry.integrity;
  }
  await writeFile(lockPath, JSON.stringify(lock, null, 2));
  await mustRun('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--prefer-offline'], 600_000);
}

/** Sample lines of a text exposition, keyed by name and sorted label pairs; comments and order ignored. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const pairs = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    const key = `${match[1]}{${pairs.sort().join(',')}}`;
    assert.ok(!out.has(key), `series written twice: ${key}`);
    out.set(key, Number(match[3]));
  }
  return out;
}

/** HELP and TYPE lines, sorted. */
function metadata(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('# HELP') || line.startsWith('# TYPE'))
    .sort();
}

/**
 * The companion's exposition must have the series, HELP and TYPE lines of prom-client's. Values
 * must be equal except for the series `approximate` selects (quantiles, timings), which must be
 * present on both sides and pass `plausible`.
 */
function assertSameExposition(
  ours: string,
  theirs: string,
  approximate: (key: string) => boolean = () => false,
  plausible: (key: string, value: number) => boolean = () => true,
): void {
  assert.deepEqual(metadata(ours), metadata(theirs));
  const a = samples(ours);
  const b = samples(theirs);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [key, value] of b) {
    if (approximate(key)) assert.ok(plausible(key, a.get(key)!), `${key} = ${a.get(key)}`);
    else assert.equal(a.get(key), value, key);
  }
}

/** Starts one app of the fixture and waits (bounded) until it listens. */
async function startApp(t: TestContext, dir: string, file: string): Promise<string> {
  const port = await freePort();
  const app = startProcess(t, process.execPath, [join(dir, file)], { PORT: String(port) });
  await waitFor(
    `${file} to listen`,
    async () => {
      if (app.child.exitCode !== null) throw new Error(`${file} exited: ${app.output()}`);
      return app.output().includes('listening') ? true : undefined;
    },
    60_000,
  );
  return `http://127.0.0.1:${port}`;
}

/** Sends `count` GETs to `url`, each answered with `status`; returns the seconds they took in all. */
async function requests(url: string, count: number, status: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(url);
    await response.text();
    assert.equal(response.status, status, url);
  }
  return (performance.now() - started) / 1000;
}

/** A query's single value, waiting (bounded) until Prometheus has it. */
async function scraped(base: string, promql: string): Promise<number> {
  return waitFor(promql, () => scalarOrUndefined(base, promql), 30_000);
}

interface AppCase {
  readonly file: string;
  /** The selectors of the request-duration histogram's series for /hello (200) and /fail (500). */
  readonly hello: string;
  readonly fail: string;
  readonly histogram: string;
  /** Checks beyond the histogram; `elapsed` is the client-side time of the /hello requests. */
  readonly more?: (base: string, elapsed: number) => Promise<void>;
}

const APPS: readonly AppCase[] = [
  {
    file: 'express-app.cjs',
    histogram: 'http_request_duration_seconds',
    hello: 'method="GET",path="/hello",status_code="200"',
    fail: 'method="GET",path="/fail",status_code="500"',
  },
  {
    file: 'fastify-app.cjs',
    histogram: 'http_request_duration_seconds',
    hello: 'method="GET",route="/hello",status_code="200"',
    fail: 'method="GET",route="/fail",status_code="500"',
    async more(base, elapsed) {
      const hello = 'method="GET",route="/hello",status_code="200"';
      assert.equal(await scraped(base, `http_request_summary_seconds_count{${hello}}`), 3);
      const median = await scraped(base, `http_request_summary_seconds{${hello},quantile="0.5"}`);
      assert.ok(median > 0 && median <= elapsed, `median ${median} s, requests took ${elapsed} s`);
    },
  },
  {
    file: 'hono-app.mjs',
    histogram: 'http_request_duration_seconds',
    hello: 'method="GET",route="/hello",status="200",ok="true"',
    fail: 'method="GET",route="/fail",status="500",ok="false"',
    async more(base) {
      assert.equal(await scraped(base, 'http_requests_total{route="/hello",status="200",ok="true"}'), 3);
      assert.equal(await scraped(base, 'http_requests_total{route="/fail",status="500",ok="false"}'), 2);
    },
  },
  {
    file: 'nest-app.cjs',
    histogram: 'app_request_duration_seconds',
    hello: 'route="/hello"',
    fail: '',
    async more(base) {
      assert.equal(await scraped(base, 'app_requests_total{route="/hello",code="200"}'), 3);
      assert.equal(await scraped(base, 'app_requests_total{route="/fail",code="500"}'), 2);
    },
  },
];

test('prom-client consumers on the packed companion package', { timeout: 1_500_000 }, async (t) => {
  await t.test('the companion is versioned with the main package and depends on exactly it', async () => {
    const main = await readJson<{ version: string }>(join(ROOT, 'package.json'));
    const companion = await readJson<{ version: string; dependencies: Record<string, string> }>(
      join(COMPANION, 'package.json'),
    );
    assert.equal(companion.version, main.version);
    assert.deepEqual(companion.dependencies, { aioprometheus: main.version });
  });

  const dir = await tempDir(t, 'consumers');
  await packInto(dir);
  await installFixture(dir);

  await t.test('prom-client resolves to the companion, for the app and for every middleware', async () => {
    const fromApp = createRequire(join(dir, 'package.json'));
    assert.equal(fromApp.resolve('prom-client'), join(dir, 'node_modules', 'prom-client', 'index.cjs'));
    assert.equal(fromApp('prom-client/package.json').name, 'aioprometheus-prom-client');
    for (const middleware of [
      'express-prom-bundle',
      'fastify-metrics',
      '@hono/prometheus',
      '@willsoto/nestjs-prometheus',
    ]) {
      // Resolving from inside the package's own directory, as its `require('prom-client')` does.
      const fromMiddleware = createRequire(join(dir, 'node_modules', middleware, 'index.js'));
      assert.equal(fromMiddleware.resolve('prom-client'), fromApp.resolve('prom-client'), middleware);
    }
  });

  await t.test('a CommonJS app prints what it prints on prom-client', async () => {
    const ours = JSON.parse(await mustRun(process.execPath, [join(dir, 'api.cjs')], 30_000));
    const theirs = JSON.parse(await mustRun(process.execPath, [join(FIXTURE, 'api.cjs')], 30_000));
    const quantile = (key: string) => key.includes('quantile=');
    const observed = (_key: string, value: number) => value >= 10 && value <= 40;
    assertSameExposition(ours.text, theirs.text, quantile, observed);
    assertSameExposition(ours.merged, theirs.merged, quantile, observed);
    assertSameExposition(ours.single, theirs.single);
    assert.match(ours.text, /^app_requests\{.*\} 3$/m);
    for (const key of ['contentType', 'names', 'validName', 'invalidName']) {
      assert.deepEqual(ours[key], theirs[key], key);
    }
  });

  await t.test(
    'an ES module app shares the registry with require and prints what prom-client does',
    async () => {
      const ours = JSON.parse(await mustRun(process.execPath, [join(dir, 'api.mjs')], 30_000));
      const theirs = JSON.parse(await mustRun(process.execPath, [join(FIXTURE, 'api.mjs')], 30_000));
      assert.equal(ours.sameRegister, true);
      assert.equal(ours.sameCounter, true);
      assertSameExposition(
        ours.text,
        theirs.text,
        (key) => key.startsWith('esm_duration_seconds_sum'),
        (_key, value) => value >= 0 && value < 1,
      );
      assert.match(ours.text, /^cjs_jobs 2$/m);
    },
  );

  await t.test('TypeScript written against prom-client type-checks against the companion', async () => {
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2024', 'esnext.disposable'],
          // A TypeScript app on Node has @types/node, as prom-client's own typings need it too.
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
          strict: true,
          noEmit: true,
        },
        files: ['types.cts', 'types.mts'],
      }),
    );
    await mustRun(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], 300_000);
  });

  for (const app of APPS) {
    await t.test(`${app.file}: Prometheus scrapes the counts and durations of its requests`, async (t) => {
      const base = await startApp(t, dir, app.file);
      const elapsed = await requests(`${base}/hello`, 3, 200);
      await requests(`${base}/fail`, 2, 500);
      const prometheus = await startPrometheus(t, `${base}/metrics`, []);
      const { histogram } = app;
      assert.equal(await scraped(prometheus.base, `${histogram}_count{${app.hello}}`), 3);
      assert.equal(await scraped(prometheus.base, `${histogram}_bucket{${app.hello},le="+Inf"}`), 3);
      const seconds = await scraped(prometheus.base, `${histogram}_sum{${app.hello}}`);
      assert.ok(seconds > 0 && seconds <= elapsed, `${seconds} s recorded, the requests took ${elapsed} s`);
      if (app.fail !== '') assert.equal(await scraped(prometheus.base, `${histogram}_count{${app.fail}}`), 2);
      await app.more?.(prometheus.base, elapsed);
      const defaults = await query(prometheus.base, 'process_resident_memory_bytes');
      assert.equal(defaults.length, 1, 'default metrics are exposed');
      assert.ok(Number(defaults[0]!.value[1]) > 0);
    });
  }
});
