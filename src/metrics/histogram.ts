/**
 * Histogram: counts observations in buckets, with their sum and count. Classic buckets have
 * configured upper bounds; native buckets (`native: true`) are exponential, sparse and need no
 * configuration (see native-histogram.ts).
 *
 * Each series keeps its per-bucket (non-cumulative) counts in its row of the metric's cells; the
 * cumulative counts of the exposition are computed at collection, so an observation touches one
 * cell.
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
 */
import { InvalidValueError } from '../errors.js';
import { columnarFamily, type SeriesColumns, slotLabels } from '../model/columns.js';
import type { Exemplar, HistogramFamily, HistogramPoint, NativeHistogramData } from '../model/family.js';
import type { LabelArgs, Labels } from '../model/labels.js';
import { DEFAULT_BUCKETS, validateBuckets } from './buckets.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';
import { EMPTY_FLOAT64, grown } from './grown.js';
import { snapshotLabelValues, snapshotSpecial } from './label-layout.js';
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds } from './metric.js';
import {
  NativeBuckets,
  type NativeConfig,
  type NativeHistogramOptions,
  resolveNativeOptions,
} from './native-histogram.js';
import type { Held, SeriesStore, SlotData } from './series-store.js';
import { SnapshotCopies } from './snapshot-copies.js';
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

/** What a held histogram series keeps while its series is out of the exposition (expired). */
interface SavedHistogram {
  readonly cells: Float64Array;
  readonly created: number;
  readonly exemplars: (Exemplar | undefined)[] | undefined;
  readonly native: NativeBuckets | undefined;
}

/**
 * The series of one histogram: one row of cells per slot, the non-cumulative bucket counts (the
 * last one +Inf) then the sum and the count; the cumulative counts of the exposition are computed
 * at collection, so an observation touches three cells.
 */
class HistogramStorage implements SlotData<HistogramSeries> {
  cells = EMPTY_FLOAT64;
  created = EMPTY_FLOAT64;
  /** The latest exemplar per classic bucket (the last one +Inf) of the slots that have one. */
  exemplars: Map<number, (Exemplar | undefined)[]> | undefined = undefined;
  /** The native buckets by slot, for a histogram with native buckets. */
  natives: (NativeBuckets | undefined)[] = [];
  /** Whether a snapshot holds `created`, and how many slots it had then (see `shareCreated`). */
  #createdShared = -1;
  readonly copies = new SnapshotCopies();
  /** Cells per row. */
  readonly stride: number;
  /** Index of the sum within a row; the count follows it. */
  readonly #sum: number;
  store!: SeriesStore<HistogramSeries>;

  constructor(
    readonly name: string,
    readonly bounds: Float64Array,
    readonly native: NativeConfig | undefined,
  ) {
    this.#sum = bounds.length + 1;
    this.stride = bounds.length + 3;
  }

  grow(capacity: number): void {
    this.cells = grown(this.cells, capacity * this.stride);
    this.created = grown(this.created, capacity);
    this.#createdShared = -1;
  }

  /**
   * The created times for a snapshot, not copied: they change only when a series starts, is reset
   * or restarts, and such a write first replaces the array by a copy while a snapshot may hold it.
   */
  shareCreated(top: number): Float64Array {
    this.#createdShared = top;
    return this.created;
  }

