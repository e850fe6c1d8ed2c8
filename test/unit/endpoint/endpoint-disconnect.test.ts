import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Counter, Registry, render } from '../../../src/index.js';
import { fetchMetricsHandler } from '../../../src/middleware/fetch.js';
import { metricsHandler } from '../../../src/service/index.js';

function bigRegistry(series: number): Registry {
  const registry = new Registry();
  const counter = new Counter({ name: 'big_total', help: 'Big.', labelNames: ['id'] as const, registry });
  for (let i = 0; i < series; i++) counter.inc({ id: `series-${i}-${'x'.repeat(40)}` });
  return registry;
}

test('node:http: a client that disconnects stops the encoding done for it, and frees its place', async (t) => {
  const registry = bigRegistry(100_000);
  const full = Buffer.byteLength((await render(registry)).body as string);
  const handler = metricsHandler(registry, { maxConcurrentScrapes: 1 });
  let written = 0;
  let closed: () => void = () => {};
  const firstClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = createServer((req, res) => {
    const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
    res.write = ((chunk: Uint8Array) => {
      written += chunk.byteLength;
      return write(chunk);
    }) as typeof res.write;
    res.once('close', closed);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => {});
    req.once('error', reject);
    req.end();
  });
  await firstClosed;
  // Give the abandoned scrape a few turns of the event loop to stop.
  await new Promise((r) => setTimeout(r, 200));
  const afterStop = written;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(written, afterStop, 'nothing more is written once the client has gone');
  assert.ok(written < full / 2, `${written} of ${full} bytes were written for the client that left`);
  const again = await fetch(`http://127.0.0.1:${port}/metrics?name[]=absent`);
  assert.equal(again.status, 200, 'the limit of one scrape was freed');
});

test('fetch: cancelling a streamed body frees its place under maxConcurrentScrapes', async () => {
  const handler = fetchMetricsHandler({ registry: bigRegistry(30_000), maxConcurrentScrapes: 1 });
  const first = await handler(new Request('http://metrics.test/metrics'));
  assert.equal(first.status, 200);
  assert.ok(first.body !== null);
  const busy = await handler(new Request('http://metrics.test/metrics'));
  assert.equal(busy.status, 503);
  await first.body.cancel();
  const again = await handler(new Request('http://metrics.test/metrics?name[]=absent'));
  assert.equal(again.status, 200);
});
