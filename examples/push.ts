/**
 * A batch job that pushes its metrics to a Pushgateway before it exits: how long it ran, how
 * many records it processed, and when it last succeeded.
 *
 * Run it with `tsx examples/push.ts` (gateway at http://127.0.0.1:9091, or set
 * PUSHGATEWAY_URL). It exits with status 1 and a message on stderr if the push fails.
 * Published code imports from 'aioprometheus' and 'aioprometheus/push'; this file imports the
 * sources so it runs from a checkout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Registry } from '../src/index.js';
import { Pusher } from '../src/push/index.js';

// A registry of its own, so only this job's metrics are pushed (not the process defaults).
const registry = new Registry();
const duration = new Gauge({
  name: 'backup_duration_seconds',
  help: 'Duration of the last backup run.',
  registry,
});
const lastSuccess = new Gauge({
  name: 'backup_last_success_timestamp_seconds',
  help: 'When the last backup succeeded, in Unix seconds.',
  registry,
});
const records = new Counter({ name: 'backup_records_total', help: 'Records backed up.', registry });

async function backup(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sleep(10);
    records.inc(100);
  }
}

const url = process.env.PUSHGATEWAY_URL ?? 'http://127.0.0.1:9091';
const pusher = new Pusher({ url, job: 'nightly-backup', groupingKey: { instance: 'db-1' } });

{
  using _timer = duration.startTimer();
  await backup();
}
lastSuccess.setToCurrentTime();

try {
  await pusher.replace(registry);
  console.log(`Pushed the backup metrics to ${pusher.url}`);
} catch (error) {
  console.error(
    `Could not push the backup metrics: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
