/**
 * Histogram: counts observations in buckets, with their sum and count. Classic buckets have
 * configured upper bounds; native buckets (`native: true`) are exponential, sparse and need no
 * configuration (see native-histogram.ts).
 *
 * @example
 * ```ts
 * import { Histogram } from 'aioprometheus';
 *
 * const latency = new Histogram({ name: 'request_seconds', help: 'Latency.', labelNames: ['route'] as const });
 * latency.observe({ route: '/users/:id' }, 0.042);
 * latency.observe({ route: '/users/:id' }, 0.042, { trace_id: 'abc' });   // with an exemplar
 * const end = latency.startTimer({ route: '/x' });
 * end();   // observes the seconds since startTimer()
 * const rpc = new Histogram({ name: 'rpc_seconds', help: 'RPC latency.', native: true });
 * ```
 *
 * Each series keeps per-bucket (non-cumulative) counts in a Float64Array; the cumulative counts
 * of the exposition are computed at collection, so an observation touches one cell.
 */
import { InvalidValueError } from '../errors.js';
import type {
  Exemplar,
  HistogramFamily,
  HistogramPoint,
  LabelSet,
  NativeHistogramData,
} from '../model/family.js';
import type { LabelArgs, Labels } from '../model/labels.js';
import { DEFAULT_BUCKETS, validateBuckets } from './buckets.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';
import {
  NativeBuckets,
  type NativeConfig,
  type NativeHistogramOptions,
  resolveNativeOptions,
} from './native-histogram.js';
import type { SeriesStore } from './series-store.js';
import { type EndTimer, startTimer } from './timing.js';

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /**
   * Upper bounds of the classic buckets, strictly increasing and finite; +Inf is added. Default:
   * DEFAULT_BUCKETS, or none when `native` is on (the text formats then show only the +Inf
   * bucket, `_sum` and `_count`, as client_golang does). Give both to expose both.
   */
  readonly buckets?: readonly number[];
  /**
   * Native (exponential, sparse) buckets: `true` for the defaults or settings (see
   * NativeHistogramOptions). Prometheus reads them from the protobuf exposition, which it asks for
   * when started with `--enable-feature=native-histograms`.
   *
   * @example
   * ```ts
   * import { Histogram } from 'aioprometheus';
   *
   * new Histogram({ name: 'rpc_seconds', help: 'RPC latency.', native: { bucketFactor: 1.05, maxBuckets: 100 } });
   * ```
   */
  readonly native?: boolean | NativeHistogramOptions;
}

/**
 * `observe()` arguments: the value and an optional exemplar, after the labels when the histogram
 * has labels. The exemplar's value is the observed value.
 */
export type HistogramObserveArgs<L extends string> = [L] extends [never]
  ? [value: number, exemplar?: ExemplarLabels]
  : [labels: Labels<L>, value: number, exemplar?: ExemplarLabels];

/** The value of a histogram series, as `get()` returns it. */
export interface HistogramValue {
  readonly count: number;
  readonly sum: number;
  /** Cumulative counts per upper bound, ending with +Inf (equal to `count`). */
  readonly buckets: readonly { readonly upperBound: number; readonly cumulativeCount: number }[];
  /** The native buckets, for a histogram with `native` on. */
  readonly native?: NativeHistogramData;
}

/** Above this many bounds, a binary search beats the linear scan. */
const LINEAR_SEARCH_MAX = 16;

/** One series of a histogram. */
export class HistogramChild {
  /** Non-cumulative counts; the last cell is the +Inf bucket. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  created = nowSeconds();
  /** The latest exemplar per classic bucket (the last slot is +Inf), created with the first exemplar. */
  exemplars: (Exemplar | undefined)[] | undefined = undefined;
  /** See SeriesStore: the collection count at the latest update. */
  seen = 0;
  readonly #native: NativeBuckets | undefined;

  constructor(
    readonly labelSet: LabelSet,
    private readonly store: SeriesStore<HistogramChild>,
    private readonly bounds: Float64Array,
    native?: NativeConfig,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
    this.#native = native === undefined ? undefined : new NativeBuckets(native, this.created);
  }

