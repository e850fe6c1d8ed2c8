/**
 * `npm run bench`: every benchmark suite, in one process and one run, printed as one table with
 * ratios against prom-client.
 */
import { run as core } from './core.js';
import { type BenchRow, printTable } from './harness.js';

const suites: [string, () => Promise<BenchRow[]>][] = [['core', core]];

const only = process.argv[2];
const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  if (only !== undefined && only !== name) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}
process.stdout.write(`${printTable(rows)}\n`);
