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
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';
import type { SeriesStore } from './series-store.js';
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

/** One series of a summary. */
export class SummaryChild {
  count = 0;
  sum = 0;
  created = nowSeconds();
  readonly #ring: DDSketch[];
  /** See SeriesStore: the collection count at the latest update. */
  seen = 0;
  #head = 0;
  #rotateAt: number;

  constructor(
    readonly labelSet: LabelSet,
    private readonly store: SeriesStore<SummaryChild>,
    private readonly config: WindowConfig,
  ) {
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
      throw new InvalidValueError(this.store.metric, value, 'a summary observation must be a number');
    }
    if (Number.isFinite(value)) {
      const now = performance.now();
      if (now >= this.#rotateAt) this.#rotate(now);
      this.#ring[this.#head]!.add(value);
    }
    this.sum += value;
    this.count++;
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  /** Starts a timer whose `end()` observes the elapsed seconds. */
  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.observe(seconds));
  }

  /** The merged sketch of the current window. */
  window(): DDSketch {
    this.#rotate(performance.now());
    const merged = new DDSketch(this.config.relativeAccuracy);
    for (const sketch of this.#ring) merged.merge(sketch);
    return merged;
  }

  get(): SummaryValue {
    const sketch = this.window();
    return {
      count: this.count,
      sum: this.sum,
      quantiles: this.config.quantiles.map((quantile) => ({ quantile, value: sketch.quantile(quantile) })),
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
    const { sliceMs, slices } = this.config;
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

  constructor(child: SummaryChild, quantiles: readonly number[]) {
    this.#sketch = child.window();
    this.labels = child.labelSet;
    this.count = child.count;
    this.sum = child.sum;
    this.created = child.created;
    this.quantiles = quantiles.map((quantile) => ({ quantile, value: this.#sketch.quantile(quantile) }));
  }

  get sketch(): SketchState {
    return this.#sketch.state();
  }
}

export class Summary<L extends string = never> extends Metric<L, SummaryChild> {
  readonly type = 'summary' as const;
  readonly quantiles: readonly number[];
  readonly #config: WindowConfig;

  constructor(options: SummaryOptions<L>) {
    super(options, ['quantile']);
    checkMetricOptions('Summary', this.name, options, [
      'quantiles',
      'relativeAccuracy',
      'maxAgeSeconds',
      'ageBuckets',
    ]);
    this.#config = windowConfig(this.name, options);
    this.quantiles = this.#config.quantiles;
    const { relativeAccuracy, maxAgeSeconds, slices } = this.#config;
    this.ready({ quantiles: this.quantiles, relativeAccuracy, maxAgeSeconds, ageBuckets: slices });
  }

  observe(...args: ObserveArgs<L>): void {
    if (this.single !== undefined) this.single.observe(args[0] as number);
    else this.seriesFor(args[0]).observe(args[1] as number);
  }

  /** Starts a timer; `end(extraLabels?)` observes the elapsed seconds and returns them. */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) => (this.single ?? this.seriesFor(all)).observe(seconds));
  }

  /** Count, sum and quantiles of a series; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? SummaryValue : SummaryValue | undefined {
    return this.existing(args[0])?.get() as [L] extends [never] ? SummaryValue : SummaryValue | undefined;
  }

  protected createSeries(labels: LabelSet): SummaryChild {
    return new SummaryChild(labels, this.store, this.#config);
  }

  protected resetSeries(series: SummaryChild): void {
    series.reset();
  }

  protected family(series: readonly SummaryChild[]): SummaryFamily {
    const quantiles = this.quantiles;
    const points = series.map((s) => new LazySketchPoint(s, quantiles));
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
