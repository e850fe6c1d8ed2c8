/**
 * The cost of the default process and runtime metrics per scrape: the median wall time, over
 * 200 sequential scrapes, of collecting (and of rendering as text) a registry holding only the
 * default metrics, for aioprometheus and prom-client side by side in one process.
 */
import * as promClient from 'prom-client';
import { collectDefaultMetrics } from '../src/collectors/index.js';
import { Registry, render } from '../src/index.js';
import type { BenchRow } from './harness.js';

const WARMUP = 30;
const SCRAPES = 200;

async function medianMs(scrape: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await scrape();
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    await scrape();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return (times[(SCRAPES - 1) >> 1]! + times[SCRAPES >> 1]!) / 2;
}

export async function run(): Promise<BenchRow[]> {
  const registry = new Registry();
  const stop = collectDefaultMetrics({ registry });
  const promRegistry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: promRegistry });
  try {
    const collect = {
      aioprometheus: await medianMs(() => registry.collect()),
      'prom-client': await medianMs(() => promRegistry.getMetricsAsJSON()),
    };
    const text = {
      aioprometheus: await medianMs(() => render(registry)),
      'prom-client': await medianMs(() => promRegistry.metrics()),
    };
    return [
      {
        name: 'default metrics: collect, median per scrape',
        unit: 'ms',
        higherIsBetter: false,
        results: collect,
      },
      {
        name: 'default metrics: render text, median per scrape',
        unit: 'ms',
        higherIsBetter: false,
        results: text,
      },
    ];
  } finally {
    stop();
    promRegistry.clear();
  }
}
