// The layer's default `register` and the native REGISTRY: one registry per process for every copy
// of the layer, registered once in REGISTRY, so mixed apps serve one exposition.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as compat from '../../../src/compat/index.js';
import { Counter, REGISTRY, render } from '../../../src/index.js';

/** The native default registry in the text format. */
async function exposition(): Promise<string> {
  const { body } = await render();
  assert.equal(typeof body, 'string');
  return body as string;
}

test('metrics of both APIs appear in one native exposition; register.metrics() shows the prom-client ones', async () => {
  const legacy = new compat.Counter({ name: 'mixed_legacy', help: 'From the layer.', labelNames: ['a'] });
  legacy.inc({ a: 'x' }, 2);
  const native = new Counter({ name: 'mixed_native_total', help: 'Native.' });
  native.inc();
  try {
    const body = await exposition();
    assert.match(body, /^mixed_legacy\{a="x"\} 2$/m);
    assert.match(body, /^mixed_native_total 1$/m);
    const own = await compat.register.metrics();
    assert.match(own, /^mixed_legacy\{a="x"\} 2$/m);
    assert.doesNotMatch(own, /mixed_native_total/);
    // Default labels of the layer's registry reach the native exposition too.
    compat.register.setDefaultLabels({ service: 'api' });
    assert.match(await exposition(), /^mixed_legacy\{a="x",service="api"\} 2$/m);
  } finally {
    compat.register.setDefaultLabels({});
    compat.register.clear();
    REGISTRY.unregister(native);
  }
});

test('a second copy of the layer in the process shares the one register, which REGISTRY holds once', async () => {
  // A copy of the sources is a second instance of every module, as a second installed copy would be.
  const dir = mkdtempSync(join(tmpdir(), 'compat-copy-'));
  cpSync(resolve(import.meta.dirname, '../../../src'), join(dir, 'src'), { recursive: true });
  try {
    const second = (await import(join(dir, 'src/compat/index.ts'))) as typeof compat;
    const secondCore = (await import(join(dir, 'src/index.ts'))) as { REGISTRY: unknown };
    assert.notEqual(second.Counter, compat.Counter, 'the test needs two copies');
    assert.equal(secondCore.REGISTRY, REGISTRY);
    assert.equal(second.register, compat.register);
    new second.Counter({ name: 'from_second_copy', help: 'Second.' }).inc(3);
    assert.match(await compat.register.metrics(), /^from_second_copy 3$/m);
    const body = await exposition();
    assert.equal(body.match(/^from_second_copy 3$/gm)?.length, 1);
  } finally {
    compat.register.clear();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy speaking another hand-off protocol keeps its own register', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compat-register-'));
  try {
    const script = join(dir, 'main.mts');
    const entry = resolve(import.meta.dirname, '../../../src/compat/index.ts');
    writeFileSync(
      script,
      `const other = { protocol: 99, registry: { marker: true } };\n` +
        `Object.defineProperty(globalThis, Symbol.for('aioprometheus.promClientRegistry'), { value: other });\n` +
        `const { register, Registry } = await import(${JSON.stringify(entry)});\n` +
        `process.stdout.write(String(register instanceof Registry && register !== other.registry));\n`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(out, 'true');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
