/**
 * The client_golang oracle (test/fixtures/golang-oracle): builds it once per source version with
 * Debian's Go packages (offline, GOPATH mode) into a cache under the temp directory, and runs it
 * on registry descriptions in the library's snapshot model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricFamily } from '../../src/index.js';
import { findBinary, run } from './processes.js';

const SOURCE_DIR = new URL('../fixtures/golang-oracle/', import.meta.url).pathname;
/** Where Debian's golang-github-prometheus-* packages put their sources. */
const GOPATH = '/usr/share/gocode';

/** client_golang's three encodings of one registry, or the error its Gather or encoders reported. */
export interface GoEncoding {
  readonly text?: string;
  readonly openmetrics?: string;
  readonly protobuf?: string;
  readonly error?: string;
}

/**
 * Builds the oracle if needed; resolves with its path, or undefined when Go or the packages are
 * missing (an error under CI, where .ci/run installs them).
 */
export async function buildGolangOracle(): Promise<string | undefined> {
  const go = findBinary('go');
  const packages = existsSync(join(GOPATH, 'src/github.com/prometheus/client_golang/prometheus'));
  if (go === undefined || !packages) {
    if (process.env.CI)
      throw new Error('go and golang-github-prometheus-client-golang-dev are required when CI is set');
    return undefined;
  }
  const source = readFileSync(join(SOURCE_DIR, 'main.go'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `aioprom-golang-oracle-${hash}`);
  const binary = join(dir, 'oracle');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const partial = `${binary}.${process.pid}`;
  const env = [
    'GO111MODULE=off',
    `GOPATH=${GOPATH}`,
    `GOCACHE=${join(dir, 'cache')}`,
    'GOFLAGS=',
    'CGO_ENABLED=0',
  ];
  const built = await run(
    '/usr/bin/env',
    [
      ...env,
      `HOME=${dir}`,
      `PATH=${process.env.PATH ?? ''}`,
      go,
      'build',
      '-o',
      partial,
      join(SOURCE_DIR, 'main.go'),
    ],
    undefined,
    300_000,
  );
  if (built.code !== 0) throw new Error(`building the Go oracle failed:\n${built.stderr}`);
  await rename(partial, binary);
  return binary;
}

/** JSON for the oracle: NaN, ±Inf and -0 as the strings it reads them from. */
export function oracleJson(registries: readonly (readonly MetricFamily[])[]): string {
  return JSON.stringify(registries, (_key, value: unknown) => {
    if (typeof value !== 'number') return value;
    if (Number.isNaN(value)) return 'NaN';
    if (value === Number.POSITIVE_INFINITY) return '+Inf';
    if (value === Number.NEGATIVE_INFINITY) return '-Inf';
    if (Object.is(value, -0)) return '-0';
    return value;
  });
}

/** Encodes each registry with client_golang (one process for all of them). */
export async function golangEncode(
  oracle: string,
  registries: readonly (readonly MetricFamily[])[],
): Promise<GoEncoding[]> {
  const result = await run(oracle, [], oracleJson(registries), 120_000);
  if (result.code !== 0) throw new Error(`the Go oracle failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as GoEncoding[];
}
