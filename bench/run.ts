/**
 * `npm run bench`: every benchmark suite, in one process and one run, printed as one table with
 * ratios against prom-client. `npm run bench -- core` runs one suite; `npm run bench -- storage-quick`
 * only the 100,000-series storage cases.
 */
import { run as cluster } from './cluster.js';
import { run as compat } from './compat.js';
import { run as core } from './core.js';
import { run as defaultMetrics } from './default-metrics.js';
import { type BenchRow, printTable } from './harness.js';
import { run as middleware } from './middleware.js';
import { run as protobuf } from './protobuf.js';
import { run as scrapeLoad } from './scrape-load.js';
import { run as service } from './service.js';
import { run as storage, runQuick as storageQuick } from './storage.js';
import { run as validateFamily } from './validate-family.js';

const suites: [string, () => Promise<BenchRow[]>][] = [
  ['core', core],
  ['protobuf', protobuf],
  ['service', service],
  ['scrape-load', scrapeLoad],
  ['middleware', middleware],
  ['default-metrics', defaultMetrics],
  ['cluster', cluster],
  ['compat', compat],
  ['validate-family', validateFamily],
  ['storage', storage],
];
/** Suites that run only when named, e.g. a quick subset of another. */
const named: [string, () => Promise<BenchRow[]>][] = [['storage-quick', storageQuick]];

const only = process.argv[2];
const rows: BenchRow[] = [];
for (const [name, suite] of only === undefined ? suites : [...suites, ...named]) {
  if (only !== undefined && only !== name) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}
process.stdout.write(`${printTable(rows)}\n`);