  /**
   * Records a value, and keeps `exemplar` (e.g. `{ trace_id: 'abc' }`) as the latest exemplar of
   * the classic bucket the value falls in (the +Inf bucket when there are no classic buckets).
   * ±Inf land in the end buckets. NaN counts as client_golang counts it (see observeNaN). Throws
   * InvalidValueError for a non-number and LabelError for invalid exemplar labels; nothing is
   * recorded then.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   * @throws {LabelError} for invalid exemplar labels.
   */
  observe(value: number, exemplar?: ExemplarLabels): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      this.observeNaN(value, exemplar);
      return;
    }
    const kept = exemplar === undefined ? undefined : makeExemplar(this.store.metric, exemplar, value);
    const bounds = this.bounds;
    const n = bounds.length;
    let i = 0;
    if (n <= LINEAR_SEARCH_MAX) {
      while (i < n && value > bounds[i]!) i++;
    } else {
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value > bounds[mid]!) i = mid + 1;
        else hi = mid;
      }
    }
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    if (this.#native?.observe(value)) this.restartWith(value, i);
    if (kept !== undefined) this.keepExemplar(i, kept);
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  /**
   * NaN is above no bound and in no native bucket, so, as in client_golang, it counts only in
   * `_count` (and with it the +Inf bucket) and in `_sum`, which becomes NaN.
   */
  private observeNaN(value: unknown, exemplar: ExemplarLabels | undefined): void {
    if (typeof value !== 'number') {
      throw new InvalidValueError(this.store.metric, value, 'a histogram observation must be a number');
    }
    const kept = exemplar === undefined ? undefined : makeExemplar(this.store.metric, exemplar, value);
    const inf = this.bounds.length;
    this.counts[inf]!++;
    this.sum += value;
    this.count++;
    if (kept !== undefined) this.keepExemplar(inf, kept);
    if (this.seen !== this.store.tick) this.store.touch(this);
  }

  /** The native bucket limit reset the series: start over from this one observation, in cell `i`. */
  private restartWith(value: number, i: number): void {
    this.counts.fill(0);
    this.counts[i] = 1;
    this.sum = value;
    this.count = 1;
    this.created = this.#native!.lastReset;
  }

  private keepExemplar(i: number, exemplar: Exemplar): void {
    if (this.exemplars === undefined) this.exemplars = new Array(this.bounds.length + 1).fill(undefined);
    this.exemplars[i] = exemplar;
  }

  /** Starts a timer whose `end()` observes the elapsed seconds. */
  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.observe(seconds));
  }

  /** Cumulative counts for each finite bound. */
  cumulative(): number[] {
    const out = new Array<number>(this.bounds.length);
    let running = 0;
    for (let i = 0; i < out.length; i++) {
      running += this.counts[i]!;
      out[i] = running;
    }
    return out;
  }

  get(): HistogramValue {
    const cumulative = this.cumulative();
    const buckets = cumulative.map((c, i) => ({ upperBound: this.bounds[i]!, cumulativeCount: c }));
    buckets.push({ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: this.count });
    const value = { count: this.count, sum: this.sum, buckets };
    return this.#native === undefined ? value : { ...value, native: this.#native.data() };
  }

  /** The snapshot point of this series. */
  point(upperBounds: readonly number[]): HistogramPoint {
    const point: HistogramPoint = {
      labels: this.labelSet,
      upperBounds,
      cumulativeCounts: this.cumulative(),
      count: this.count,
      sum: this.sum,
      created: this.created,
    };
    if (this.exemplars === undefined && this.#native === undefined) return point;
    return {
      ...point,
      ...(this.exemplars === undefined ? {} : { exemplars: this.exemplars.slice() }),
      ...(this.#native === undefined ? {} : { native: this.#native.data() }),
    };
  }

  /** Resets the series if native bucket limiting scheduled a reset that is due at `nowMs`. */
  resetIfDue(nowMs: number): void {
    if (this.#native?.resetDue(nowMs)) this.reset();
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.created = nowSeconds();
    this.exemplars = undefined;
    this.#native?.reset(this.created);
  }
}

export class Histogram<L extends string = never> extends Metric<L, HistogramChild> {
  readonly type = 'histogram' as const;
  /** The finite upper bounds of the classic buckets, shared by every series and snapshot; empty for a native-only histogram. */
  readonly upperBounds: readonly number[];
  readonly #native: NativeConfig | undefined;
  readonly #bounds: Float64Array;

  constructor(options: HistogramOptions<L>) {
    super(options, ['le']);
    checkMetricOptions('Histogram', this.name, options, ['buckets', 'native']);
    const native = options.native ?? false;
    this.#native = native === false ? undefined : resolveNativeOptions(this.name, native);
    this.upperBounds = Object.freeze(classicBounds(this.name, options.buckets, this.#native !== undefined));
    this.#bounds = Float64Array.from(this.upperBounds);
    this.ready({ buckets: this.upperBounds, native: this.#native ?? false });
  }

  /** Records a value, with an optional exemplar (see HistogramChild.observe). */
  observe(...args: HistogramObserveArgs<L>): void {
    if (this.single !== undefined)
      this.single.observe(args[0] as number, args[1] as ExemplarLabels | undefined);
    else this.seriesFor(args[0]).observe(args[1] as number, args[2]);
  }

  /** Starts a timer; `end(extraLabels?)` observes the elapsed seconds and returns them. */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) => (this.single ?? this.seriesFor(all)).observe(seconds));
  }

  /** Count, sum, cumulative buckets and native buckets of a series; `undefined` for a label set without a series. */
  get(...args: LabelArgs<L>): [L] extends [never] ? HistogramValue : HistogramValue | undefined {
    return this.existing(args[0])?.get() as [L] extends [never] ? HistogramValue : HistogramValue | undefined;
  }

  protected createSeries(labels: LabelSet): HistogramChild {
    return new HistogramChild(labels, this.store, this.#bounds, this.#native);
  }

  protected resetSeries(series: HistogramChild): void {
    series.reset();
  }

  /**
   * Also performs the resets that native bucket limiting scheduled (see
   * NativeHistogramOptions.minResetDurationSeconds), right after their series was collected, so
   * no observation is lost to them.
   */
  protected family(series: readonly HistogramChild[]): HistogramFamily {
    const upperBounds = this.upperBounds;
    const points = series.map((s) => s.point(upperBounds));
    if (this.#native !== undefined && this.#native.minResetDurationMs > 0) {
      const now = Date.now();
      for (const s of series) s.resetIfDue(now);
    }
    return withUnit<HistogramFamily>(
      { name: this.name, help: this.help, type: 'histogram', points },
      this.unit,
    );
  }
}

/** The classic bounds: validated user buckets, else the defaults, or none for a native histogram. */
function classicBounds(metric: string, buckets: readonly number[] | undefined, native: boolean): number[] {
  if (buckets === undefined) return native ? [] : [...DEFAULT_BUCKETS];
  if (native && (buckets.length === 0 || (buckets.length === 1 && buckets[0] === Number.POSITIVE_INFINITY)))
    return [];
  return validateBuckets(metric, buckets);
}
