import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

/**
 * The layers of ARCHITECTURE.md, lowest first. A module may import from its own unit and from
 * any lower layer, never from a higher one; units that share a layer do not import each other
 * unless the pair is listed in SIDEWAYS.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'options.ts', 'gzip.ts', 'model'],
  ['metrics', 'collectors', 'exposition', 'cluster/wire'],
  ['registry'],
  ['endpoint'],
  ['service', 'middleware', 'push', 'remote-write', 'instrument', 'cluster', 'fetch', 'compat'],
  ['index.ts'],
];

/**
 * Imports that the design allows besides the layering, as "from → to": same-layer pairs, and
 * registration, the one upward edge (a metric or the default-metrics collector registers itself
 * in the registry it is given, REGISTRY by default; it calls only `register`).
 */
const SIDEWAYS = new Set([
  'errors.ts → model', // CollectError carries the families that were gathered
  'model → errors.ts',
  'metrics → registry',
  'collectors → registry',
  'collectors → metrics', // default metrics are built from the metric classes
  'middleware → service', // adapters reuse the node:http transport
  'middleware → instrument',
  'compat → service',
  'compat → push',
  'compat → cluster',
  'compat → collectors',
  'cluster → service',
]);

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'(\.[^']+)'/g))
    found.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*'(\.[^']+)'/g)) found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) found.push(m[1]!);
  return found;
}

function resolveImport(from: string, specifier: string): string {
  return resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
}

/** The unit a file belongs to: the longest LAYERS entry that is a prefix of its path in src/. */
function unitOf(file: string): { unit: string; layer: number } {
  const rel = relative(SRC, file).split('\\').join('/');
  let best: { unit: string; layer: number } | undefined;
  LAYERS.forEach((units, layer) => {
    for (const unit of units) {
      const matches = rel === unit || rel.startsWith(`${unit}/`) || rel === `${unit}.ts`;
      if (matches && (best === undefined || unit.length > best.unit.length)) best = { unit, layer };
    }
  });
  if (best === undefined) throw new Error(`src/${rel} belongs to no layer: add its folder to LAYERS`);
  return best;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s))]));

describe('architecture', () => {
  test('every import points to the same unit or down the layers', () => {
    const violations: string[] = [];
    for (const [from, targets] of graph) {
      const a = unitOf(from);
      for (const to of targets) {
        const b = unitOf(to);
        if (a.unit === b.unit || b.layer < a.layer) continue;
        if (SIDEWAYS.has(`${a.unit} → ${b.unit}`)) continue;
        violations.push(`${relative(SRC, from)} (${a.unit}) imports ${relative(SRC, to)} (${b.unit})`);
      }
    }
    assert.deepEqual(violations, []);
  });

  test('the import graph of src/ has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const to of graph.get(file) ?? []) visit(to, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  test('the checker sees imports: a known edge is in the graph', () => {
    const index = join(SRC, 'index.ts');
    assert.ok(
      (graph.get(index) ?? []).length > 0,
      'src/index.ts imports nothing: the import reader is broken',
    );
  });
});
