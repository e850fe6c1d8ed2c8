/**
 * prom-client's Summary on this library's DDSketch: quantiles over all observations, or over a
 * sliding window (`maxAgeSeconds`, `ageBuckets`), plus an all-time `_sum` and `_count`.
 *
 * Quantile values are estimates within 1 % of the exact value of rank floor(q·(n−1)); prom-client
 * uses a t-digest, so the two differ slightly. A quantile with no observation in its window is
 * NaN, as in the other Prometheus clients (prom-client writes 0).
 */
import { InvalidValueError, MetricDefinitionError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { QuantileWindow } from './quantile-window.js';
import { globalRegistry } from './registry.js';
import {
  type CompatConfiguration,
  CompatMetric,
  type LabelValues,
  type MetricObjectWithValues,
  type Series,
} from './series.js';

export interface SummaryConfiguration<T extends string> extends CompatConfiguration<T, Summary<T>> {
  /** Quantiles to expose, each in [0, 1]. Default prom-client's `[0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]`. */
  percentiles?: number[];
  /** Length of the sliding window in seconds. Default: no window, every observation counts. */
  maxAgeSeconds?: number;
  /** Steps the window moves by. Default 5 when `maxAgeSeconds` is given. */
  ageBuckets?: number;
  /** Drops a series from the output while its window holds no observation. Default false. */
  pruneAgedBuckets?: boolean;
  /** Accepted for prom-client's t-digest; a DDSketch needs no compression, so it changes nothing. */
  compressCount?: number;
}

export interface SummaryChild {
  observe(value: number): void;
  startTimer(): (labels?: LabelValues<string>) => number;
}

const DEFAULT_PERCENTILES: readonly number[] = [0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999];
const DEFAULT_AGE_BUCKETS = 5;

interface SummaryData {
  readonly window: QuantileWindow;
  count: number;
  sum: number;
}

export class Summary<T extends string = string> extends CompatMetric<T, SummaryData> {
  /** The quantiles in the order given, as `get()` lists them. */
  readonly percentiles: readonly number[];
  readonly pruneAgedBuckets: boolean;
  readonly #sorted: readonly number[];
  readonly #slices: number;
  readonly #sliceMs: number;

  constructor(config: SummaryConfiguration<T>) {
    super(config as CompatConfiguration<T, never>, ['quantile']);
    this.percentiles = Object.freeze(
      checkPercentiles(this.name, config.percentiles ?? [...DEFAULT_PERCENTILES]),
    );
    this.#sorted = Object.freeze([...this.percentiles].sort((a, b) => a - b));
    const { slices, sliceMs } = checkWindow(this.name, config.maxAgeSeconds, config.ageBuckets);
    this.#slices = slices;
    this.#sliceMs = sliceMs;
    if (
      config.compressCount !== undefined &&
      !(Number.isInteger(config.compressCount) && config.compressCount > 0)
    ) {
      throw new MetricDefinitionError(
        this.name,
        `compressCount must be a positive integer, got ${String(config.compressCount)}`,
      );
    }
    this.pruneAgedBuckets = config.pruneAgedBuckets === true;
    if (this.labelNames.length === 0) this.seriesFor({});
    this.registerIn(config.registers, globalRegistry());
  }

  protected initial(): SummaryData {
    return { window: new QuantileWindow(this.#slices, this.#sliceMs), count: 0, sum: 0 };
  }

  observe(labels: LabelValues<T>, value: number): void;
  observe(value: number): void;
  observe(...args: unknown[]): void {
    const labelled = typeof args[0] === 'object' && args[0] !== null;
    this.#observe((labelled ? args[0] : {}) as LabelValues<T>, labelled ? args[1] : args[0]);
  }

  #observe(labels: LabelValues<T>, value: unknown): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidValueError(this.name, value, 'an observation must be a finite number');
    }
    const data = this.seriesOf([labels]).data;
    data.window.observe(value);
    data.count++;
    data.sum += value;
  }

  /** Starts a timer; calling the result observes the elapsed seconds and returns them. */
  startTimer(labels: LabelValues<T> = {}): (extra?: LabelValues<T>) => number {
    const start = performance.now();
    return (extra = {}) => {
      const seconds = (performance.now() - start) / 1000;
      this.#observe({ ...labels, ...extra }, seconds);
      return seconds;
    };
  }

  labels(labels: LabelValues<T>): SummaryChild;
  labels(...values: (string | number)[]): SummaryChild;
  labels(...args: unknown[]): SummaryChild {
    const record = this.labelRecord(args);
    return {
      observe: (value) => this.#observe(record, value),
      startTimer: () => this.startTimer(record) as (labels?: LabelValues<string>) => number,
    };
  }

  /** Empties every series but keeps it, as prom-client's Summary does (the other types drop theirs). */
  override reset(): void {
    for (const s of this.series.values()) {
      s.data.window.clear();
      s.data.count = 0;
      s.data.sum = 0;
    }
  }

  /** The series to expose; with `pruneAgedBuckets`, those whose window is empty are dropped first. */
  #live(): Series<T, SummaryData>[] {
    if (this.pruneAgedBuckets) {
      for (const [key, s] of this.series) if (s.data.window.size() === 0) this.dropSeries(key);
    }
    return [...this.series.values()];
  }

  async get(): Promise<MetricObjectWithValues<T>> {
    await this.runCollect();
    const values: MetricObjectWithValues<T>['values'] = [];
    for (const s of this.#live()) {
      const sketch = s.data.window.merged();
      for (const quantile of this.percentiles) {
        values.push({
          labels: { quantile, ...s.labels } as LabelValues<T>,
          value: sketch.quantile(quantile),
        });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.data.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: s.data.count });
    }
    return { name: this.name, help: this.help, type: 'summary', values, aggregator: this.aggregator };
  }

  async family(): Promise<MetricFamily> {
    await this.runCollect();
    return {
      name: this.name,
      help: this.help,
      type: 'summary',
      points: this.#live().map((s) => {
        const sketch = s.data.window.merged();
        return {
          labels: s.labelSet,
          quantiles: this.#sorted.map((quantile) => ({ quantile, value: sketch.quantile(quantile) })),
          count: s.data.count,
          sum: s.data.sum,
        };
      }),
    };
  }
}

