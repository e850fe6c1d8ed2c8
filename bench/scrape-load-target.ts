/**
 * The server side of bench/scrape-load.ts, in its own process:
 * `tsx bench/scrape-load-target.ts <aioprometheus|prom-client> <series>` fills a registry with
 * `series` counter series and serves, on one node:http server, `/metrics` (our metricsHandler,
 * or prom-client's `registry.metrics()` as its README shows), `/ping` (an unrelated route that
 * answers at once) and `/stats` (event-loop delay and peak memory since the last `/stats/reset`).
 * It prints its base URL on stdout.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from '../src/index.js';
import { metricsHandler } from '../src/service/index.js';
import { fillOurs as fill, filledPromClient, promClientHandler } from './registry-fill.js';

type Listener = Parameters<typeof createServer>[1] & {};

function fillOurs(series: number): Listener {
  const registry = new Registry();
  fill(registry, series);
  return metricsHandler(registry);
}

function fillPromClient(series: number): Listener {
  return promClientHandler(filledPromClient(series));
}

const [library, seriesArg] = process.argv.slice(2);
const series = Number(seriesArg);
if ((library !== 'aioprometheus' && library !== 'prom-client') || !Number.isSafeInteger(series)) {
  throw new Error(
    `usage: scrape-load-target.ts aioprometheus|prom-client <series> (got ${library} ${seriesArg})`,
  );
}
const metrics = library === 'aioprometheus' ? fillOurs(series) : fillPromClient(series);

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let baseline = process.memoryUsage();
let peak = { rss: 0, heap: 0 };
const memorySampler = setInterval(() => {
  const now = process.memoryUsage();
  peak = {
    rss: Math.max(peak.rss, now.rss - baseline.rss),
    heap: Math.max(peak.heap, now.heapUsed + now.external - baseline.heapUsed - baseline.external),
  };
}, 5);
memorySampler.unref();

const server = createServer((req, res) => {
  if (req.url === '/ping') {
    res.end('pong');
  } else if (req.url === '/stats/reset') {
    globalThis.gc?.();
    baseline = process.memoryUsage();
    peak = { rss: 0, heap: 0 };
    delay.reset();
    res.end('reset');
  } else if (req.url === '/stats') {
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        delayP99Ms: delay.percentile(99) / 1e6,
        delayMaxMs: delay.max / 1e6,
        peakExtraRssBytes: peak.rss,
        peakExtraHeapBytes: peak.heap,
      }),
    );
  } else {
    metrics(req, res);
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