  #setCreated(slot: number, seconds: number): void {
    if (slot < this.#createdShared) {
      this.created = this.created.slice();
      this.#createdShared = -1;
    }
    this.created[slot] = seconds;
  }

  init(slot: number): void {
    const base = slot * this.stride;
    this.cells.fill(0, base, base + this.stride);
    const created = nowSeconds();
    this.#setCreated(slot, created);
    if (this.native !== undefined) this.natives[slot] = new NativeBuckets(this.native, created);
  }

  save(slot: number, held: HistogramSeries): void {
    const base = slot * this.stride;
    held.saved = {
      cells: this.cells.slice(base, base + this.stride),
      created: this.created[slot]!,
      exemplars: this.exemplars?.get(slot),
      native: this.natives[slot],
    };
  }

  restore(slot: number, held: HistogramSeries): void {
    const saved = held.saved;
    held.saved = undefined;
    if (saved === undefined) {
      this.init(slot);
      return;
    }
    this.cells.set(saved.cells, slot * this.stride);
    this.#setCreated(slot, saved.created);
    if (saved.exemplars !== undefined) {
      this.exemplars ??= new Map();
      this.exemplars.set(slot, saved.exemplars);
    }
    if (saved.native !== undefined) this.natives[slot] = saved.native;
  }

  forget(held: HistogramSeries): void {
    held.saved = undefined;
  }

  release(slot: number): void {
    this.exemplars?.delete(slot);
    if (this.native !== undefined) this.natives[slot] = undefined;
  }

  clear(): void {
    this.cells = EMPTY_FLOAT64;
    this.created = EMPTY_FLOAT64;
    this.#createdShared = -1;
    this.exemplars = undefined;
    this.natives = [];
  }

  handle(slot: number): HistogramSeries {
    return new HistogramSeries(this, slot);
  }

  /**
   * Records a value, and keeps `exemplar` as the latest exemplar of the classic bucket the value
   * falls in (the +Inf bucket when there are no classic buckets). ±Inf land in the end buckets.
   * NaN counts as client_golang counts it: it is above no bound and in no native bucket, so it
   * counts only in `_count` (and with it the +Inf bucket) and in `_sum`, which becomes NaN. Throws
   * InvalidValueError for a non-number and LabelError for invalid exemplar labels; nothing is
   * recorded then.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   * @throws {LabelError} for invalid exemplar labels.
   */
  observe(slot: number, value: number, exemplar: ExemplarLabels | undefined): void {
    this.check(value);
    const kept = exemplar === undefined ? undefined : makeExemplar(this.name, exemplar, value);
    const bounds = this.bounds;
    const n = bounds.length;
    let i = 0;
    if (Number.isNaN(value)) i = n;
    else if (n <= LINEAR_SEARCH_MAX) {
      while (i < n && value > bounds[i]!) i++;
    } else {
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value > bounds[mid]!) i = mid + 1;
        else hi = mid;
      }
    }
    const cells = this.cells;
    const base = slot * this.stride;
    cells[base + i]!++;
    cells[base + this.#sum]! += value;
    cells[base + this.#sum + 1]!++;
    if (this.native !== undefined && !Number.isNaN(value) && this.natives[slot]!.observe(value)) {
      this.#restartWith(slot, value, i);
    }
    if (kept !== undefined) {
      this.exemplars ??= new Map();
      let buckets = this.exemplars.get(slot);
      if (buckets === undefined) {
        buckets = new Array<Exemplar | undefined>(n + 1).fill(undefined);
        this.exemplars.set(slot, buckets);
      }
      buckets[i] = kept;
    }
    const store = this.store;
    if (store.tick !== 0 && store.seen[slot] !== store.tick) store.seen[slot] = store.tick;
  }

  check(value: number): void {
    if (typeof value !== 'number') {
      throw new InvalidValueError(this.name, value, 'a histogram observation must be a number');
    }
  }

  /** The native bucket limit reset the series: start over from this one observation, in cell `i`. */
  #restartWith(slot: number, value: number, i: number): void {
    const base = slot * this.stride;
    this.cells.fill(0, base, base + this.stride);
    this.cells[base + i] = 1;
    this.cells[base + this.#sum] = value;
    this.cells[base + this.#sum + 1] = 1;
    this.#setCreated(slot, this.natives[slot]!.lastReset);
  }

  /** Zeroes the series in `slot`; the created time becomes now. */
  zero(slot: number): void {
    this.release(slot);
    this.init(slot);
  }

  /** The value of a row of `cells` starting at `base`. */
  value(cells: Float64Array, base: number, native: NativeBuckets | undefined): HistogramValue {
    const buckets: { upperBound: number; cumulativeCount: number }[] = [];
    let running = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      running += cells[base + i]!;
      buckets.push({ upperBound: this.bounds[i]!, cumulativeCount: running });
    }
    const count = cells[base + this.#sum + 1]!;
    buckets.push({ upperBound: Number.POSITIVE_INFINITY, cumulativeCount: count });
    const value = { count, sum: cells[base + this.#sum]!, buckets };
    return native === undefined ? value : { ...value, native: native.data() };
  }

  valueOf(slot: number): HistogramValue {
    return this.value(this.cells, slot * this.stride, this.natives[slot]);
  }
}

/** One series of a histogram, as `labels()` returns it: the fastest way to update it. */
export interface HistogramChild {
  /**
   * Records a value, and keeps `exemplar` (e.g. `{ trace_id: 'abc' }`) as the latest exemplar of
   * the classic bucket the value falls in. Throws InvalidValueError for a non-number and LabelError
   * for invalid exemplar labels; nothing is recorded then.
   *
   * @throws {InvalidValueError} for a value that is not a number.
   * @throws {LabelError} for invalid exemplar labels.
   */
  observe(value: number, exemplar?: ExemplarLabels): void;
  /** Starts a timer whose `end()` observes the elapsed seconds. */
  startTimer(): EndTimer<never>;
  /** Count, sum, cumulative buckets and native buckets. */
  get(): HistogramValue;
  /** Zeroes the series and drops its exemplars; the created time becomes now. */
  reset(): void;
}

/** A held histogram series: its slot in the storage, and its state while its series is out. */
class HistogramSeries implements HistogramChild, Held {
  saved: SavedHistogram | undefined = undefined;
  outValues: readonly string[] | undefined = undefined;
  readonly #storage: HistogramStorage;

  constructor(
    storage: HistogramStorage,
    public slot: number,
  ) {
    this.#storage = storage;
  }

  observe(value: number, exemplar?: ExemplarLabels): void {
    const storage = this.#storage;
    if (this.slot < 0) {
      storage.check(value);
      storage.store.revive(this);
    }
    storage.observe(this.slot, value, exemplar);
  }

  startTimer(): EndTimer<never> {
    return startTimer<never>(undefined, (seconds) => this.observe(seconds));
  }

  get(): HistogramValue {
    const storage = this.#storage;
    if (this.slot >= 0) return storage.valueOf(this.slot);
    if (this.saved !== undefined) return storage.value(this.saved.cells, 0, this.saved.native);
    return storage.value(new Float64Array(storage.stride), 0, undefined);
  }

  reset(): void {
    if (this.slot < 0) this.saved = undefined;
    else this.#storage.zero(this.slot);
  }
}

export class Histogram<L extends string = never> extends Metric<L, HistogramSeries> {
  readonly type = 'histogram' as const;
  /** The finite upper bounds of the classic buckets, shared by every series and snapshot; empty for a native-only histogram. */
  readonly upperBounds: readonly number[];
  readonly #storage: HistogramStorage;

  constructor(options: HistogramOptions<L>) {
    super(options, ['le']);
    checkMetricOptions('Histogram', this.name, options, ['buckets', 'native']);
    const nativeOption = options.native ?? false;
    const native = nativeOption === false ? undefined : resolveNativeOptions(this.name, nativeOption);
    this.upperBounds = Object.freeze(classicBounds(this.name, options.buckets, native !== undefined));
    this.#storage = this.define(
      { buckets: this.upperBounds, native: native ?? false },
      new HistogramStorage(this.name, Float64Array.from(this.upperBounds), native),
    );
    this.ready(this.#storage);
    this.#storage.store = this.store;
  }

  /** Records a value, with an optional exemplar (see HistogramChild.observe). */
  observe(...args: HistogramObserveArgs<L>): void {
    if (this.single !== undefined)
      this.single.observe(args[0] as number, args[1] as ExemplarLabels | undefined);
    else this.#storage.observe(this.slotFor(args[0]), args[1] as number, args[2]);
  }

  /** Starts a timer; `end(extraLabels?)` observes the elapsed seconds and returns them. */
  startTimer(labels?: Partial<Labels<L>>): EndTimer<L> {
    return startTimer<L>(labels, (seconds, all) =>
      this.#storage.observe(this.slotFor(all), seconds, undefined),
    );
  }

  /**
   * The bound series of `labels`: the same object for as long as it is held.
   *
   * @throws {LabelError} when the labels do not match the metric's label names or a value is invalid.
   */
  labels(...args: LabelArgs<L>): HistogramChild {
    return this.heldFor(args[0]);
  }

  /** Count, sum, cumulative buckets and native buckets of a series; `undefined` for a label set without a series. */
  get(...args: LabelArgs<L>): [L] extends [never] ? HistogramValue : HistogramValue | undefined {
    const slot = this.existing(args[0]);
    return (slot === undefined ? undefined : this.#storage.valueOf(slot)) as [L] extends [never]
      ? HistogramValue
      : HistogramValue | undefined;
  }

  /**
   * Also performs the resets that native bucket limiting scheduled (see
   * NativeHistogramOptions.minResetDurationSeconds), right after their series was collected, so
   * no observation is lost to them.
   */
  protected prepareCopies(): Promise<void> {
    const storage = this.#storage;
    return storage.copies.prepare(() => storage.cells, this.store.top * storage.stride);
  }

  protected family(rows: Int32Array): HistogramFamily {
    const storage = this.#storage;
    const top = this.store.top;
    let native: Map<number, NativeHistogramData> | undefined;
    if (storage.native !== undefined) {
      native = new Map();
      for (const slot of rows) native.set(slot, storage.natives[slot]!.data());
    }
    const exemplars = storage.exemplars;
    const columns: SeriesColumns = {
      rows,
      labelNames: this.layout.names,
      labelValues: snapshotLabelValues(this.layout, this.store),
      special: snapshotSpecial(this.layout, this.store),
      values: undefined,
      created: storage.shareCreated(top),
      exemplars: undefined,
      histogram: {
        upperBounds: this.upperBounds,
        stride: storage.stride,
        cells: storage.copies.copy(storage.cells, top * storage.stride),
        exemplars:
          exemplars === undefined || exemplars.size === 0
            ? undefined
            : new Map([...exemplars].map(([slot, list]) => [slot, list.slice()])),
        native,
      },
    };
    if (storage.native !== undefined && storage.native.minResetDurationMs > 0) {
      const now = Date.now();
      for (const slot of rows) if (storage.natives[slot]!.resetDue(now)) storage.zero(slot);
    }
    return columnarFamily<HistogramFamily>(this, columns, histogramPoints);
  }
}

function histogramPoints(columns: SeriesColumns): HistogramPoint[] {
  const { rows, created } = columns;
  const { upperBounds, stride, cells, exemplars, native } = columns.histogram!;
  const n = upperBounds.length;
  const points: HistogramPoint[] = [];
  for (let r = 0; r < rows.length; r++) {
    const slot = rows[r]!;
    const base = slot * stride;
    const cumulativeCounts = new Array<number>(n);
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += cells[base + i]!;
      cumulativeCounts[i] = running;
    }
    const point: HistogramPoint = {
      labels: slotLabels(columns, slot),
      upperBounds,
      cumulativeCounts,
      count: cells[base + n + 2]!,
      sum: cells[base + n + 1]!,
      created: created![slot]!,
    };
    const ex = exemplars?.get(slot);
    const nat = native?.get(slot);
    points.push(
      ex === undefined && nat === undefined
        ? point
        : {
            ...point,
            ...(ex === undefined ? {} : { exemplars: ex }),
            ...(nat === undefined ? {} : { native: nat }),
          },
    );
  }
  return points;
}

/** The classic bounds: validated user buckets, else the defaults, or none for a native histogram. */
function classicBounds(metric: string, buckets: readonly number[] | undefined, native: boolean): number[] {
  if (buckets === undefined) return native ? [] : [...DEFAULT_BUCKETS];
  if (native && (buckets.length === 0 || (buckets.length === 1 && buckets[0] === Number.POSITIVE_INFINITY)))
    return [];
  return validateBuckets(metric, buckets);
}
