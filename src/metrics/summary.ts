/**
 * Summary: streaming quantiles over a sliding time window, plus an all-time `_sum` and `_count`.
 *
 * @example
 * ```ts
 * import { Summary } from 'aioprometheus';
 *
 * const latency = new Summary({ name: 'request_seconds', help: 'Latency.', quantiles: [0.5, 0.99] });
 * latency.observe(0.12);
 * ```
 *
 * Quantiles come from a DDSketch (see sketch.ts): an estimate is within `relativeAccuracy`
 * (default 1 %) of the exact value of that rank among the observations in the window. The
 * window covers the last `maxAgeSeconds`, in `ageBuckets` slices: observations leave it one slice
 * at a time, so the quantiles describe between maxAge − maxAge/ageBuckets and maxAge seconds.
 * Sketches merge exactly, so summaries from several processes can be combined.
 */
import { InvalidValueError, MetricDefinitionError } from '../errors.js';
import type { LabelSet, Quantile, SketchState, SummaryFamily, SummaryPoint } from '../model/family.js';
import type { LabelArgs, Labels } from '../model/labels.js';
import { slotLabelSet } from './label-layout.js';
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';
import type { Held, SeriesStore, SlotData } from './series-store.js';
import { DDSketch } from './sketch.js';
import { type EndTimer, startTimer } from './timing.js';

export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  /** Quantiles to expose, each in [0, 1]. Default `[0.5, 0.9, 0.99]`. */
  readonly quantiles?: readonly number[];
  /** Relative error bound of every quantile estimate, in (0, 1). Default 0.01. */
  readonly relativeAccuracy?: number;
  /** Length of the sliding window in seconds. Default 600. */
  readonly maxAgeSeconds?: number;
  /** Number of slices the window moves by. Default 5. */
  readonly ageBuckets?: number;
}

export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([0.5, 0.9, 0.99]);

export type ObserveArgs<L extends string> = [L] extends [never]
  ? [value: number]
  : [labels: Labels<L>, value: number];

interface WindowConfig {
  readonly relativeAccuracy: number;
  readonly maxAgeSeconds: number;
  readonly sliceMs: number;
  readonly slices: number;
  readonly quantiles: readonly number[];
}

/** The value of a summary series, as `get()` returns it. */
export interface SummaryValue {
  readonly count: number;
  readonly sum: number;
  readonly quantiles: readonly Quantile[];
}

/** The series of one summary: a sketch ring per slot (summaries are not the million-series case). */
class SummaryStorage implements SlotData<SummarySeries> {
  children: (SummarySeries | undefined)[] = [];
  store!: SeriesStore<SummarySeries>;

  constructor(
    readonly name: string,
    readonly config: WindowConfig,
  ) {}

  grow(): void {}

  init(slot: number): void {
    this.children[slot] = new SummarySeries(this, slot);
  }

  /** A held child keeps its own state. */
  save(): void {}

  restore(slot: number, held: SummarySeries): void {
    this.children[slot] = held;
  }

  forget(held: SummarySeries): void {
    held.reset();
  }

  zero(slot: number): void {
    this.children[slot]!.reset();
  }

  release(slot: number): void {
    this.children[slot] = undefined;
  }

  clear(): void {
    this.children = [];
  }

  handle(slot: number): SummarySeries {
    return this.children[slot]!;
  }
}

/** One series of a summary, as `labels()` returns it: the fastest way to update it. */
export interface SummaryChild {
  /**
   * Records a value. NaN and ±Inf count in `_count` and `_sum` but not in the quantiles. Throws
   * InvalidValueError for a non-number.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   */
  observe(value: number): void;
  /** Starts a timer whose `end()` observes the elapsed seconds. */
  startTimer(): EndTimer<never>;
  /** Count, sum and quantiles of the current window. */
  get(): SummaryValue;
  /** Zeroes the series; the created time becomes now. */
  reset(): void;
}

/** One series of a summary: its state, and its slot in the storage. */
class SummarySeries implements SummaryChild, Held {
  count = 0;
  sum = 0;
  created = nowSeconds();
  readonly #ring: DDSketch[];
  readonly #storage: SummaryStorage;
  #head = 0;
  #rotateAt: number;
  /** See Held. */
  outValues: readonly string[] | undefined = undefined;

  constructor(
    storage: SummaryStorage,
    public slot: number,
  ) {
    this.#storage = storage;
    const config = storage.config;
    this.#ring = Array.from({ length: config.slices }, () => new DDSketch(config.relativeAccuracy));
    this.#rotateAt = performance.now() + config.sliceMs;
  }

  /**
   * Records a value. NaN and ±Inf count in `_count` and `_sum` (which then becomes NaN or ±Inf)
   * but not in the quantiles: the sketch's buckets are logarithmic and have no place for them, so
   * the quantiles describe the finite observations. Throws InvalidValueError for a non-number.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   */
  observe(value: number): void {
    if (typeof value !== 'number') {
      throw new InvalidValueError(this.#storage.name, value, 'a summary observation must be a number');
    }
    const store = this.#storage.store;
    const slot = this.slot >= 0 ? this.slot : store.revive(this);
    if (Number.isFinite(value)) {
      const now = performance.now();
      if (now >= this.#rotateAt) this.#rotate(now);
      this.#ring[this.#head]!.add(value);
    }
    this.sum += value;
    this.count++;
    if (store.tick !== 0 && store.seen[slot] !== store.tick) store.seen[slot] = store.tick;
  }

  /** Starts a timer whose `end()` observes the elapsed seconds. */
  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.observe(seconds));
  }

