/**
 * Executable docs: every `@example` in a doc comment under src/ is a ```ts block that compiles.
 * Each example becomes its own module beside the file it documents (so a relative import means
 * what it means there), with `aioprometheus` and its subpaths mapped to the package's sources,
 * and the TypeScript compiler checks them all with the project's own settings. A failure names
 * the file and line of the example. Doc comments also keep `@throws` honest: each names an error
 * class that exists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

interface Example {
  /** The documented file, relative to the repository. */
  readonly file: string;
  /** The line of the example's first code line in that file. */
  readonly line: number;
  readonly code: string;
  /** Where the example is compiled: a module next to the documented file. */
  readonly path: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The doc comments of a file: their lines without the leading ` * `, and the first line number. */
function docComments(text: string): { lines: string[]; line: number }[] {
  const out: { lines: string[]; line: number }[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const line = text.slice(0, m.index).split('\n').length;
    const lines = m[0]
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''));
    out.push({ lines, line });
  }
  return out;
}

/** The examples of a file, and the misuses found: code fences outside `@example`, empty tags. */
function examplesOf(path: string): { examples: Example[]; misuses: string[] } {
  const file = relative(ROOT, path);
  const examples: Example[] = [];
  const misuses: string[] = [];
  for (const comment of docComments(readFileSync(path, 'utf8'))) {
    const { lines } = comment;
    let expectFence = false;
    for (let i = 0; i < lines.length; i++) {
      const at = comment.line + i;
      const text = lines[i]!.trim();
      if (text.startsWith('@example')) {
        expectFence = true;
        continue;
      }
      if (text === '') continue;
      const isTsFence = text === '```ts';
      if (expectFence && !isTsFence)
        misuses.push(`${file}:${at}: @example is not followed by a \`\`\`ts block`);
      if (!expectFence && isTsFence) misuses.push(`${file}:${at}: a \`\`\`ts block outside an @example`);
      expectFence = false;
      if (!isTsFence) continue;
      const end = lines.findIndex((l, k) => k > i && l.trim() === '```');
      if (end < 0) {
        misuses.push(`${file}:${at}: an unclosed \`\`\`ts block`);
        break;
      }
      // Indentation inside the block is the example's own: only the comment prefix was removed.
      const code = lines.slice(i + 1, end).join('\n');
      const path_ = join(dirname(path), `__example_${basename(path, '.ts')}_${at + 1}.ts`);
      examples.push({ file, line: at + 1, code, path: path_ });
      i = end;
    }
    if (expectFence) misuses.push(`${file}:${comment.line}: @example at the end of a comment`);
  }
  return { examples, misuses };
}

/** Public subpaths and their source entries, read from the build configuration. */
function packageEntries(): Map<string, string> {
  const config = readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8');
  const block = /const entries = \{([\s\S]*?)\};/.exec(config)?.[1];
  assert.ok(block !== undefined, 'tsup.config.ts has no `entries` object');
  const entries = new Map<string, string>();
  for (const m of block.matchAll(/'?([\w-]+)'?: '([^']+)'/g)) {
    entries.set(m[1] === 'index' ? 'aioprometheus' : `aioprometheus/${m[1]}`, m[2]!);
  }
  return entries;
}

function compilerOptions(paths: Map<string, string>): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  assert.equal(config.error, undefined, 'tsconfig.json does not parse');
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    // Each example is a module of its own, even without an import.
    moduleDetection: ts.ModuleDetectionKind.Force,
    baseUrl: ROOT,
    paths: Object.fromEntries([...paths].map(([name, source]) => [name, [source]])),
  };
}

/** Type-checks the examples in one program; returns one line per error, naming file and line. */
function typeCheck(examples: readonly Example[], options: ts.CompilerOptions): string[] {
  const byPath = new Map(examples.map((e) => [e.path, e]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => byPath.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byPath.get(f)?.code ?? readFile.call(host, f);
  host.getSourceFile = (f, version, onError, create) => {
    const example = byPath.get(f);
    if (example === undefined) return getSourceFile.call(host, f, version, onError, create);
    return ts.createSourceFile(f, example.code, version, true);
  };
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options, host });
  const errors: string[] = [];
  for (const example of examples) {
    const sf = program.getSourceFile(example.path);
    assert.ok(sf !== undefined, `${example.file}:${example.line}: the example was not compiled`);
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    for (const d of diagnostics) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      errors.push(`${example.file}:${example.line + line}: ${message}`);
    }
  }
  return errors;
}

const found = sourceFiles(SRC).map(examplesOf);
const examples = found.flatMap((f) => f.examples);
const entries = packageEntries();

describe('doc examples', () => {
  test('every public subpath of package.json is mapped for the examples', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(pkg.exports)
      .filter((s) => s !== './package.json')
      .map((s) => (s === '.' ? 'aioprometheus' : `aioprometheus/${s.slice(2)}`));
    assert.deepEqual([...entries.keys()].sort(), subpaths.sort());
  });

  test('code in doc comments is written as @example ```ts blocks', () => {
    const misuses = found.flatMap((f) => f.misuses);
    assert.deepEqual(misuses, [], misuses.join('\n'));
    assert.ok(examples.length >= 40, `only ${examples.length} examples found: is the extraction broken?`);
  });

  test('every @example compiles', () => {
    const errors = typeCheck(examples, compilerOptions(entries));
    assert.deepEqual(errors, [], `examples that do not compile:\n${errors.join('\n')}`);
  });

  test('a broken example is reported with its file and line', () => {
    const broken: Example = {
      file: 'src/registry.ts',
      line: 10,
      code: "import { Registry } from 'aioprometheus';\nnew Registry().collectEverything();",
      path: join(SRC, '__example_broken_10.ts'),
    };
    const errors = typeCheck([broken], compilerOptions(entries));
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^src\/registry\.ts:11: Property 'collectEverything' does not exist/);
  });
});

/** Error classes of the library (`class X extends …Error`) and the built-in ones it throws. */
function errorClasses(): Set<string> {
  const names = new Set(['Error', 'TypeError', 'RangeError']);
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/class (\w+) extends (\w*Error)\b/g))
      names.add(m[1]!);
  }
  return names;
}

describe('@throws', () => {
  test('every @throws names an error class and says when', () => {
    const known = errorClasses();
    const problems: string[] = [];
    let count = 0;
    for (const path of sourceFiles(SRC)) {
      for (const comment of docComments(readFileSync(path, 'utf8'))) {
        comment.lines.forEach((text, i) => {
          if (!text.trimStart().startsWith('@throws')) return;
          count++;
          const at = `${relative(ROOT, path)}:${comment.line + i}`;
          const m = /^@throws \{(\w+)\} (when|if|for|on) /.exec(text.trim());
          if (m === null) problems.push(`${at}: write "@throws {ErrorClass} when …"`);
          else if (!known.has(m[1]!)) problems.push(`${at}: ${m[1]} is not an error class of the library`);
        });
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(count > 0, 'no @throws found: is the reader broken?');
  });
});
