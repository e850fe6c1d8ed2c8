/** prom-client's Histogram on native family snapshots: classic buckets, `le` as in prom-client. */
import { InvalidValueError } from '../errors.js';
import { DEFAULT_BUCKETS, validateBuckets } from '../metrics/buckets.js';
import type { MetricFamily } from '../model/family.js';
import { globalRegistry } from './registry.js';
import {
  type CompatConfiguration,
  CompatMetric,
  type LabelValues,
  type MetricObjectWithValues,
} from './series.js';

export interface HistogramConfiguration<T extends string> extends CompatConfiguration<T, Histogram<T>> {
  buckets?: number[];
}

interface HistogramData {
  readonly counts: number[];
  sum: number;
  count: number;
}

export interface HistogramChild {
  observe(value: number): void;
  startTimer(): () => number;
}

export class Histogram<T extends string = string> extends CompatMetric<T, HistogramData> {
  readonly upperBounds: readonly number[];

  constructor(config: HistogramConfiguration<T>) {
    super(config as CompatConfiguration<T, never>, ['le']);
    this.upperBounds = Object.freeze(validateBuckets(this.name, config.buckets ?? [...DEFAULT_BUCKETS]));
    if (this.labelNames.length === 0) this.seriesFor({});
    this.registerIn(config.registers, globalRegistry());
  }

  protected initial(): HistogramData {
    return { counts: new Array<number>(this.upperBounds.length).fill(0), sum: 0, count: 0 };
  }

  observe(labels: LabelValues<T>, value: number): void;
  observe(value: number): void;
  observe(...args: unknown[]): void {
    const labelled = typeof args[0] === 'object' && args[0] !== null;
    this.#observe((labelled ? args[0] : {}) as LabelValues<T>, labelled ? args[1] : args[0]);
  }

  #observe(labels: LabelValues<T>, value: unknown): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new InvalidValueError(this.name, value, 'an observation must be a number');
    }
    const data = this.seriesFor(this.labelRecord([labels])).data;
    for (let i = 0; i < this.upperBounds.length; i++) if (value <= this.upperBounds[i]!) data.counts[i]!++;
    data.sum += value;
    data.count++;
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

  labels(labels: LabelValues<T>): HistogramChild;
  labels(...values: (string | number)[]): HistogramChild;
  labels(...args: unknown[]): HistogramChild {
    const record = this.labelRecord(args);
    return { observe: (value) => this.#observe(record, value), startTimer: () => this.startTimer(record) };
  }

  zero(labels: LabelValues<T>): void {
    const data = this.seriesFor(this.labelRecord([labels])).data;
    data.counts.fill(0);
    data.sum = 0;
    data.count = 0;
  }

  async get(): Promise<MetricObjectWithValues<T>> {
    await this.runCollect();
    const values: MetricObjectWithValues<T>['values'] = [];
    for (const s of this.series.values()) {
      const bucket = (le: number | string, value: number) =>
        values.push({
          value,
          metricName: `${this.name}_bucket`,
          exemplar: null,
          labels: { le, ...s.labels } as LabelValues<T>,
        });
      for (let i = 0; i < this.upperBounds.length; i++) bucket(this.upperBounds[i]!, s.data.counts[i]!);
      bucket('+Inf', s.data.count);
      values.push({ value: s.data.sum, metricName: `${this.name}_sum`, labels: { ...s.labels } });
      values.push({ value: s.data.count, metricName: `${this.name}_count`, labels: { ...s.labels } });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: this.aggregator };
  }

  async family(): Promise<MetricFamily> {
    await this.runCollect();
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      points: [...this.series.values()].map((s) => ({
        labels: s.labelSet,
        upperBounds: this.upperBounds,
        cumulativeCounts: [...s.data.counts],
        count: s.data.count,
        sum: s.data.sum,
      })),
    };
  }
}
