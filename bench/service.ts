/**
 * `/metrics` throughput under concurrent load: our Service against prom-client's
 * `register.metrics()` behind a plain node:http server, each exposing the same 10,000 counter
 * series as text 0.0.4 (the one format both produce), hit by autocannon with 10 connections.
 *
 * Each server runs in a child process, one after the other, while autocannon drives it from
 * this process: the load generator and the server then get a core each (on a 2-core machine)
 * instead of fighting over one event loop, and neither library's heap or JIT state leaks into
 * the other's run.
 */
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startChildServer, stopChildServer } from './child-server.js';
import type { BenchRow } from './harness.js';

const TARGET = fileURLToPath(new URL('./service-target.ts', import.meta.url));
const LIBRARIES = ['aioprometheus', 'prom-client'] as const;
const DURATION_SECONDS = 4;

async function requestsPerSecond(library: string): Promise<number> {
  const server = await startChildServer(TARGET, [library]);
  const { url } = server;
  try {
    // A short warm-up lets the JIT settle before the measured run.
    await autocannon({ url, connections: 10, duration: 1 });
    const result = await autocannon({ url, connections: 10, duration: DURATION_SECONDS });
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(`${library}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    }
    return result.requests.average;
  } finally {
    await stopChildServer(server);
  }
}

export async function run(): Promise<BenchRow[]> {
  const results: Record<string, number> = {};
  for (const library of LIBRARIES) results[library] = await requestsPerSecond(library);
  return [
    {
      name: 'GET /metrics, 10k counter series, 10 connections',
      unit: 'req/s',
      higherIsBetter: true,
      results,
    },
  ];
}
