/**
 * The scrape path under load, our metricsHandler against prom-client behind a plain node:http
 * server, each server in its own process (see bench/scrape-load-target.ts):
 * - `/metrics` throughput at 10k and 100k counter series (autocannon, 10 connections);
 * - during one scrape of 1M series: the server's event-loop delay p99, the slowest answer of an
 *   unrelated route (`/ping`, asked every 20 ms), the scrape's duration;
 * - peak extra memory while 10 scrapes of 100k series are in flight, per scrape, as a multiple
 *   of the exposition's size (RSS, and V8 heap plus external memory).
 */
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type ChildServer, startChildServer, stopChildServer } from './child-server.js';
import type { BenchRow } from './harness.js';

const TARGET = fileURLToPath(new URL('./scrape-load-target.ts', import.meta.url));
const LIBRARIES = ['aioprometheus', 'prom-client'] as const;
type Library = (typeof LIBRARIES)[number];

interface Stats {
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  readonly peakExtraRssBytes: number;
  readonly peakExtraHeapBytes: number;
}

async function withServer<T>(library: Library, series: number, fn: (base: string) => Promise<T>): Promise<T> {
  const server: ChildServer = await startChildServer(
    TARGET,
    [library, String(series)],
    ['--expose-gc'],
    300_000,
  );
  try {
    return await fn(server.url);
  } finally {
    await stopChildServer(server);
  }
}

/** GETs a URL and counts the body bytes; resolves with the size and the time to the last byte. */
function scrape(url: string): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url}: status ${res.statusCode}`));
        else resolve({ bytes, ms: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** GETs a small response's text, on a connection of its own. */
function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function stats(base: string): Promise<Stats> {
  return JSON.parse(await get(`${base}/stats`)) as Stats;
}

async function throughput(library: Library, series: number): Promise<number> {
  return withServer(library, series, async (base) => {
    const url = `${base}/metrics`;
    await autocannon({ url, connections: 10, duration: 1 });
    const duration = series > 50_000 ? 8 : 4;
    const result = await autocannon({ url, connections: 10, duration });
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(`${library}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    }
    // Total over time rather than the mean of per-second counts, which reads 0 for seconds in
    // which no large response happened to complete.
    return result.requests.total / duration;
  });
}

interface BigScrape {
  readonly delayP99Ms: number;
  readonly slowestPingMs: number;
  readonly scrapeMs: number;
  readonly megabytes: number;
}

export async function oneMillion(library: Library): Promise<BigScrape> {
  return withServer(library, 1_000_000, async (base) => {
    await scrape(`${base}/metrics`); // warm-up: JIT and the encoders' caches
    await get(`${base}/stats/reset`);
    let pinging = true;
    let slowestPingMs = 0;
    const pings = (async () => {
      while (pinging) {
        // A new connection per ping: a keep-alive socket can be closed by the server's idle timer
        // just as a ping is sent on it, and that race is not what is measured here.
        slowestPingMs = Math.max(slowestPingMs, (await scrape(`${base}/ping`)).ms);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const { bytes, ms } = await scrape(`${base}/metrics`);
    pinging = false;
    await pings;
    const s = await stats(base);
    return { delayP99Ms: s.delayP99Ms, slowestPingMs, scrapeMs: ms, megabytes: bytes / 1e6 };
  });
}

async function memoryPerScrape(library: Library): Promise<{ rss: number; heap: number }> {
  const inFlight = 10;
  return withServer(library, 100_000, async (base) => {
    const { bytes } = await scrape(`${base}/metrics`);
    await get(`${base}/stats/reset`);
    await Promise.all(Array.from({ length: inFlight }, () => scrape(`${base}/metrics`)));
    const s = await stats(base);
    return { rss: s.peakExtraRssBytes / inFlight / bytes, heap: s.peakExtraHeapBytes / inFlight / bytes };
  });
}

function perLibrary<T>(fn: (library: Library) => Promise<T>): Promise<Record<Library, T>> {
  return (async () => {
    const out = {} as Record<Library, T>;
    for (const library of LIBRARIES) out[library] = await fn(library);
    return out;
  })();
}

function pick<T>(results: Record<Library, T>, key: (value: T) => number): Record<string, number> {
  return { aioprometheus: key(results.aioprometheus), 'prom-client': key(results['prom-client']) };
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const series of [10_000, 100_000]) {
    rows.push({
      name: `GET /metrics, ${series / 1000}k counter series, 10 connections`,
      unit: 'req/s',
      higherIsBetter: true,
      results: await perLibrary((library) => throughput(library, series)),
    });
  }
  const big = await perLibrary(oneMillion);
  rows.push(
    {
      name: '1M-series scrape: event-loop delay p99',
      unit: 'ms',
      higherIsBetter: false,
      results: pick(big, (b) => b.delayP99Ms),
    },
    {
      name: '1M-series scrape: slowest /ping meanwhile',
      unit: 'ms',
      higherIsBetter: false,
      results: pick(big, (b) => b.slowestPingMs),
    },
    {
      name: '1M-series scrape: time to last byte',
      unit: 'ms',
      higherIsBetter: false,
      results: pick(big, (b) => b.scrapeMs),
    },
    {
      name: '1M-series scrape: exposition size',
      unit: 'MB',
      higherIsBetter: false,
      results: pick(big, (b) => b.megabytes),
    },
  );
  const memory = await perLibrary(memoryPerScrape);
  rows.push(
    {
      name: '10 scrapes of 100k in flight: peak extra RSS per scrape',
      unit: '× body',
      higherIsBetter: false,
      results: pick(memory, (m) => m.rss),
    },
    {
      name: '10 scrapes of 100k in flight: peak extra heap+external per scrape',
      unit: '× body',
      higherIsBetter: false,
      results: pick(memory, (m) => m.heap),
    },
  );
  return rows;
}
