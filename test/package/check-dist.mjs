// Checks the built package as users load it: every subpath resolves in ESM and CommonJS, and
// all subpaths of one module system share a single core (one REGISTRY), so a Service or a
// cluster worker serves the metrics that user code registered.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

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
  '/fetch',
  '/cluster',
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
console.log('dist check: all subpaths load in ESM and CJS and share one core');
