/**
 * A small benchmark harness: every case runs each library in the same process and run, and
 * the table prints ratios against prom-client, so machine speed cancels out.
 */

/** One benchmark case: a measurement per library. */
export interface BenchRow {
  readonly name: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** The result compared with prom-client's in the ratio column (default `aioprometheus`). */
  readonly ours?: string;
  readonly results: Readonly<Record<string, number>>;
}

/**
 * Operations per second of `fn`, which performs `batch` operations per call. Warms up, then
 * takes the best of `rounds` timed rounds of at least `minMs` each (the best round is the least
 * disturbed by GC pauses and the other core's load).
 */
export function opsPerSecond(fn: () => void, batch: number, rounds = 5, minMs = 200): number {
  const warmUntil = performance.now() + minMs;
  while (performance.now() < warmUntil) fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.max(best, (calls * batch) / (elapsed / 1000));
  }
  return best;
}

/** The same for async work. */
export async function opsPerSecondAsync(
  fn: () => Promise<unknown>,
  rounds = 5,
  minMs = 300,
): Promise<number> {
  const warmUntil = performance.now() + minMs;
  while (performance.now() < warmUntil) await fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.max(best, calls / (elapsed / 1000));
  }
  return best;
}

const BASELINE = 'prom-client';

function format(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(v < 10 ? 3 : 1);
}

/** Prints rows as a Markdown table with each result and its ratio to the baseline (better-is-bigger). */
export function printTable(rows: readonly BenchRow[]): string {
  const libs = [...new Set(rows.flatMap((r) => Object.keys(r.results)))];
  const lines = [
    `| case | unit | ${libs.join(' | ')} | ours vs ${BASELINE} |`,
    `|---|---|${libs.map(() => '---:').join('|')}|---:|`,
  ];
  for (const row of rows) {
    const ours = row.results[row.ours ?? 'aioprometheus'];
    const base = row.results[BASELINE];
    let ratio = '';
    if (ours !== undefined && base !== undefined && ours > 0 && base > 0) {
      const r = row.higherIsBetter ? ours / base : base / ours;
      ratio = `${r.toFixed(2)}× ${row.higherIsBetter ? 'faster' : 'less'}`;
    }
    const cells = libs.map((l) => (row.results[l] === undefined ? '' : format(row.results[l]!)));
    lines.push(`| ${row.name} | ${row.unit} | ${cells.join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}
