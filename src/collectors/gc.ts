/**
 * Garbage-collection pauses: `nodejs_gc_duration_seconds{kind}`, a histogram fed by a
 * PerformanceObserver for `gc` entries.
 *
 * Node delivers GC entries in batches (one callback can carry dozens after a burst of minor
 * GCs); prom-client reads only `getEntries()[0]` of each batch and loses the rest. Here every
 * entry of every batch is observed, and a scrape first takes the entries still waiting for their
 * callback (`takeRecords()`), so the counts are complete up to the last delivered GC.
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { Histogram, type HistogramChild } from '../metrics/histogram.js';
import type { MetricFamily } from '../model/family.js';
import { type Descriptor, describeFamily, type Naming } from './family.js';
import type { MetricSource } from './source.js';

/** prom-client's buckets, so existing dashboards and alerts keep their thresholds. */
export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = Object.freeze([0.001, 0.01, 0.1, 1, 2, 5]);

const KINDS: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

export class GcMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #histogram: Histogram<'kind'>;
  /** Series by V8's numeric GC kind, so recording an entry does no label lookup. */
  readonly #byKind = new Map<number, HistogramChild>();
  #observer: PerformanceObserver | undefined;

  constructor(naming: Naming, buckets: readonly number[]) {
    const descriptor = describeFamily(
      naming,
      'histogram',
      'nodejs_gc_duration_seconds',
      'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      { unit: 'seconds', labelNames: ['kind'] },
    );
    this.descriptors = [descriptor];
    this.#histogram = new Histogram({
      name: descriptor.name,
      help: descriptor.help,
      unit: 'seconds',
      labelNames: ['kind'] as const,
      constLabels: naming.labels,
      buckets,
      registry: null,
    });
    // Every known kind is exposed from the start, so rate() sees its first GC as an increase.
    for (const [code, kind] of KINDS) this.#byKind.set(code, this.#histogram.labels({ kind }));
  }

  /** The upper bounds of the histogram, as validated. */
  get buckets(): readonly number[] {
    return this.#histogram.upperBounds;
  }

  start(): void {
    this.#observer = new PerformanceObserver((list) => this.#record(list.getEntries()));
    this.#observer.observe({ type: 'gc' });
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  collect(out: MetricFamily[]): void {
    if (this.#observer !== undefined) this.#record(this.#observer.takeRecords());
    out.push(this.#histogram.snapshot());
  }

  #record(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries) {
      const code = (entry as { readonly detail?: { readonly kind?: number } | null }).detail?.kind ?? -1;
      let series = this.#byKind.get(code);
      if (series === undefined) {
        // A kind this Node version added: keep its pauses under its number rather than drop them.
        series = this.#histogram.labels({ kind: String(code) });
        this.#byKind.set(code, series);
      }
      series.observe(entry.duration / 1000);
    }
  }
}
