/** Reading the totals of a node:test run, for the `npm test` runner (scripts/test.mjs). */

/**
 * The totals of the node:test runs in one step's output, summed: each run ends with a summary that
 * starts with `# tests N` and goes on with `# pass N`, `# fail N`, `# cancelled N`, `# skipped N`
 * (TAP, Node 20's default when stdout is not a terminal), or the same lines after `ℹ` (the spec
 * reporter). A step may hold several runs (the unit step runs the core tests under
 * --disallow-code-generation-from-strings, then the rest). Cancelled tests count as failed; lines
 * before a summary's `tests` line (a test printing such text) and indented lines (subtests) are
 * not summaries. Undefined when there is none.
 */
export function parseTotals(output) {
  const lines = output.split('\n');
  let found = false;
  const sum = { pass: 0, fail: 0, skipped: 0 };
  let inSummary = false;
  for (const line of lines) {
    const m = /^(?:#|ℹ) (tests|pass|fail|cancelled|skipped) (\d+)$/.exec(line);
    if (m === null) continue;
    const [, name, value] = m;
    if (name === 'tests') {
      inSummary = true;
      found = true;
      continue;
    }
    if (!inSummary) continue;
    const n = Number(value);
    if (name === 'pass') sum.pass += n;
    else if (name === 'fail' || name === 'cancelled') sum.fail += n;
    else {
      sum.skipped += n;
      // `skipped` is the last count of a summary.
      inSummary = false;
    }
  }
  return found ? sum : undefined;
}
