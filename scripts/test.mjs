#!/usr/bin/env node
/**
 * `npm test`: runs every step even when an earlier one fails, so one unit failure does not hide
 * whether the integration and package tests pass. Each step's own output is shown as it runs;
 * then one line per step (`step unit: ok`), and as the very last line the node:test totals of the
 * unit and integration steps (`tests: 312 passed, 0 failed`, plus `, N skipped` when some were),
 * which CI reads. Exits 1 when any step failed.
 */
import { spawn } from 'node:child_process';
import { parseTotals } from './test-totals.mjs';

/** Step name, npm script, and whether it is a node:test run whose totals are counted. */
const STEPS = [
  ['typecheck', 'typecheck', false],
  ['lint', 'lint', false],
  ['unit', 'test:unit', true],
  ['integration', 'test:integration', true],
  ['package', 'test:package', false],
];

/**
 * Runs one npm script, echoing its output, and resolves with its exit status and stdout. A
 * script that cannot be started counts as failed with status 127, never as skipped.
 */
function runScript(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['inherit', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      stdout += chunk;
    });
    child.on('error', (error) => {
      process.stderr.write(`cannot run npm script ${script}: ${error.message}\n`);
      resolve({ code: 127, signal: null, stdout });
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

async function main() {
  const results = [];
  const totals = { pass: 0, fail: 0, skipped: 0 };
  for (const [name, script, counted] of STEPS) {
    process.stdout.write(`\n=== step ${name} (npm run ${script}) ===\n`);
    const { code, signal, stdout } = await runScript(script);
    let problem = code === 0 ? undefined : signal ? `killed by ${signal}` : `exit status ${code}`;
    if (counted) {
      const counts = parseTotals(stdout);
      if (counts === undefined) problem ??= 'no node:test summary in its output';
      else {
        totals.pass += counts.pass;
        totals.fail += counts.fail;
        totals.skipped += counts.skipped;
        if (counts.fail > 0) problem ??= `${counts.fail} failed`;
      }
    }
    results.push({ name, problem });
  }
  process.stdout.write('\n');
  for (const { name, problem } of results) {
    process.stdout.write(`step ${name}: ${problem === undefined ? 'ok' : `FAILED (${problem})`}\n`);
  }
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  process.stdout.write(`tests: ${totals.pass} passed, ${totals.fail} failed${skipped}\n`);
  process.exitCode = results.some((r) => r.problem !== undefined) ? 1 : 0;
}

await main();
