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
import { columnarFamily, type SeriesColumns, slotLabels } from '../model/columns.js';
import type { GaugeFamily, GaugePoint } from '../model/family.js';
import type { LabelArgs, Labels } from '../model/labels.js';
import { EMPTY_FLOAT64, grown } from './grown.js';
import { snapshotLabelValues, snapshotSpecial } from './label-layout.js';
import { checkMetricOptions, Metric, type MetricOptions } from './metric.js';
import type { Held, SeriesStore, SlotData } from './series-store.js';
import { SnapshotCopies } from './snapshot-copies.js';
import { type EndTimer, startTimer } from './timing.js';

export type GaugeOptions<L extends string> = MetricOptions<L>;

/** Arguments of `set`, `inc`, `dec`: the value, after the labels when the gauge has labels. */
export type GaugeArgs<L extends string> = [L] extends [never]
  ? [value?: number]
  : [labels: Labels<L>, value?: number];
export type GaugeSetArgs<L extends string> = [L] extends [never]
  ? [value: number]
  : [labels: Labels<L>, value: number];

/** The series of one gauge, in a column by slot. */
class GaugeStorage implements SlotData<GaugeSeries> {
  values = EMPTY_FLOAT64;
  readonly copies = new SnapshotCopies();
  store!: SeriesStore<GaugeSeries>;

  constructor(readonly name: string) {}

  grow(capacity: number): void {
    this.values = grown(this.values, capacity);
  }

  init(slot: number): void {
    this.values[slot] = 0;
  }

  save(slot: number, held: GaugeSeries): void {
    held.saved = this.values[slot]!;
  }

  restore(slot: number, held: GaugeSeries): void {
    this.values[slot] = held.saved;
    held.saved = 0;
  }

  forget(held: GaugeSeries): void {
    held.saved = 0;
  }

  zero(slot: number): void {
    this.values[slot] = 0;
  }

  release(): void {}

  clear(): void {
    this.values = EMPTY_FLOAT64;
  }

  handle(slot: number): GaugeSeries {
    return new GaugeSeries(this, slot);
  }

  set(slot: number, value: number): void {
    this.values[slot] = this.check(value);
    this.touch(slot);
  }

  add(slot: number, amount: number): void {
    this.values[slot]! += this.check(amount);
    this.touch(slot);
  }

  touch(slot: number): void {
    const store = this.store;
    if (store.tick !== 0 && store.seen[slot] !== store.tick) store.seen[slot] = store.tick;
  }

  /** NaN and ±Inf are allowed, as in client_golang; a non-number throws InvalidValueError. */
  check(value: number): number {
    if (typeof value !== 'number')
      throw new InvalidValueError(this.name, value, 'a gauge value must be a number');
    return value;
  }
}

/** One series of a gauge, as `labels()` returns it: the fastest way to update it. */
export interface GaugeChild {
  /**
   * Sets the value. NaN and ±Inf are allowed, as in client_golang; a non-number throws InvalidValueError.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   */
  set(value: number): void;
  inc(amount?: number): void;
  dec(amount?: number): void;
  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void;
  /** Starts a timer whose `end()` sets the gauge to the elapsed seconds. */
  startTimer(): EndTimer<never>;
  get(): number;
}

/** A held gauge series: its slot in the storage, and its value while its series is out. */
class GaugeSeries implements GaugeChild, Held {
  saved = 0;
  outValues: readonly string[] | undefined = undefined;
  readonly #storage: GaugeStorage;

  constructor(
    storage: GaugeStorage,
    public slot: number,
  ) {
    this.#storage = storage;
  }

  set(value: number): void {
    this.#storage.set(this.#slot(value), value);
  }

  inc(amount = 1): void {
    this.#storage.add(this.#slot(amount), amount);
  }

  dec(amount = 1): void {
    this.#storage.add(this.#slot(amount), -this.#storage.check(amount));
  }

  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.set(seconds));
  }

  get(): number {
    return this.slot >= 0 ? this.#storage.values[this.slot]! : this.saved;
  }

  /** The slot, bringing the series back if it was out; a bad value throws first, reviving nothing. */
  #slot(value: number): number {
    if (this.slot >= 0) return this.slot;
    this.#storage.check(value);
    return this.#storage.store.revive(this);
  }
}

export class Gauge<L extends string = never> extends Metric<L, GaugeSeries> {
  readonly type = 'gauge' as const;
  readonly #storage: GaugeStorage;

  constructor(options: GaugeOptions<L>) {
    super(options, []);
    checkMetricOptions('Gauge', this.name, options, []);
    this.#storage = this.define({}, new GaugeStorage(this.name));
    this.ready(this.#storage);
    this.#storage.store = this.store;
  }

  set(...args: GaugeSetArgs<L>): void {
    if (this.single !== undefined) this.single.set(args[0] as number);
    else this.#storage.set(this.slotFor(args[0]), args[1] as number);
  }

  inc(...args: GaugeArgs<L>): void {
    if (this.single !== undefined) this.single.inc(args[0] as number | undefined);
    else this.#storage.add(this.slotFor(args[0]), args[1] === undefined ? 1 : args[1]);
  }

  dec(...args: GaugeArgs<L>): void {
    if (this.single !== undefined) this.single.dec(args[0] as number | undefined);
    else {
      const slot = this.slotFor(args[0]);
      this.#storage.add(slot, -this.#storage.check(args[1] === undefined ? 1 : args[1]));
    }
  }

  setToCurrentTime(...args: LabelArgs<L>): void {
    this.#storage.set(this.slotFor(args[0]), Date.now() / 1000);
  }

  /**
   * Starts a timer; `end(extraLabels?)` sets the series of the merged labels to the elapsed
   * seconds and returns them.
   */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) => this.#storage.set(this.slotFor(all), seconds));
  }

  /**
   * The bound series of `labels`: the same object for as long as it is held.
   *
   * @throws {LabelError} when the labels do not match the metric's label names or a value is invalid.
   */
  labels(...args: LabelArgs<L>): GaugeChild {
    return this.heldFor(args[0]);
  }

  /** The current value; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? number : number | undefined {
    const slot = this.existing(args[0]);
    return (slot === undefined ? undefined : this.#storage.values[slot]) as [L] extends [never]
      ? number
      : number | undefined;
  }

  protected prepareCopies(): Promise<void> {
    return this.#storage.copies.prepare(() => this.#storage.values, this.store.top);
  }

  protected family(rows: Int32Array): GaugeFamily {
    const columns: SeriesColumns = {
      rows,
      labelNames: this.layout.names,
      labelValues: snapshotLabelValues(this.layout, this.store),
      special: snapshotSpecial(this.layout, this.store),
      values: this.#storage.copies.copy(this.#storage.values, this.store.top),
      created: undefined,
      exemplars: undefined,
      histogram: undefined,
    };
    return columnarFamily<GaugeFamily>(this, columns, gaugePoints);
  }
}

function gaugePoints(columns: SeriesColumns): GaugePoint[] {
  const { rows, values } = columns;
  const points: GaugePoint[] = [];
  for (let i = 0; i < rows.length; i++) {
    const slot = rows[i]!;
    points.push({ labels: slotLabels(columns, slot), value: values![slot]! });
  }
  return points;
}
