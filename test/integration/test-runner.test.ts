/**
 * The `npm test` runner (scripts/test.mjs): every step runs although an earlier one fails, one
 * line per step, the node:test totals as the last line, and a failing exit status. It is run on a
 * throw-away package whose scripts stand in for the real steps.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain JavaScript script without type declarations.
import { parseTotals } from '../../scripts/test-totals.mjs';

const RUNNER = fileURLToPath(new URL('../../scripts/test.mjs', import.meta.url));

type Totals = { pass: number; fail: number; skipped: number } | undefined;
const totals = parseTotals as (output: string) => Totals;

test('reads the totals of the TAP and the spec reporter, summing every run of a step', () => {
  const tap =
    'TAP version 13\n# Subtest: a\nok 1 - a\n# pass 1\n# fail 0\n# tests 3\n# pass 2\n# fail 1\n# cancelled 1\n# skipped 4\n';
  assert.deepEqual(totals(tap), { pass: 2, fail: 2, skipped: 4 });
  assert.deepEqual(totals('✔ a\nℹ tests 2\nℹ pass 2\nℹ fail 0\nℹ skipped 0\n'), {
    pass: 2,
    fail: 0,
    skipped: 0,
  });
  const twoRuns =
    '# tests 3\n# pass 3\n# fail 0\n# cancelled 0\n# skipped 0\n# tests 5\n# pass 4\n# fail 1\n# cancelled 0\n# skipped 1\n';
  assert.deepEqual(totals(twoRuns), { pass: 7, fail: 1, skipped: 1 });
  assert.equal(totals('no summary here\n'), undefined);
  assert.equal(totals('  # pass 3\n  # fail 0\n'), undefined, 'indented lines belong to subtests');
});

/** Runs the runner in a package whose scripts are the given shell commands. */
async function runWith(scripts: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'aioprom-runner-'));
  try {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'fake', private: true, scripts }));
    return await new Promise((resolve, reject) => {
      execFile(process.execPath, [RUNNER], { cwd: dir, timeout: 120_000 }, (error, stdout) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const summary = (pass: number, fail: number, skipped: number) =>
  `printf '# tests 9\\n# pass ${pass}\\n# fail ${fail}\\n# cancelled 0\\n# skipped ${skipped}\\n'`;

test('a failing step does not hide the later ones; the totals line comes last', async () => {
  const { code, stdout } = await runWith({
    typecheck: 'exit 0',
    lint: 'echo lint-ran; exit 1',
    'test:unit': `${summary(7, 1, 0)}; exit 1`,
    'test:integration': summary(3, 0, 2),
    'test:package': 'echo package-ran',
  });
  assert.equal(code, 1);
  assert.match(stdout, /lint-ran/);
  assert.match(stdout, /package-ran/);
  const lines = stdout.trimEnd().split('\n');
  assert.deepEqual(lines.slice(-6), [
    'step typecheck: ok',
    'step lint: FAILED (exit status 1)',
    'step unit: FAILED (exit status 1)',
    'step integration: ok',
    'step package: ok',
    'tests: 10 passed, 1 failed, 2 skipped',
  ]);
});

test('all steps passing exits 0; a test step without a summary fails', async () => {
  const ok = await runWith({
    typecheck: 'true',
    lint: 'true',
    'test:unit': summary(4, 0, 0),
    'test:integration': summary(1, 0, 0),
    'test:package': 'true',
  });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(ok.stdout.trimEnd().split('\n').at(-1), 'tests: 5 passed, 0 failed');
  const silent = await runWith({
    typecheck: 'true',
    lint: 'true',
    'test:unit': summary(4, 0, 0),
    'test:integration': 'echo crashed before any test',
    'test:package': 'true',
  });
  assert.equal(silent.code, 1);
  assert.match(silent.stdout, /^step integration: FAILED \(no node:test summary in its output\)$/m);
  assert.equal(silent.stdout.trimEnd().split('\n').at(-1), 'tests: 4 passed, 0 failed');
});
