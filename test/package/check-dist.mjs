// Checks the built package as users load it: every subpath resolves in ESM and CommonJS, and
// all subpaths of one module system share a single core (one REGISTRY), so a Service or a
// cluster worker serves the metrics that user code registered.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const subpaths = [
  '',
  '/exposition',
  '/service',
  '/push',
  '/middleware',
  '/express',
  '/fastify',
  '/koa',
  '/hono',
  '/fetch',
  '/cluster',
  '/default-metrics',
  '/remote-write',
  '/prom-client',
];

for (const sub of subpaths) {
  const esm = await import(`aioprometheus${sub}`);
  const cjs = require(`aioprometheus${sub}`);
  assert.ok(Object.keys(esm).length > 0, `ESM aioprometheus${sub} exports something`);
  assert.deepEqual(
    Object.keys(cjs).sort(),
    Object.keys(esm).sort(),
    `aioprometheus${sub}: same exports in CJS and ESM`,
  );
}

for (const [kind, load] of [
  ['ESM', (s) => import(s)],
  ['CJS', async (s) => require(s)],
]) {
  const core = await load('aioprometheus');
  const { Service } = await load('aioprometheus/service');
  assert.equal(new Service().registry, core.REGISTRY, `${kind}: the Service serves the core REGISTRY`);
}

// One default registry per process: the ESM and the CJS copy hand one REGISTRY to each other,
// so a metric defined through either appears in one exposition.
{
  const esm = await import('aioprometheus');
  const cjs = require('aioprometheus');
  assert.equal(esm.REGISTRY, cjs.REGISTRY, 'ESM and CJS share the default registry');
  new esm.Counter({ name: 'from_esm_total', help: 'Defined through the ESM copy.' }).inc();
  new cjs.Counter({ name: 'from_cjs_total', help: 'Defined through the CJS copy.' }).inc(2);
  const { body } = await esm.render();
  assert.match(body, /^from_esm_total 1$/m, 'the ESM metric is exposed');
  assert.match(body, /^from_cjs_total 2$/m, 'the CJS metric is exposed by the ESM render');
  esm.REGISTRY.clear();
}

// The prom-client layer's `register` is one per process as well, whichever build loads it.
{
  const esm = await import('aioprometheus/prom-client');
  const cjs = require('aioprometheus/prom-client');
  assert.equal(esm.register, cjs.register, 'ESM and CJS share the prom-client register');
  new cjs.Counter({ name: 'compat_from_cjs', help: 'Defined through the CJS copy.' }).inc(4);
  assert.match(await esm.register.metrics(), /^compat_from_cjs 4$/m, 'the CJS metric is in the ESM register');
  esm.register.clear();
}

// Two installed copies (as npm nests a second version under a dependency) share it too.
{
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const app = mkdtempSync(`${tmpdir()}/aioprometheus-copies-`);
  try {
    const install = (dir, version) => {
      cpSync(`${root}/dist`, `${dir}/dist`, { recursive: true });
      const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
      writeFileSync(`${dir}/package.json`, JSON.stringify({ ...manifest, version }));
    };
    install(`${app}/node_modules/aioprometheus`, '1.0.0');
    install(`${app}/node_modules/lib/node_modules/aioprometheus`, '0.9.0');
    writeFileSync(`${app}/node_modules/lib/package.json`, JSON.stringify({ name: 'lib', main: 'index.cjs' }));
    writeFileSync(
      `${app}/node_modules/lib/index.cjs`,
      "const { Counter } = require('aioprometheus');\n" +
        "new Counter({ name: 'lib_jobs_total', help: 'Counted by a library with its own copy.' }).inc(3);\n" +
        "module.exports = require('aioprometheus');\n",
    );
    writeFileSync(
      `${app}/main.mjs`,
      "import { Counter, render } from 'aioprometheus';\n" +
        "import { createRequire } from 'node:module';\n" +
        "const lib = createRequire(import.meta.url)('lib');\n" +
        "if (lib.Counter === Counter) throw new Error('the test needs two copies, found one');\n" +
        'process.stdout.write((await render()).body);\n',
    );
    const out = execFileSync(process.execPath, [`${app}/main.mjs`], { encoding: 'utf8' });
    assert.match(out, /^lib_jobs_total 3$/m, "the nested copy's metric is in the top copy's exposition");
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

// The root entry must load on runtimes without Node's modules (Workers, browsers): nothing it
// reaches through static imports may name a Node built-in.
const builtins = new Set(builtinModules);
const isBuiltin = (specifier) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]);
function builtinsReached(entry, pattern) {
  const seen = new Set();
  const found = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      const specifier = m[1];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (isBuiltin(specifier)) found.add(specifier.replace(/^(?!node:)/, 'node:'));
    }
  };
  visit(entry);
  return [...found];
}
const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');
const esmImports = /(?:^|[;\n}])\s*(?:import|export)\b[^'"`;]*?(?:from\s*)?["']([^"']+)["']/g;
const cjsRequires = /\brequire\(["']([^"']+)["']\)/g;
assert.deepEqual(
  builtinsReached(`${dist}/esm/index.js`, esmImports),
  [],
  'ESM root entry reaches no Node built-in',
);
assert.deepEqual(
  builtinsReached(`${dist}/cjs/index.cjs`, cjsRequires),
  [],
  'CJS root entry reaches no Node built-in',
);
// The checker itself must see imports: the Service entry does use node:http.
assert.ok(
  builtinsReached(`${dist}/esm/service.js`, esmImports).includes('node:http'),
  'the check sees node:http',
);

console.log(
  'dist check: all subpaths load in ESM and CJS and share one core; the root entry loads no Node built-in',
);
