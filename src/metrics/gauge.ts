/**
 * Gauge: a value that goes up and down (queue length, temperature, bytes in use).
 *
 * @example
 * ```ts
 * import { Gauge } from 'aioprometheus';
 *
 * const queue = new Gauge({ name: 'queue_length', help: 'Jobs waiting.' });
 * queue.set(12); queue.inc(); queue.dec(3);
 * const end = queue.startTimer();
 * end();   // sets the gauge to the seconds since startTimer()
 * ```
 */
import { InvalidValueError } from '../errors.js';
import type { GaugeFamily, LabelSet } from '../model/family.js';
import type { LabelArgs, Labels } from '../model/labels.js';
import { checkMetricOptions, Metric, type MetricOptions, withUnit } from './metric.js';
import type { SeriesStore } from './series-store.js';
import { type EndTimer, startTimer } from './timing.js';

export type GaugeOptions<L extends string> = MetricOptions<L>;

/** Arguments of `set`, `inc`, `dec`: the value, after the labels when the gauge has labels. */
export type GaugeArgs<L extends string> = [L] extends [never]
  ? [value?: number]
  : [labels: Labels<L>, value?: number];
export type GaugeSetArgs<L extends string> = [L] extends [never]
  ? [value: number]
  : [labels: Labels<L>, value: number];

/** One series of a gauge. */
export class GaugeChild {
  value = 0;
  /** See SeriesStore: the collection count at the latest update. */
  seen = 0;

  constructor(
    readonly labelSet: LabelSet,
    private readonly store: SeriesStore<GaugeChild>,
  ) {}

  /**
   * Sets the value. NaN and ±Inf are allowed, as in client_golang; a non-number throws InvalidValueError.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   */
  set(value: number): void {
    this.value = this.#check(value);
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  inc(amount = 1): void {
    this.value += this.#check(amount);
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  dec(amount = 1): void {
    this.value -= this.#check(amount);
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.value = Date.now() / 1000;
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  /** Starts a timer whose `end()` sets the gauge to the elapsed seconds. */
  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.set(seconds));
  }

  get(): number {
    return this.value;
  }

  #check(value: number): number {
    if (typeof value !== 'number')
      throw new InvalidValueError(this.store.metric, value, 'a gauge value must be a number');
    return value;
  }
}

export class Gauge<L extends string = never> extends Metric<L, GaugeChild> {
  readonly type = 'gauge' as const;

  constructor(options: GaugeOptions<L>) {
    super(options, []);
    checkMetricOptions('Gauge', this.name, options, []);
    this.ready();
  }

  set(...args: GaugeSetArgs<L>): void {
    if (this.single !== undefined) this.single.set(args[0] as number);
    else this.seriesFor(args[0]).set(args[1] as number);
  }

  inc(...args: GaugeArgs<L>): void {
    if (this.single !== undefined) this.single.inc(args[0] as number | undefined);
    else this.seriesFor(args[0]).inc(args[1]);
  }

  dec(...args: GaugeArgs<L>): void {
    if (this.single !== undefined) this.single.dec(args[0] as number | undefined);
    else this.seriesFor(args[0]).dec(args[1]);
  }

  setToCurrentTime(...args: LabelArgs<L>): void {
    this.seriesFor(args[0]).setToCurrentTime();
  }

  /**
   * Starts a timer; `end(extraLabels?)` sets the series of the merged labels to the elapsed
   * seconds and returns them.
   */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) => (this.single ?? this.seriesFor(all)).set(seconds));
  }

  /** The current value; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? number : number | undefined {
    return this.existing(args[0])?.value as [L] extends [never] ? number : number | undefined;
  }

  protected createSeries(labels: LabelSet): GaugeChild {
    return new GaugeChild(labels, this.store);
  }

  protected resetSeries(series: GaugeChild): void {
    series.value = 0;
  }

  protected family(series: readonly GaugeChild[]): GaugeFamily {
    const points = series.map((s) => ({ labels: s.labelSet, value: s.value }));
    return withUnit<GaugeFamily>({ name: this.name, help: this.help, type: 'gauge', points }, this.unit);
  }
}