  /** The merged sketch of the current window. */
  window(): DDSketch {
    this.#rotate(performance.now());
    const merged = new DDSketch(this.#storage.config.relativeAccuracy);
    for (const sketch of this.#ring) merged.merge(sketch);
    return merged;
  }

  get(): SummaryValue {
    const sketch = this.window();
    return {
      count: this.count,
      sum: this.sum,
      quantiles: this.#storage.config.quantiles.map((quantile) => ({
        quantile,
        value: sketch.quantile(quantile),
      })),
    };
  }

  reset(): void {
    for (const sketch of this.#ring) sketch.clear();
    this.count = 0;
    this.sum = 0;
    this.created = nowSeconds();
  }

  /** Moves the head forward one slice per elapsed slice, clearing the slices it enters. */
  #rotate(now: number): void {
    const { sliceMs, slices } = this.#storage.config;
    let steps = 0;
    while (now >= this.#rotateAt && steps < slices) {
      this.#head = (this.#head + 1) % slices;
      this.#ring[this.#head]!.clear();
      this.#rotateAt += sliceMs;
      steps++;
    }
    if (now >= this.#rotateAt) this.#rotateAt = now + sliceMs;
  }
}

/** A summary snapshot point whose sketch state is computed only when someone reads it. */
class LazySketchPoint implements SummaryPoint {
  readonly labels: LabelSet;
  readonly quantiles: readonly Quantile[];
  readonly count: number;
  readonly sum: number;
  readonly created: number;
  readonly #sketch: DDSketch;

  constructor(child: SummarySeries, labels: LabelSet, quantiles: readonly number[]) {
    this.#sketch = child.window();
    this.labels = labels;
    this.count = child.count;
    this.sum = child.sum;
    this.created = child.created;
    this.quantiles = quantiles.map((quantile) => ({ quantile, value: this.#sketch.quantile(quantile) }));
  }

  get sketch(): SketchState {
    return this.#sketch.state();
  }
}

export class Summary<L extends string = never> extends Metric<L, SummarySeries> {
  readonly type = 'summary' as const;
  readonly quantiles: readonly number[];
  readonly #storage: SummaryStorage;

  constructor(options: SummaryOptions<L>) {
    super(options, ['quantile']);
    checkMetricOptions('Summary', this.name, options, [
      'quantiles',
      'relativeAccuracy',
      'maxAgeSeconds',
      'ageBuckets',
    ]);
    const config = windowConfig(this.name, options);
    this.quantiles = config.quantiles;
    const { relativeAccuracy, maxAgeSeconds, slices } = config;
    this.#storage = this.define(
      { quantiles: this.quantiles, relativeAccuracy, maxAgeSeconds, ageBuckets: slices },
      new SummaryStorage(this.name, config),
    );
    this.ready(this.#storage);
    this.#storage.store = this.store;
  }

  observe(...args: ObserveArgs<L>): void {
    if (this.single !== undefined) this.single.observe(args[0] as number);
    else this.#storage.children[this.slotFor(args[0])]!.observe(args[1] as number);
  }

  /** Starts a timer; `end(extraLabels?)` observes the elapsed seconds and returns them. */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) =>
      this.#storage.children[this.slotFor(all)]!.observe(seconds),
    );
  }

  /**
   * The bound series of `labels`: the same object for as long as it is held.
   *
   * @throws {LabelError} when the labels do not match the metric's label names or a value is invalid.
   */
  labels(...args: LabelArgs<L>): SummaryChild {
    return this.heldFor(args[0]);
  }

  /** Count, sum and quantiles of a series; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? SummaryValue : SummaryValue | undefined {
    const slot = this.existing(args[0]);
    return (slot === undefined ? undefined : this.#storage.children[slot]!.get()) as [L] extends [never]
      ? SummaryValue
      : SummaryValue | undefined;
  }

  /** Summaries keep their state per series: nothing to copy ahead. */
  protected async prepareCopies(): Promise<void> {}

  protected family(rows: Int32Array): SummaryFamily {
    const quantiles = this.quantiles;
    const children = this.#storage.children;
    const points = Array.from(
      rows,
      (slot) => new LazySketchPoint(children[slot]!, slotLabelSet(this.layout, this.store, slot), quantiles),
    );
    return withUnit<SummaryFamily>({ name: this.name, help: this.help, type: 'summary', points }, this.unit);
  }
}

function windowConfig(metric: string, o: SummaryOptions<string>): WindowConfig {
  const quantiles = [...(o.quantiles ?? DEFAULT_QUANTILES)].sort((a, b) => a - b);
  quantiles.forEach((q, i) => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new MetricDefinitionError(metric, `quantile ${String(q)} must be a number in [0, 1]`);
    }
    if (i > 0 && q === quantiles[i - 1])
      throw new MetricDefinitionError(metric, `quantile ${q} is listed twice`);
  });
  const relativeAccuracy = o.relativeAccuracy ?? 0.01;
  if (typeof relativeAccuracy !== 'number' || !(relativeAccuracy > 0 && relativeAccuracy < 1)) {
    throw new MetricDefinitionError(metric, `relativeAccuracy ${String(relativeAccuracy)} must be in (0, 1)`);
  }
  const maxAge = o.maxAgeSeconds ?? 600;
  if (typeof maxAge !== 'number' || !(maxAge > 0 && maxAge < Number.POSITIVE_INFINITY)) {
    throw new MetricDefinitionError(metric, `maxAgeSeconds ${String(maxAge)} must be a positive number`);
  }
  const slices = o.ageBuckets ?? 5;
  if (!Number.isInteger(slices) || slices < 1) {
    throw new MetricDefinitionError(metric, `ageBuckets ${String(slices)} must be a positive integer`);
  }
  return Object.freeze({
    relativeAccuracy,
    maxAgeSeconds: maxAge,
    sliceMs: (maxAge * 1000) / slices,
    slices,
    quantiles: Object.freeze(quantiles),
  });
}
