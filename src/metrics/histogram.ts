/**
 * Histogram: counts observations in configurable buckets, with their sum and count.
 *
 * ```ts
 * const latency = new Histogram({ name: 'request_seconds', help: 'Latency.', labelNames: ['route'] as const });
 * latency.observe({ route: '/users/:id' }, 0.042);
 * const end = latency.startTimer({ route: '/x' }); ...; end();
 * ```
 *
 * Each series keeps per-bucket (non-cumulative) counts in a Float64Array; the cumulative counts
 * of the exposition are computed at collection, so an observation touches one cell.
 */
import { InvalidValueError } from '../errors.js';
import type { HistogramFamily, LabelSet } from '../exposition/model.js';
import type { LabelArgs, Labels } from '../labels.js';
import { DEFAULT_BUCKETS, validateBuckets } from './buckets.js';
import { Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';
import type { ObserveArgs } from './summary.js';
import { type EndTimer, startTimer } from './timing.js';

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing and finite; +Inf is added. Default: DEFAULT_BUCKETS. */
  readonly buckets?: readonly number[];
}

/** The value of a histogram series, as `get()` returns it. */
export interface HistogramValue {
  readonly count: number;
  readonly sum: number;
  /** Cumulative counts per upper bound, ending with +Inf (equal to `count`). */
  readonly buckets: readonly { readonly upperBound: number; readonly cumulativeCount: number }[];
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

  constructor(
    readonly labelSet: LabelSet,
    private readonly metric: string,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records a value. Throws InvalidValueError for NaN or a non-number; ±Inf land in the end buckets. */
  observe(value: number): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new InvalidValueError(
        this.metric,
        value,
        'a histogram observation must be a number other than NaN',
      );
    }
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
    return { count: this.count, sum: this.sum, buckets };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.created = nowSeconds();
  }
}

export class Histogram<L extends string = never> extends Metric<L, HistogramChild> {
  readonly type = 'histogram' as const;
  /** The finite upper bounds, shared by every series and snapshot. */
  readonly upperBounds: readonly number[];
  readonly #bounds: Float64Array;

  constructor(options: HistogramOptions<L>) {
    super(options, ['le']);
    this.upperBounds = Object.freeze(validateBuckets(this.name, options.buckets ?? DEFAULT_BUCKETS));
    this.#bounds = Float64Array.from(this.upperBounds);
    this.ready();
  }

  observe(...args: ObserveArgs<L>): void {
    if (this.single !== undefined) this.single.observe(args[0] as number);
    else this.seriesFor(args[0]).observe(args[1] as number);
  }

  /** Starts a timer; `end(extraLabels?)` observes the elapsed seconds and returns them. */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) => (this.single ?? this.seriesFor(all)).observe(seconds));
  }

  /** Count, sum and cumulative buckets of a series; `undefined` for a label set without a series. */
  get(...args: LabelArgs<L>): [L] extends [never] ? HistogramValue : HistogramValue | undefined {
    return this.existing(args[0])?.get() as [L] extends [never] ? HistogramValue : HistogramValue | undefined;
  }

  protected createSeries(labels: LabelSet): HistogramChild {
    return new HistogramChild(labels, this.name, this.#bounds);
  }

  protected resetSeries(series: HistogramChild): void {
    series.reset();
  }

  protected family(series: readonly HistogramChild[]): HistogramFamily {
    const upperBounds = this.upperBounds;
    const points = series.map((s) => ({
      labels: s.labelSet,
      upperBounds,
      cumulativeCounts: s.cumulative(),
      count: s.count,
      sum: s.sum,
      created: s.created,
    }));
    return withUnit<HistogramFamily>(
      { name: this.name, help: this.help, type: 'histogram', points },
      this.unit,
    );
  }
}
