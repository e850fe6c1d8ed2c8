/** Reading the totals of a node:test run, for the `npm test` runner (scripts/test.mjs). */

/**
 * The totals of a node:test run from the summary it ends with: `# pass N`, `# fail N`,
 * `# cancelled N`, `# skipped N` from the TAP reporter (Node 20's default when stdout is not a
 * terminal), or the same lines after `ℹ` from the spec reporter (the default of later Nodes).
 * Cancelled tests count as failed. The last summary wins, in case a test printed such a line
 * itself; undefined when there is none.
 */
export function parseTotals(output) {
  const last = (name) => {
    const all = [...output.matchAll(new RegExp(`^(?:#|ℹ) ${name} (\\d+)$`, 'gm'))];
    return all.length === 0 ? undefined : Number(all[all.length - 1][1]);
  };
  const pass = last('pass');
  const fail = last('fail');
  if (pass === undefined || fail === undefined) return undefined;
  return { pass, fail: fail + (last('cancelled') ?? 0), skipped: last('skipped') ?? 0 };
}
