// Checks the built package as users load it: every subpath resolves in ESM and CommonJS, and
// all subpaths of one module system share a single core (one REGISTRY), so a Service or a
// cluster worker serves the metrics that user code registered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const subpaths = [
  '',
  '/service',
  '/push',
  '/middleware',
  '/express',
  '/fastify',
  '/koa',
  '/hono',
  '/cluster',
  '/default-metrics',
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
assert.deepEqual(builtinsReached(`${dist}/esm/index.js`, esmImports), [], 'ESM root entry reaches no Node built-in');
assert.deepEqual(builtinsReached(`${dist}/cjs/index.cjs`, cjsRequires), [], 'CJS root entry reaches no Node built-in');
// The checker itself must see imports: the Service entry does use node:http.
assert.ok(builtinsReached(`${dist}/esm/service.js`, esmImports).includes('node:http'), 'the check sees node:http');

console.log('dist check: all subpaths load in ESM and CJS and share one core; the root entry loads no Node built-in');
