/**
 * The exposition oracles the integration tests share: prometheus_client's strict OpenMetrics
 * parser (test/fixtures/parse_openmetrics.py) and `promtool check metrics`.
 */
import assert from 'node:assert/strict';
import { run } from './processes.js';

const PARSER = new URL('../fixtures/parse_openmetrics.py', import.meta.url).pathname;

/** An exemplar as the parser reports it: labels, value and timestamp as Python repr strings. */
export type PythonExemplar = [Record<string, string>, string, string | null];
/** A sample as the parser reports it: name, labels, value, timestamp, exemplar. */
export type PythonSample = [string, Record<string, string>, string, string | null, PythonExemplar | null];
/** One exposition's outcome: the parser's error, or every sample it read. */
export interface ParsedExposition {
  readonly error?: string;
  readonly samples?: PythonSample[];
}

/** Parses every exposition with prometheus_client's strict parser, in one Python run. */
export async function parseWithPythonClient(
  python: string,
  texts: readonly string[],
): Promise<ParsedExposition[]> {
  const result = await run(python, [PARSER], JSON.stringify(texts));
  assert.equal(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as ParsedExposition[];
  assert.equal(parsed.length, texts.length, 'the parser answered for a different number of expositions');
  return parsed;
}

/** The samples of an exposition that must parse; the test fails with the parser's error and the text. */
export async function pythonSamples(python: string, text: string): Promise<PythonSample[]> {
  const [parsed] = await parseWithPythonClient(python, [text]);
  assert.equal(parsed!.error, undefined, `${parsed!.error}\n${text}`);
  return parsed!.samples!;
}

/** A Python float repr as a number: `nan`, `inf` and `-inf` are not JavaScript's spellings. */
export function fromPython(repr: string): number {
  if (repr === 'inf') return Number.POSITIVE_INFINITY;
  if (repr === '-inf') return Number.NEGATIVE_INFINITY;
  return repr === 'nan' ? Number.NaN : Number(repr);
}

/** Fails the test unless `promtool check metrics` accepts the text exposition and reports nothing. */
export async function assertPromtoolClean(promtool: string, text: string): Promise<void> {
  const result = await run(promtool, ['check', 'metrics'], text);
  assert.equal(`${result.stdout}${result.stderr}`, '', text);
  assert.equal(result.code, 0, text);
}
