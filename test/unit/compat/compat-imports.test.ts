// aioprometheus/prom-client must load where Node's modules do not exist (Workers, browsers):
// what its entry reaches through static imports names no Node built-in. The Node-only parts
// (default metrics, cluster aggregation) are imported when first used.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';

/** Static imports and re-exports; `import type` is erased at build time, so it loads nothing. */
const STATIC_IMPORT =
  /(?:^|\n)\s*(?:import|export)\b(?!\s+type\b)[^'";]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'/g;

function builtinsReached(entry: string): { builtins: string[]; files: number } {
  const seen = new Set<string>();
  const builtins = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = (m[1] ?? m[2])!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (specifier.startsWith('node:') || builtinModules.includes(specifier)) builtins.add(specifier);
    }
  };
  visit(entry);
  return { builtins: [...builtins], files: seen.size };
}

test('the prom-client entry reaches no Node built-in through static imports', () => {
  const { builtins, files } = builtinsReached(resolve(import.meta.dirname, '../../../src/compat/index.ts'));
  assert.ok(files > 10, `the walk follows imports (${files} files)`);
  assert.deepEqual(builtins, []);
});

test('the check sees a static Node import: the default-metrics collectors have them', () => {
  const { builtins } = builtinsReached(
    resolve(import.meta.dirname, '../../../src/collectors/default-metrics.ts'),
  );
  assert.ok(builtins.includes('node:perf_hooks'), builtins.join(', '));
});
