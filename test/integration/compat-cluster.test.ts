// AggregatorRegistry of the layer with a real node:cluster: the primary's clusterMetrics() is the
// aggregate of its workers' metrics by each metric's aggregator, and a worker that exits instead
// of answering is left out without waiting for the timeout.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startProcess, waitFor } from '../helpers/processes.js';

const primary = join(import.meta.dirname, '..', 'fixtures', 'compat-cluster', 'primary.ts');

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) return undefined;
  const value = line.slice(series.length + 1);
  return value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value);
}

test('clusterMetrics aggregates the workers of a real cluster by each metric aggregator', async (t) => {
  const app = startProcess(t, process.execPath, ['--import', 'tsx', primary]);
  const results = await waitFor(
    'the primary to print both aggregates',
    async () => {
      const out = app.output();
      const second = /^SECOND_MS (\d+)$/m.exec(out);
      if (second === null) return undefined;
      const read = (label: string) => JSON.parse(new RegExp(`^${label} (.*)$`, 'm').exec(out)![1]!) as string;
      return { first: read('FIRST'), second: read('SECOND'), secondMs: Number(second[1]) };
    },
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${app.output()}`);
  });
  const { first, second } = results;
  // Worker ids are 1, 2 and 3.
  assert.equal(sample(first, 'jobs{kind="a"}'), 6);
  assert.equal(sample(first, 'peak'), 30);
  assert.equal(sample(first, 'unbounded'), Number.POSITIVE_INFINITY);
  assert.equal(sample(first, 'latency_bucket{le="1"}'), 1);
  assert.equal(sample(first, 'latency_bucket{le="5"}'), 3);
  assert.equal(sample(first, 'latency_count'), 3);
  assert.equal(sample(first, 'latency_sum'), 6);
  // Default metrics: start time omitted, version first, memory summed.
  assert.doesNotMatch(first, /process_start_time_seconds/);
  assert.equal(first.match(/^nodejs_version_info\{/gm)?.length, 1);
  assert.ok((sample(first, 'nodejs_heap_size_total_bytes') ?? 0) > 0);
  // Worker 3 exited instead of answering: the aggregate of workers 1 and 2, without the 5 s wait.
  assert.equal(sample(second, 'jobs{kind="a"}'), 3);
  assert.equal(sample(second, 'peak'), 20);
  assert.ok(results.secondMs < 5000, `the second call took ${results.secondMs} ms`);
  await waitFor(
    'the primary to exit',
    async () => (app.child.exitCode === null ? undefined : app.child.exitCode),
    30_000,
  );
  assert.equal(app.child.exitCode, 0, app.output());
});
