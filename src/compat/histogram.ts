/** prom-client's Histogram on native family snapshots: classic buckets, `le` as in prom-client. */
import { InvalidValueError } from '../errors.js';
import { DEFAULT_BUCKETS, validateBuckets } from '../metrics/buckets.js';
import type { MetricFamily } from '../model/family.js';
import {
  isExemplarForm,
  type ObserveDataWithExemplar,
  type RecordedExemplar,
  recordExemplar,
} from './exemplars.js';
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
  /** The latest exemplar per bucket, the +Inf bucket last, on a histogram with `enableExemplars`. */
  readonly exemplars: (RecordedExemplar | undefined)[] | undefined;
}

export interface HistogramChild {
  observe(value: number): void;
  /** The timer's end takes more labels, as in prom-client. */
  startTimer(): (labels?: LabelValues<string>) => number;
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
    const buckets = this.upperBounds.length;
    return {
      counts: new Array<number>(buckets).fill(0),
      sum: 0,
      count: 0,
      exemplars: this.enableExemplars ? new Array<undefined>(buckets + 1).fill(undefined) : undefined,
    };
  }

  observe(labels: LabelValues<T>, value: number): void;
  observe(value: number): void;
  /** With `enableExemplars`: observes and, when `exemplarLabels` has a label, records the exemplar. */
  observe(observeData: ObserveDataWithExemplar<T>): void;
  observe(...args: unknown[]): void {
    if (this.enableExemplars && args.length === 1 && isExemplarForm(args[0])) {
      const { labels = {}, value, exemplarLabels = {} } = args[0] as ObserveDataWithExemplar<T>;
      this.#observe(labels, value, exemplarLabels);
      return;
    }
    const labelled = typeof args[0] === 'object' && args[0] !== null;
    this.#observe((labelled ? args[0] : {}) as LabelValues<T>, labelled ? args[1] : args[0]);
  }

  #observe(labels: LabelValues<T>, value: unknown, exemplarLabels?: LabelValues<string>): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new InvalidValueError(this.name, value, 'an observation must be a number');
    }
    const data = this.seriesOf([labels]).data;
    // As in prom-client, an empty exemplar label set records nothing.
    const exemplar =
      exemplarLabels !== undefined && Object.keys(exemplarLabels).length > 0
        ? recordExemplar(this.name, exemplarLabels, value)
        : undefined;
    let bucket = this.upperBounds.length;
    for (let i = this.upperBounds.length - 1; i >= 0 && value <= this.upperBounds[i]!; i--) {
      data.counts[i]!++;
      bucket = i;
    }
    data.sum += value;
    data.count++;
    if (exemplar !== undefined && data.exemplars !== undefined) data.exemplars[bucket] = exemplar;
  }

  /**
   * Starts a timer; calling the result observes the elapsed seconds and returns them. With
   * `enableExemplars`, the exemplar labels given here and to the result are merged and recorded.
   */
  startTimer(
    labels: LabelValues<T> = {},
    exemplarLabels: LabelValues<string> = {},
  ): (extra?: LabelValues<T>, extraExemplarLabels?: LabelValues<string>) => number {
    const start = performance.now();
    return (extra = {}, extraExemplarLabels = {}) => {
      const seconds = (performance.now() - start) / 1000;
      const exemplar = this.enableExemplars ? { ...exemplarLabels, ...extraExemplarLabels } : undefined;
      this.#observe({ ...labels, ...extra }, seconds, exemplar);
      return seconds;
    };
  }

  labels(labels: LabelValues<T>): HistogramChild;
  labels(...values: (string | number)[]): HistogramChild;
  labels(...args: unknown[]): HistogramChild {
    const record = this.labelRecord(args);
    return {
      observe: (value) => this.#observe(record, value),
      startTimer: () => this.startTimer(record) as (labels?: LabelValues<string>) => number,
    };
  }

  zero(labels: LabelValues<T>): void {
    const data = this.seriesOf([labels]).data;
    data.counts.fill(0);
    data.exemplars?.fill(undefined);
    data.sum = 0;
    data.count = 0;
  }

  async get(): Promise<MetricObjectWithValues<T>> {
    await this.runCollect();
    const values: MetricObjectWithValues<T>['values'] = [];
    for (const s of this.series.values()) {
      const bucket = (le: number | string, value: number, exemplar: RecordedExemplar | undefined) =>
        values.push({
          value,
          metricName: `${this.name}_bucket`,
          exemplar: exemplar === undefined ? null : { ...exemplar.view },
          labels: { le, ...s.labels } as LabelValues<T>,
        });
      const exemplars = s.data.exemplars;
      for (let i = 0; i < this.upperBounds.length; i++) {
        bucket(this.upperBounds[i]!, s.data.counts[i]!, exemplars?.[i]);
      }
      bucket('+Inf', s.data.count, exemplars?.[this.upperBounds.length]);
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
        ...(s.data.exemplars === undefined ? {} : { exemplars: s.data.exemplars.map((e) => e?.native) }),
      })),
    };
  }
}

/** prom-client's name for the child `labels()` returns: `Histogram.Internal`. */
export declare namespace Histogram {
  type Internal<_T extends string = string> = HistogramChild;
}
