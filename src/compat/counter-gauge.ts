/**
 * prom-client's Counter and Gauge on native family snapshots. Names are exposed as given (no
 * `_total` appended), as prom-client does, so existing dashboards keep their queries.
 */
import { InvalidValueError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import {
  type IncreaseDataWithExemplar,
  isExemplarForm,
  type RecordedExemplar,
  recordExemplar,
} from './exemplars.js';
import { globalRegistry } from './registry.js';
import {
  type CompatConfiguration,
  CompatMetric,
  type LabelValues,
  type MetricObjectWithValues,
  type Series,
} from './series.js';

function checkValue(metric: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new InvalidValueError(metric, value, 'value must be a number');
  }
  return value;
}

/** Splits prom-client's `(labels?, value?)` argument forms. */
function splitArgs<T extends string>(
  args: readonly unknown[],
): { labels: LabelValues<T>; value: unknown; hasValue: boolean } {
  if (typeof args[0] === 'object' && args[0] !== null) {
    return { labels: args[0] as LabelValues<T>, value: args[1], hasValue: args.length > 1 };
  }
  return { labels: {}, value: args[0], hasValue: args.length > 0 };
}

export interface CounterConfiguration<T extends string> extends CompatConfiguration<T, Counter<T>> {}

interface CounterData {
  value: number;
  /** The latest exemplar, on a counter with `enableExemplars`. */
  exemplar?: RecordedExemplar;
}

export interface CounterChild {
  inc(value?: number): void;
}

/** What Counter and Gauge share: one value per series, read back as prom-client's `get()` shape. */
abstract class SingleValueMetric<T extends string> extends CompatMetric<T, CounterData> {
  protected abstract readonly valueType: 'counter' | 'gauge';

  async get(): Promise<MetricObjectWithValues<T>> {
    await this.runCollect();
    return {
      help: this.help,
      name: this.name,
      type: this.valueType,
      values: [...this.series.values()].map((s) =>
        s.data.exemplar === undefined
          ? { value: s.data.value, labels: { ...s.labels } }
          : { value: s.data.value, labels: { ...s.labels }, exemplar: { ...s.data.exemplar.view } },
      ),
      aggregator: this.aggregator,
    };
  }

  async family(): Promise<MetricFamily> {
    await this.runCollect();
    return {
      name: this.name,
      help: this.help,
      type: this.valueType,
      points: [...this.series.values()].map((s) =>
        s.data.exemplar === undefined
          ? { labels: s.labelSet, value: s.data.value }
          : { labels: s.labelSet, value: s.data.value, exemplar: s.data.exemplar.native },
      ),
    };
  }
}

export class Counter<T extends string = string> extends SingleValueMetric<T> {
  protected readonly valueType = 'counter';
  constructor(config: CounterConfiguration<T>) {
    super(config as CompatConfiguration<T, never>, []);
    if (this.labelNames.length === 0) this.seriesFor({});
    this.registerIn(config.registers, globalRegistry());
  }

  protected initial(): CounterData {
    return { value: 0 };
  }

  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  /** With `enableExemplars`: increments and, when `exemplarLabels` is given, records the exemplar. */
  inc(incData: IncreaseDataWithExemplar<T>): void;
  inc(...args: unknown[]): void {
    if (this.enableExemplars && args.length === 1 && isExemplarForm(args[0])) {
      const { labels = {}, value = 1, exemplarLabels } = args[0] as IncreaseDataWithExemplar<T>;
      const series = this.seriesOf([labels]);
      // Checked before the increment, so a refused exemplar changes nothing.
      const exemplar =
        exemplarLabels === undefined ? undefined : recordExemplar(this.name, exemplarLabels, value);
      this.#incSeries(series, value);
      if (exemplar !== undefined) series.data.exemplar = exemplar;
      return;
    }
    const { labels, value, hasValue } = splitArgs<T>(args);
    this.#incSeries(this.seriesOf([labels]), hasValue ? value : 1);
  }

  #incSeries(series: Series<T, CounterData>, amount: unknown): void {
    const value = checkValue(this.name, amount);
    if (value < 0) throw new InvalidValueError(this.name, value, 'a counter cannot be decreased');
    series.data.value += value;
  }

  labels(labels: LabelValues<T>): CounterChild;
  labels(...values: (string | number)[]): CounterChild;
  labels(...args: unknown[]): CounterChild {
    const series = this.seriesOf(args);
    return { inc: (value = 1) => this.#incSeries(series, value) };
  }

  /** Creates the series of a label set at zero, so it is exposed before its first increment. */
  zero(labels: LabelValues<T>): void {
    this.seriesOf([labels]).data.value = 0;
  }
}

export interface GaugeConfiguration<T extends string> extends CompatConfiguration<T, Gauge<T>> {}

export interface GaugeChild {
  inc(value?: number): void;
  dec(value?: number): void;
  set(value: number): void;
  setToCurrentTime(): void;
  /** The timer's end takes more labels, as in prom-client. */
  startTimer(): (labels?: LabelValues<string>) => number;
}

export class Gauge<T extends string = string> extends SingleValueMetric<T> {
  protected readonly valueType = 'gauge';
  constructor(config: GaugeConfiguration<T>) {
    super(config as CompatConfiguration<T, never>, []);
    if (this.labelNames.length === 0) this.seriesFor({});
    this.registerIn(config.registers, globalRegistry());
  }

  protected initial(): CounterData {
    return { value: 0 };
  }

  #series(labels: LabelValues<T>): Series<T, CounterData> {
    return this.seriesOf([labels]);
  }

  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  inc(...args: unknown[]): void {
    const { labels, value, hasValue } = splitArgs<T>(args);
    this.#series(labels).data.value += checkValue(this.name, hasValue ? value : 1);
  }

  dec(labels: LabelValues<T>, value?: number): void;
  dec(value?: number): void;
  dec(...args: unknown[]): void {
    const { labels, value, hasValue } = splitArgs<T>(args);
    this.#series(labels).data.value -= checkValue(this.name, hasValue ? value : 1);
  }

  set(labels: LabelValues<T>, value: number): void;
  set(value: number): void;
  set(...args: unknown[]): void {
    const { labels, value } = splitArgs<T>(args);
    this.#series(labels).data.value = checkValue(this.name, value);
  }

  setToCurrentTime(labels: LabelValues<T> = {}): void {
    this.#series(labels).data.value = Date.now() / 1000;
  }

  /** Starts a timer; calling the result sets the gauge to the elapsed seconds and returns them. */
  startTimer(labels: LabelValues<T> = {}): (extra?: LabelValues<T>) => number {
    const start = performance.now();
    return (extra = {}) => {
      const seconds = (performance.now() - start) / 1000;
      this.set({ ...labels, ...extra }, seconds);
      return seconds;
    };
  }

  labels(labels: LabelValues<T>): GaugeChild;
  labels(...values: (string | number)[]): GaugeChild;
  labels(...args: unknown[]): GaugeChild {
    const record = this.labelRecord(args);
    return {
      inc: (value = 1) => this.inc(record, value),
      dec: (value = 1) => this.dec(record, value),
      set: (value) => this.set(record, value),
      setToCurrentTime: () => this.setToCurrentTime(record),
      startTimer: () => this.startTimer(record) as (labels?: LabelValues<string>) => number,
    };
  }

  zero(labels: LabelValues<T>): void {
    this.#series(labels).data.value = 0;
  }
}

/** prom-client's names for the children `labels()` returns, e.g. `Counter.Internal`. */
export declare namespace Counter {
  type Internal = CounterChild;
}
export declare namespace Gauge {
  type Internal<_T extends string = string> = GaugeChild;
}
