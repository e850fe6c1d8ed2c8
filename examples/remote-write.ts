/**
 * A batch job that writes its metrics straight to a Prometheus-compatible backend with remote
 * write (no Pushgateway, no scraper): records processed, how long it ran, when it succeeded.
 *
 * Run it with `tsx examples/remote-write.ts`. REMOTE_WRITE_URL is the receiver's write URL
 * (default http://127.0.0.1:9090/api/v1/write, a Prometheus started with
 * --web.enable-remote-write-receiver); REMOTE_WRITE_TOKEN, if set, is sent as a bearer token.
 * It exits with status 1 and a message on stderr if the write fails. Published code imports from
 * 'aioprometheus' and 'aioprometheus/remote-write'; this file imports the sources so it runs from
 * a checkout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Registry } from '../src/index.js';
import { RemoteWriter } from '../src/remote-write/index.js';

const registry = new Registry();
const records = new Counter({
  name: 'etl_records_total',
  help: 'Records loaded.',
  labelNames: ['table'] as const,
  registry,
});
const duration = new Gauge({ name: 'etl_duration_seconds', help: 'Duration of the last run.', registry });
const lastSuccess = new Gauge({
  name: 'etl_last_success_timestamp_seconds',
  help: 'When the last run succeeded, in Unix seconds.',
  registry,
});

const token = process.env.REMOTE_WRITE_TOKEN;
const writer = new RemoteWriter({
  url: process.env.REMOTE_WRITE_URL ?? 'http://127.0.0.1:9090/api/v1/write',
  registry,
  intervalMs: 10_000,
  ...(token === undefined ? {} : { bearerToken: token }),
  // Errors of the periodic sends are reported here; stop() below also rejects with them.
  onError: (error) => console.error(error.message),
});

writer.start();
const end = duration.startTimer();
for (const table of ['users', 'orders']) {
  await sleep(10);
  records.inc({ table }, 500);
}
end();
lastSuccess.setToCurrentTime();
try {
  // Collects once more and sends everything still queued, with retries.
  await writer.stop();
} catch {
  process.exitCode = 1;
}
