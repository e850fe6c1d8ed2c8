/**
 * Remote-write benchmark (`node --expose-gc --import tsx bench/remote-write.ts [encode|snappy|memory]`):
 *
 * 1. Cost per collection of 10,000 counter series (2 labels) and of 1,000 classic histograms:
 *    flattening plus the 1.0 and 2.0 protobuf encoders, with our Snappy compressor and with
 *    `snappyjs`, against the scrape path's text render of the same families.
 * 2. The two Snappy compressors alone on the 1.0 body: throughput and compressed size.
 * 3. Peak heap while the receiver is down for many intervals (the queue must stay bounded),
 *    then how the writer drains once the receiver is back.
 */
import { compress as snappyjsCompress } from 'snappyjs';
import { renderText } from '../src/exposition/index.js';
import { type MetricFamily, Registry } from '../src/index.js';
import { encodeV1 } from '../src/remote-write/encode-v1.js';
import { encodeV2 } from '../src/remote-write/encode-v2.js';
import type { FetchFunction } from '../src/remote-write/index.js';
import { RemoteWriter } from '../src/remote-write/index.js';
import { flattenFamilies } from '../src/remote-write/series.js';
import { snappyCompress } from '../src/remote-write/snappy.js';
import { oursLargeRegistries } from './core.js';
import { opsPerSecond } from './harness.js';

const MAX = Number.POSITIVE_INFINITY;

function v1(families: readonly MetricFamily[]): Uint8Array {
  const { series } = flattenFamilies(families, Date.now());
  return encodeV1(series, 0, series.length, MAX).body;
}

function v2(families: readonly MetricFamily[]): Uint8Array {
  const { series } = flattenFamilies(families, Date.now());
  return encodeV2(series, 0, series.length, MAX).body;
}

function ms(opsPerSec: number): string {
  return `${(1000 / opsPerSec).toFixed(2)} ms`;
}

async function encodeCost(): Promise<void> {
  const registries = oursLargeRegistries();
  console.log(
    '| per collection | text render | 1.0 encode | 1.0 + our snappy | 1.0 + snappyjs | 2.0 + our snappy |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [which, label] of [
    ['counters', '10,000 counter series'],
    ['histograms', '1,000 histograms (14 series each)'],
  ] as const) {
    const families = await registries[which].collect();
    const text = opsPerSecond(() => new TextEncoder().encode(renderText(families)), 1, 5, 300);
    const encode = opsPerSecond(() => v1(families), 1, 5, 300);
    const ours = opsPerSecond(() => snappyCompress(v1(families)), 1, 5, 300);
    const theirs = opsPerSecond(() => snappyjsCompress(v1(families)), 1, 5, 300);
    const ours2 = opsPerSecond(() => snappyCompress(v2(families)), 1, 5, 300);
    console.log(`| ${label} | ${ms(text)} | ${ms(encode)} | ${ms(ours)} | ${ms(theirs)} | ${ms(ours2)} |`);
  }
}

async function compressors(): Promise<void> {
  const registries = oursLargeRegistries();
  console.log('\n| body (uncompressed) | our snappy MB/s | snappyjs MB/s | our size | snappyjs size |');
  console.log('|---|---:|---:|---:|---:|');
  for (const which of ['counters', 'histograms'] as const) {
    const families = await registries[which].collect();
    for (const [protocol, body] of [
      ['1.0', v1(families)],
      ['2.0', v2(families)],
    ] as const) {
      const mb = body.length / 1e6;
      const ours = opsPerSecond(() => snappyCompress(body), 1, 5, 300) * mb;
      const theirs = opsPerSecond(() => snappyjsCompress(body), 1, 5, 300) * mb;
      console.log(
        `| ${which} ${protocol}, ${(body.length / 1024).toFixed(0)} KiB | ${ours.toFixed(0)} | ${theirs.toFixed(0)} | ${(snappyCompress(body).length / 1024).toFixed(0)} KiB | ${(snappyjsCompress(body).length / 1024).toFixed(0)} KiB |`,
      );
    }
  }
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function receiverDown(): Promise<void> {
  const registry = oursLargeRegistries().counters;
  let up = false;
  const down: FetchFunction = async () => {
    if (!up) throw new Error('connect ECONNREFUSED');
    return { status: 204, headers: { get: () => null }, text: async () => '' };
  };
  const writer = new RemoteWriter({
    url: 'http://127.0.0.1:9/api/v1/write',
    registry,
    intervalMs: 5,
    maxRetries: MAX,
    retryDelayMs: 1,
    retryMaxDelayMs: 2,
    metricsRegistry: new Registry(),
    fetch: down,
    onError: () => {},
  });
  const before = heapMiB();
  writer.start();
  let peak = before;
  const started = Date.now();
  let collections = 0;
  while (Date.now() - started < 10_000) {
    await new Promise((r) => setTimeout(r, 100));
    peak = Math.max(peak, heapMiB());
    collections = Math.round((Date.now() - started) / 5);
  }
  const queued = writer.queueLength;
  up = true;
  const drainStart = performance.now();
  await writer.stop().catch(() => {});
  console.log(
    `\nreceiver down 10 s (~${collections} intervals of 10,000 series, default maxQueueSamples 100,000): heap ${before.toFixed(1)} MiB before, peak ${peak.toFixed(1)} MiB, queue ${queued} samples; drained in ${(performance.now() - drainStart).toFixed(0)} ms once back`,
  );
}

const only = process.argv[2];
if (only === undefined || only === 'encode') await encodeCost();
if (only === undefined || only === 'snappy') await compressors();
if (only === undefined || only === 'memory') await receiverDown();
