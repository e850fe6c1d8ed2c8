/**
 * The decorators in legacy `experimentalDecorators` mode (NestJS, older TypeScript): the program
 * in test/legacy-decorators/ is type-checked and run with that folder's tsconfig.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../../helpers/processes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsconfig = `${root}test/legacy-decorators/tsconfig.json`;

it('type-checks the legacy decorator program with experimentalDecorators', async () => {
  const result = await run(
    process.execPath,
    [`${root}node_modules/typescript/bin/tsc`, '-p', tsconfig],
    undefined,
    60_000,
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

it('runs the legacy decorator program and its assertions pass', async () => {
  const result = await run(
    process.execPath,
    [
      `${root}node_modules/tsx/dist/cli.mjs`,
      '--tsconfig',
      tsconfig,
      `${root}test/legacy-decorators/legacy.ts`,
    ],
    undefined,
    30_000,
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(result.stdout, 'legacy decorators ok\n');
});
