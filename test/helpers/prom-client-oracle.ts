/**
 * Running one scenario on prom-client and on aioprometheus/prom-client, and comparing what they
 * expose with the differences the docs list (family order, label order) taken out.
 */
import * as oracle from 'prom-client';
import * as compat from '../../src/compat/index.js';

export { compat, oracle };

export type Lib = typeof compat | typeof oracle;
export type AnyRegistry = InstanceType<Lib['Registry']>;

/** Samples and metadata, with label pairs sorted and families apart, so ordering (a listed difference) is ignored. */
export function normalize(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^([^{ ]+)\{(.*)\} (.*)$/.exec(line);
      if (m === null) return line;
      const pairs = m[2]!.match(/[a-zA-Z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
      return `${m[1]}{${[...pairs].sort().join(',')}} ${m[3]}`;
    })
    .sort();
}

/** Runs `scenario` once per library, each on a fresh registry of that library. */
export async function both(
  scenario: (lib: Lib, registry: AnyRegistry) => void,
  contentType?: compat.RegistryContentType,
): Promise<{ ours: compat.Registry<compat.RegistryContentType>; theirs: oracle.Registry }> {
  const ours = new compat.Registry<compat.RegistryContentType>(contentType);
  // prom-client's typings leave out the constructor's content-type argument.
  const OracleRegistry = oracle.Registry as unknown as new (type?: string) => oracle.Registry;
  const theirs = new OracleRegistry(contentType);
  scenario(compat as unknown as Lib, ours as unknown as AnyRegistry);
  scenario(oracle as unknown as Lib, theirs as unknown as AnyRegistry);
  return { ours, theirs };
}

/** A value as it crosses JSON (own `undefined` keys dropped), for comparing `get()` results. */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
