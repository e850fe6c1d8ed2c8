/**
 * The cost of the HTTP middleware: a trivial Express and Fastify app, bare ('none'), with the
 * aioprometheus middleware, and (Express only) with express-prom-bundle. Targets: at most 5 %
 * fewer requests per second on Fastify, 10 % on Express.
 *
 * Each app runs in its own child process while autocannon (10 connections) drives it from this
 * one. Two measures per variant, each the median over interleaved rounds:
 * - requests per second, what the targets are stated in; on a small shared VM it swings by
 *   ±10 % from round to round, as much as the effect being measured;
 * - the server process's CPU time per request (from /proc/<pid>/stat), which scheduling noise
 *   hardly moves: the difference between variants is the middleware's cost.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type ChildServer, startChildServer, stopChildServer } from './child-server.js';
import type { BenchRow } from './harness.js';

const TARGET = fileURLToPath(new URL('./middleware-target.ts', import.meta.url));
const ROUNDS = 5;
const ROUND_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU seconds of a process so far (Linux), or NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function compare(framework: string, variants: readonly string[]): Promise<BenchRow[]> {
  const targets = new Map<string, ChildServer>();
  const rps = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  try {
    for (const variant of variants) {
      const target = await startChildServer(TARGET, [framework, variant]);
      targets.set(variant, target);
      // A warm-up lets the JIT settle before the measured rounds.
      await autocannon({ url: target.url, connections: 10, duration: 1 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) {
        const { child, url } = targets.get(variant)!;
        const before = cpuSeconds(child.pid!);
        const result = await autocannon({ url, connections: 10, duration: ROUND_SECONDS });
        const used = cpuSeconds(child.pid!) - before;
        if (result.non2xx > 0 || result.errors > 0) {
          throw new Error(
            `${framework}/${variant}: ${result.non2xx} non-2xx responses, ${result.errors} errors`,
          );
        }
        rps.set(variant, [...(rps.get(variant) ?? []), result.requests.average]);
        cpu.set(variant, [...(cpu.get(variant) ?? []), (used / result.requests.total) * 1e6]);
      }
    }
  } finally {
    for (const target of targets.values()) await stopChildServer(target);
  }
  const of = (m: Map<string, number[]>) => Object.fromEntries(variants.map((v) => [v, median(m.get(v)!)]));
  return [
    {
      name: `${framework}: trivial route, median rps`,
      unit: 'requests/s',
      higherIsBetter: true,
      results: of(rps),
    },
    { name: `${framework}: server CPU per request`, unit: 'µs', higherIsBetter: false, results: of(cpu) },
  ];
}

export async function run(): Promise<BenchRow[]> {
  return [
    ...(await compare('express', ['none', 'aioprometheus', 'express-prom-bundle'])),
    ...(await compare('fastify', ['none', 'aioprometheus'])),
  ];
}