function checkPercentiles(metric: string, percentiles: unknown): number[] {
  if (!Array.isArray(percentiles)) {
    throw new MetricDefinitionError(metric, 'percentiles must be an array of numbers in [0, 1]');
  }
  const seen = new Set<number>();
  for (const q of percentiles as unknown[]) {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new MetricDefinitionError(metric, `percentile ${String(q)} must be a number in [0, 1]`);
    }
    // Two equal quantiles would be written as two series with one label set.
    if (seen.has(q)) throw new MetricDefinitionError(metric, `percentile ${q} is listed twice`);
    seen.add(q);
  }
  return [...(percentiles as number[])];
}

/**
 * The window's slices. prom-client ignores `maxAgeSeconds` unless `ageBuckets` is also given
 * (every observation then counts, quietly); here `maxAgeSeconds` alone gets 5 steps, and
 * `ageBuckets` alone is refused, as it means nothing without a window length.
 */
function checkWindow(
  metric: string,
  maxAgeSeconds: unknown,
  ageBuckets: unknown,
): { slices: number; sliceMs: number } {
  if (maxAgeSeconds === undefined) {
    if (ageBuckets !== undefined) {
      throw new MetricDefinitionError(metric, 'ageBuckets needs maxAgeSeconds, the length of the window');
    }
    return { slices: 1, sliceMs: Number.POSITIVE_INFINITY };
  }
  if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds > 0 && Number.isFinite(maxAgeSeconds))) {
    throw new MetricDefinitionError(
      metric,
      `maxAgeSeconds must be a positive number, got ${String(maxAgeSeconds)}`,
    );
  }
  const slices = ageBuckets ?? DEFAULT_AGE_BUCKETS;
  if (typeof slices !== 'number' || !Number.isInteger(slices) || slices < 1) {
    throw new MetricDefinitionError(
      metric,
      `ageBuckets must be a positive integer, got ${String(ageBuckets)}`,
    );
  }
  return { slices, sliceMs: (maxAgeSeconds * 1000) / slices };
}

/** prom-client's name for the child `labels()` returns: `Summary.Internal`. */
export declare namespace Summary {
  type Internal<_T extends string = string> = SummaryChild;
}
