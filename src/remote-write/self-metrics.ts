/**
 * The writer's own health as metrics. They live in a registry the user picks, by default the
 * one being written, so a hosted backend also receives them. That cannot loop: sending never
 * triggers a collection, so each request carries the counts as they stood when it was collected.
 */
import { Counter } from '../metrics/counter.js';
import { Gauge } from '../metrics/gauge.js';
import type { Registry } from '../registry.js';

const PREFIX = 'aioprometheus_remote_write';

export class SelfMetrics {
  readonly samplesSent: Counter;
  readonly samplesFailed: Counter;
  readonly samplesDropped: Counter;
  readonly exemplarsSent: Counter;
  readonly retries: Counter;
  readonly lastSuccess: Gauge;
  readonly queued: Gauge;

  constructor(registry: Registry | null, queueLength: () => number) {
    const counter = (name: string, help: string) =>
      new Counter({ name: `${PREFIX}_${name}`, help, registry });
    this.samplesSent = counter(
      'samples_sent_total',
      'Samples (floats and native histograms) the receiver accepted.',
    );
    this.samplesFailed = counter(
      'samples_failed_total',
      'Samples that will not be written: refused by the receiver, retries exhausted, or not encodable.',
    );
    this.samplesDropped = counter(
      'samples_dropped_total',
      'Oldest queued samples dropped because the queue was full (receiver down or too slow).',
    );
    this.exemplarsSent = counter('exemplars_sent_total', 'Exemplars sent in accepted requests.');
    this.retries = counter(
      'retries_total',
      'Requests sent again after a network error, a timeout, a 5xx or a 429.',
    );
    this.lastSuccess = new Gauge({
      name: `${PREFIX}_last_success_timestamp_seconds`,
      help: 'When the receiver last accepted a request, in seconds since the epoch (0: never).',
      registry,
    });
    this.queued = new Gauge({
      name: `${PREFIX}_queue_samples`,
      help: 'Samples collected and waiting to be sent.',
      registry,
      collect: () => this.queued.set(queueLength()),
    });
  }
}
