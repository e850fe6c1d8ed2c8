/**
 * Prints the memory per series of 100,000 two-label counter series for one library (argv[2]):
 * the JS heap plus ArrayBuffers, where typed-array columns keep their numbers outside the heap.
 * Run with --expose-gc in a fresh process, so the baseline holds nothing else.
 */
import { createRequire } from 'node:module';
import * as ours from '../src/index.js';

const SERIES = 100_000;
const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

// Label values are built before the baseline so that only the series cost is measured.
const a = Array.from({ length: SERIES }, (_, i) => `value_${i % 100}`);
const b = Array.from({ length: SERIES }, (_, i) => `path/${i}`);
const lib = process.argv[2];
let keep: unknown;
const before = heap();
if (lib === 'aioprometheus') {
  const c = new ours.Counter({
    name: 'heap_total',
    help: 'h',
    labelNames: ['a', 'b'] as const,
    registry: null,
  });
  for (let i = 0; i < SERIES; i++) c.inc({ a: a[i]!, b: b[i]! });
  keep = c;
} else {
  const client = require(lib as string) as typeof import('prom-client');
  const c = new client.Counter({ name: 'heap_total', help: 'h', labelNames: ['a', 'b'], registers: [] });
  for (let i = 0; i < SERIES; i++) c.inc({ a: a[i]!, b: b[i]! });
  keep = c;
}
const after = heap();
process.stdout.write(`${Math.round((after - before) / SERIES)}\n`);
if (keep === undefined) process.exitCode = 1;
