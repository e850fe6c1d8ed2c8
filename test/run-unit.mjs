/**
 * `npm run test:unit`: the unit tests, in folders that mirror `src/`. The core ones (metrics,
 * model, exposition, registry, instrument, the cluster merge and wire, and the type and snapshot
 * tests beside them) run under --disallow-code-generation-from-strings, as in Cloudflare Workers or
 * under a strict CSP, so that code generation can never creep back into the library; the others
 * (middleware, whose frameworks generate code, and the rest) run normally. Both runs always
 * complete, and the exit status fails when either fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const ROOT = 'test/unit';
/** Folders and root-level files (without `.test.ts`) of the core. */
const CORE = new Set([
  'metrics',
  'model',
  'exposition',
  'registry',
  'instrument',
  'cluster',
  'types',
  'random-snapshot',
]);

const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => f.split('\\').join('/'))
  .sort();
const isCore = (f) => CORE.has(f.includes('/') ? f.slice(0, f.indexOf('/')) : f.slice(0, -'.test.ts'.length));
const core = files.filter(isCore).map((f) => `${ROOT}/${f}`);
const rest = files.filter((f) => !isCore(f)).map((f) => `${ROOT}/${f}`);

let failed = false;
for (const [flags, list] of [
  [['--disallow-code-generation-from-strings'], core],
  [[], rest],
]) {
  const args = [...flags, '--import', 'tsx', '--test', '--test-concurrency=2', ...list];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
