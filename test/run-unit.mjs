/**
 * `npm run test:unit`: the core unit tests (metrics, registry, labels, exposition, lifecycle) run
 * under --disallow-code-generation-from-strings, as in Cloudflare Workers or under a strict CSP,
 * so that code generation can never creep back into the library; the others (middleware, whose
 * frameworks generate code, and the rest) run normally. Both runs always complete, and the exit
 * status fails when either fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const CORE = new Set([
  'metrics',
  'registry',
  'exposition',
  'exemplar',
  'format-number',
  'label-reading',
  'native-histogram',
  'negotiate',
  'negotiate-protobuf',
  'protobuf',
  'series-lifecycle',
  'sketch',
  'types',
  'cluster-merge',
  'instrument',
]);

const dir = 'test/unit';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const core = files.filter((f) => CORE.has(f.slice(0, -'.test.ts'.length))).map((f) => `${dir}/${f}`);
const rest = files.filter((f) => !CORE.has(f.slice(0, -'.test.ts'.length))).map((f) => `${dir}/${f}`);

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
