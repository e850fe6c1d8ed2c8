/**
 * A module that defines metrics, evaluated twice in one process: as an ES module imported again
 * under a new URL (hot reload), as a CommonJS module dropped from require.cache, and as two
 * bundles that each carry their own copy of the package (Next.js pages and route handlers).
 * Every evaluation must update the same series, shown once in the default registry's exposition.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { type Counter, REGISTRY, render } from '../../../src/index.js';
import { tempDir } from '../../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/redefined-module.ts', import.meta.url));
const NAMES = ['redefined_module_requests_total', 'redefined_module_latency_seconds'];

interface DefinedModule {
  readonly requests: Counter<'route'>;
}

/** Unregisters the fixture's metrics when the test ends, so each test starts from none. */
function cleanUp(t: TestContext): void {
  t.after(() => {
    for (const name of NAMES) {
      const collector = REGISTRY.get(name);
      if (collector !== undefined) REGISTRY.unregister(collector);
    }
  });
}

/** The default registry's text exposition, fixture families only. */
async function exposed(): Promise<string> {
  const rendered = await render(REGISTRY, 'text/plain;version=0.0.4');
  return String(rendered.body)
    .split('\n')
    .filter((line) => line.includes('redefined_module_') && !line.startsWith('#'))
    .join('\n');
}

function expectedExposition(evaluations: number): string {
  return [
    `redefined_module_latency_seconds_bucket{le="0.1"} 0`,
    `redefined_module_latency_seconds_bucket{le="1"} ${evaluations}`,
    `redefined_module_latency_seconds_bucket{le="+Inf"} ${evaluations}`,
    `redefined_module_latency_seconds_sum ${evaluations * 0.5}`,
    `redefined_module_latency_seconds_count ${evaluations}`,
    `redefined_module_requests_total{route="/"} ${evaluations}`,
  ].join('\n');
}

test('an ES module imported again under a new URL shares its metrics with the first evaluation', async (t) => {
  cleanUp(t);
  const url = pathToFileURL(FIXTURE).href;
  const first = (await import(`${url}?evaluation=1`)) as DefinedModule;
  const second = (await import(`${url}?evaluation=2`)) as DefinedModule;
  assert.notEqual(first.requests, second.requests, 'the module really ran twice');
  second.requests.inc({ route: '/' });
  assert.equal(first.requests.get({ route: '/' }), 3);
  assert.equal(await exposed(), expectedExposition(2).replace('{route="/"} 2', '{route="/"} 3'));
});

test('a CommonJS module required again after leaving require.cache shares its metrics', async (t) => {
  cleanUp(t);
  const require = createRequire(import.meta.url);
  const path = require.resolve('../fixtures/redefined-module.cjs');
  const first = require(path) as DefinedModule;
  delete require.cache[path];
  const second = require(path) as DefinedModule;
  assert.notEqual(first.requests, second.requests, 'the module really ran twice');
  assert.equal(second.requests.get({ route: '/' }), 2);
  // The CommonJS copy of the package registered in the same default registry as this ES copy.
  assert.equal(await exposed(), expectedExposition(2));
});

/** Bundles `contents` with its own copy of the package, as a bundler does for each entry. */
async function bundle(dir: string, name: string, contents: string): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

test('two bundles, each with its own copy of the package, share the metrics they both define', async (t) => {
  cleanUp(t);
  const dir = await tempDir(t, 'redefinition-bundles');
  const page = await bundle(dir, 'page', `export * from './test/unit/fixtures/redefined-module.ts';`);
  const route = await bundle(dir, 'route', `export * from './test/unit/fixtures/redefined-module.ts';`);
  const changed = await bundle(
    dir,
    'changed',
    `import { Counter } from './src/index.ts';
export const define = () => new Counter({ name: 'redefined_module_requests_total', help: 'Changed.', labelNames: ['route'] });`,
  );
  const first = (await import(pathToFileURL(page).href)) as DefinedModule;
  const second = (await import(pathToFileURL(route).href)) as DefinedModule;
  assert.notEqual(
    Object.getPrototypeOf(first.requests),
    Object.getPrototypeOf(second.requests),
    'each bundle has its own Counter class',
  );
  first.requests.inc({ route: '/' }, 10);
  assert.equal(second.requests.get({ route: '/' }), 12);
  assert.equal(await exposed(), expectedExposition(2).replace('{route="/"} 2', '{route="/"} 12'));
  const { define } = (await import(pathToFileURL(changed).href)) as { define: () => unknown };
  assert.throws(define, (e: unknown) => {
    const error = e as { name?: unknown; differences?: unknown };
    assert.equal(error.name, 'MetricRedefinitionError');
    assert.deepEqual(error.differences, ['help: "Requests by route." registered, "Changed." now']);
    return true;
  });
});

test('two bundles that both start the default metrics share one running set', async (t) => {
  const dir = await tempDir(t, 'redefinition-defaults');
  const source = `import { collectDefaultMetrics } from './src/collectors/index.ts';
export const stop = collectDefaultMetrics();`;
  const first = (await import(pathToFileURL(await bundle(dir, 'a', source)).href)) as { stop: () => void };
  const second = (await import(pathToFileURL(await bundle(dir, 'b', source)).href)) as { stop: () => void };
  t.after(second.stop);
  const collector = REGISTRY.get('process_cpu_user_seconds_total');
  assert.ok(collector !== undefined);
  const families = (await REGISTRY.collect()).filter((f) => f.name === 'process_cpu_user_seconds_total');
  assert.equal(families.length, 1);
  first.stop();
  assert.equal(
    REGISTRY.get('process_cpu_user_seconds_total'),
    collector,
    "the other bundle's stop is still held",
  );
  second.stop();
  assert.equal(REGISTRY.get('process_cpu_user_seconds_total'), undefined);
});
