// The public surface, per subpath, as a checked-in list (test/package/api.txt): every exported
// name with its kind, read from the built declaration files with the TypeScript compiler. A change
// of the surface fails this check until api.txt is regenerated (`node test/package/api-report.mjs
// --write`), so it shows in review.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const subpaths = Object.keys(manifest.exports).filter((s) => s !== './package.json');

function kindOf(checker, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  return 'other';
}

const lines = [];
for (const subpath of subpaths) {
  const file = resolve(root, manifest.exports[subpath].import.types);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  assert.ok(source !== undefined, `${file} is missing: build first (npm run build)`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exported = checker.getExportsOfModule(moduleSymbol).map((s) => `${kindOf(checker, s)} ${s.name}`);
  lines.push(`aioprometheus${subpath.slice(1)}`, ...exported.sort().map((e) => `  ${e}`));
}
const report = `${lines.join('\n')}\n`;
const path = `${root}/test/package/api.txt`;
if (process.argv.includes('--write')) {
  writeFileSync(path, report);
  console.log(`api report: wrote ${path}`);
} else {
  assert.equal(
    report,
    readFileSync(path, 'utf8'),
    'the public API changed: review it, then run node test/package/api-report.mjs --write',
  );
  console.log(`api report: ${subpaths.length} subpaths match test/package/api.txt`);
}
