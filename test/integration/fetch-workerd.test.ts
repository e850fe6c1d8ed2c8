/**
 * The fetch transport on Cloudflare's workerd (through miniflare): a Worker bundled from the
 * source (the core and the metric classes, not the root entry with its Node collectors), with
 * no Node compatibility flag, serves its registry as text, gzip and HEAD.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const WORKER = `
import { Counter } from './src/metrics/counter.ts';
import { Registry } from './src/registry.ts';
import { fetchMetricsHandler } from './src/middleware/fetch.ts';
const registry = new Registry();
const hits = new Counter({ name: 'worker_hits_total', help: 'Hits.', registry });
const metrics = fetchMetricsHandler({ registry });
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/metrics') return metrics(request);
    hits.inc();
    return new Response('hit');
  },
};
`;

test('a Worker serves the exposition through fetchMetricsHandler on workerd', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const worker = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: '2024-09-23',
  });
  t.after(() => worker.dispose());
  await worker.dispatchFetch('http://worker.test/');
  await worker.dispatchFetch('http://worker.test/');
  // workerd may gzip (it sets the request's Accept-Encoding itself); the client then decodes.
  const text = await worker.dispatchFetch('http://worker.test/metrics', {
    headers: { 'Accept-Encoding': 'identity' },
  });
  assert.equal(text.status, 200);
  assert.equal(
    await text.text(),
    '# HELP worker_hits_total Hits.\n# TYPE worker_hits_total counter\nworker_hits_total 2\n',
  );
  const zipped = await worker.dispatchFetch('http://worker.test/metrics', {
    headers: { 'Accept-Encoding': 'gzip', Accept: 'application/openmetrics-text;version=1.0.0' },
  });
  // The client behind dispatchFetch decodes the gzip itself and drops the header.
  assert.equal(
    await zipped.text(),
    '# HELP worker_hits Hits.\n# TYPE worker_hits counter\nworker_hits_total 2.0\n# EOF\n',
  );
  const head = await worker.dispatchFetch('http://worker.test/metrics', {
    method: 'HEAD',
    headers: { 'Accept-Encoding': 'identity' },
  });
  assert.equal(head.status, 200);
  // workerd sets the request's Accept-Encoding itself, so the length may be the gzip's.
  assert.match(head.headers.get('content-length') ?? '', /^[1-9]\d*$/);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  const posted = await worker.dispatchFetch('http://worker.test/metrics', { method: 'POST' });
  assert.equal(posted.status, 405);
  assert.equal(posted.headers.get('allow'), 'GET, HEAD');
});
