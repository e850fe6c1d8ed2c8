/**
 * The aioprometheus README example: a simulated request handler timed by a Summary and counted
 * by a Counter, exposed by a Service for Prometheus to scrape.
 *
 * Run it with `npm run example` (port 8000, or `PORT=9000 npm run example`), then open the
 * printed URL. Ctrl-C stops it cleanly. Published code imports from 'aioprometheus' and
 * 'aioprometheus/service'; this file imports the sources so it runs from a checkout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Summary } from '../src/index.js';
import { Service } from '../src/service/index.js';

const requests = new Counter({
  name: 'request_handler_requests_total',
  help: 'Requests handled.',
  labelNames: ['route'] as const,
});
const requestTime = new Summary({
  name: 'request_processing_seconds',
  help: 'Time spent processing a request.',
  unit: 'seconds',
});

/** A dummy handler that takes a random fraction of a second. */
async function handleRequest(signal: AbortSignal): Promise<void> {
  requests.inc({ route: '/' });
  using _timer = requestTime.startTimer();
  await sleep(Math.random() * 1000, undefined, { signal });
}

const service = new Service();
await service.start({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8000) });
console.log(`Serving prometheus metrics on: ${service.metricsUrl}`);

const stopping = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopping.abort());

while (!stopping.signal.aborted) {
  await handleRequest(stopping.signal).catch((error: unknown) => {
    if (!stopping.signal.aborted) throw error;
  });
}
await service.stop();
console.log('Stopped.');
