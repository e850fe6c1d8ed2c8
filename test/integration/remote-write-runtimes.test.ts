/**
 * The remote-write subpath needs only fetch: Bun and Deno (the devDependency binaries) each run
 * a RemoteWriter against a receiver served by their own HTTP server, and the request arrives
 * snappy-compressed with the series in it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../helpers/processes.js';

const fixture = fileURLToPath(new URL('../fixtures/remote-write/runtime.ts', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

const runtimes: [string, string, string[]][] = [
  ['Bun', bin('bun'), [fixture]],
  [
    'Deno',
    bin('deno'),
    [
      'run',
      '--sloppy-imports',
      '--allow-net',
      '--allow-read',
      '--allow-env',
      '--allow-sys',
      '--node-modules-dir=manual',
      fixture,
    ],
  ],
];

for (const [name, command, args] of runtimes) {
  test(`a RemoteWriter sends from ${name}`, async () => {
    const result = await run(command, args, undefined, 120_000);
    assert.equal(result.code, 0, result.stderr);
    const last = result.stdout.trim().split('\n').at(-1)!;
    assert.deepEqual(JSON.parse(last), { requests: 1, encoding: 'snappy', hasName: true });
  });
}
