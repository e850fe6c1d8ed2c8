/**
 * Counter: a value that only goes up (requests served, bytes sent), reset only by a restart.
 *
 * @example
 * ```ts
 * import { Counter } from 'aioprometheus';
 *
 * const requests = new Counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['method'] as const });
 * requests.inc({ method: 'GET' });
 * const get = requests.labels({ method: 'GET' }); get.inc();   // bound child: the fastest path
 * requests.inc({ method: 'GET' }, 1, { trace_id: 'abc' });      // with an exemplar
 * ```
 *
 * The exposed name always ends with `_total`: a name without it gets the suffix appended, as
 * OpenMetrics requires for counter samples and as the official Python client does.
 */
import { InvalidValueError, MetricDefinitionError } from '../errors.js';
import { columnarFamily, type SeriesColumns, slotLabels } from '../model/columns.js';
import type { CounterFamily, CounterPoint, Exemplar } from '../model/family.js';
import { type LabelArgs, type Labels, validateMetricName } from '../model/labels.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';
import { EMPTY_FLOAT64, grown } from './grown.js';
import { snapshotLabelValues, snapshotSpecial } from './label-layout.js';
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds } from './metric.js';
import type { Held, SeriesStore, SlotData } from './series-store.js';
import { SnapshotCopies } from './snapshot-copies.js';

export type CounterOptions<L extends string> = MetricOptions<L>;

/**
 * `inc()` arguments: an optional amount and an optional exemplar, after the labels when the
 * counter has labels. The exemplar's value is the amount.
 */
export type IncArgs<L extends string> = [L] extends [never]
  ? [amount?: number, exemplar?: ExemplarLabels]
  : [labels: Labels<L>, amount?: number, exemplar?: ExemplarLabels];

/** What a held counter series keeps while its series is out of the exposition (expired). */
interface SavedCounter {
  readonly value: number;
  readonly created: number;
  readonly exemplar: Exemplar | undefined;
}

/** The series of one counter, in columns by slot. */
class CounterStorage implements SlotData<CounterSeries> {
  values = EMPTY_FLOAT64;
  /** Creation or reset time in seconds, written as `_created`. */
  created = EMPTY_FLOAT64;
  /** Whether a snapshot holds `created`, and how many slots it had then (see `shareCreated`). */
  #createdShared = -1;
  readonly copies = new SnapshotCopies();
  /** The exemplars of the slots that have one: most counters never see one. */
  exemplars: Map<number, Exemplar> | undefined = undefined;
  store!: SeriesStore<CounterSeries>;

  constructor(readonly name: string) {}

  grow(capacity: number): void {
    this.values = grown(this.values, capacity);
    this.created = grown(this.created, capacity);
    this.#createdShared = -1;
  }

  init(slot: number): void {
    this.values[slot] = 0;
    this.#setCreated(slot, nowSeconds());
  }

  /**
   * The created times for a snapshot, not copied: they change only when a series starts or is
   * reset, and such a write first replaces the array by a copy while a snapshot may hold it.
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

  save(slot: number, held: CounterSeries): void {
    held.saved = {
      value: this.values[slot]!,
      created: this.created[slot]!,
      exemplar: this.exemplars?.get(slot),
    };
  }

  restore(slot: number, held: CounterSeries): void {
    const saved = held.saved;
    held.saved = undefined;
    if (saved === undefined) {
      this.init(slot);
      return;
    }
    this.values[slot] = saved.value;
    this.#setCreated(slot, saved.created);
    if (saved.exemplar !== undefined) {
      this.exemplars ??= new Map();
      this.exemplars.set(slot, saved.exemplar);
    }
  }

  forget(held: CounterSeries): void {
    held.saved = undefined;
  }

  zero(slot: number): void {
    this.release(slot);
    this.init(slot);
  }

  release(slot: number): void {
    this.exemplars?.delete(slot);
  }

  clear(): void {
    this.values = EMPTY_FLOAT64;
    this.created = EMPTY_FLOAT64;
    this.#createdShared = -1;
    this.exemplars = undefined;
  }

  handle(slot: number): CounterSeries {
    return new CounterSeries(this, slot);
  }

  /**
   * Adds `amount` to the series in `slot`; throws InvalidValueError for a negative, NaN or
   * non-number amount and LabelError for invalid exemplar labels, and nothing is added then.
   */
  add(slot: number, amount: number, exemplar: ExemplarLabels | undefined): void {
    this.check(amount);
    if (exemplar !== undefined) {
      const kept = makeExemplar(this.name, exemplar, amount);
      this.exemplars ??= new Map();
      this.exemplars.set(slot, kept);
    }
    this.values[slot]! += amount;
    const store = this.store;
    if (store.tick !== 0 && store.seen[slot] !== store.tick) store.seen[slot] = store.tick;
  }

  check(amount: number): void {
    if (typeof amount !== 'number' || !(amount >= 0)) {
      throw new InvalidValueError(this.name, amount, 'a counter increment must be a number >= 0, not NaN');
    }
  }
}

/** One series of a counter, as `labels()` returns it: the fastest way to update it. */
export interface CounterChild {
  /**
   * Adds `amount` (default 1), and keeps `exemplar` (e.g. `{ trace_id: 'abc' }`) as the series'
   * exemplar, replacing the previous one. +Inf is allowed (the counter stays +Inf), as in
   * client_golang. Throws InvalidValueError for a negative, NaN or non-number amount and LabelError
   * for invalid exemplar labels; nothing is added then.
   *
   * @throws {InvalidValueError} for a negative, NaN or non-number amount.
   * @throws {LabelError} for invalid exemplar labels.
   */
  inc(amount?: number, exemplar?: ExemplarLabels): void;
  /** The current value. */
  get(): number;
  /** The exemplar of the latest increment that carried one. */
  readonly exemplar: Exemplar | undefined;
  /** Zeroes the value and drops the exemplar; the created time becomes now. */
  reset(): void;
}

/** A held counter series: its slot in the storage, and its state while its series is out. */
class CounterSeries implements CounterChild, Held {
  saved: SavedCounter | undefined = undefined;
  outValues: readonly string[] | undefined = undefined;
  readonly #storage: CounterStorage;

  constructor(
    storage: CounterStorage,
    public slot: number,
  ) {
    this.#storage = storage;
  }

  inc(amount = 1, exemplar?: ExemplarLabels): void {
    const storage = this.#storage;
    if (this.slot < 0) {
      storage.check(amount);
      storage.store.revive(this);
    }
    storage.add(this.slot, amount, exemplar);
  }

  get(): number {
    return this.slot >= 0 ? this.#storage.values[this.slot]! : (this.saved?.value ?? 0);
  }

  get exemplar(): Exemplar | undefined {
    return this.slot >= 0 ? this.#storage.exemplars?.get(this.slot) : this.saved?.exemplar;
  }

  reset(): void {
    if (this.slot < 0) this.saved = undefined;
    else this.#storage.zero(this.slot);
  }
}

export class Counter<L extends string = never> extends Metric<L, CounterSeries> {
  readonly type = 'counter' as const;
  readonly #storage: CounterStorage;

  constructor(options: CounterOptions<L>) {
    // Validate the name as the user wrote it, so an error shows that name, not the suffixed one.
    const name = validateMetricName(options?.name, options?.nameValidation);
    if (name === '_total') {
      // OpenMetrics names the family without `_total`: an empty name breaks every scrape.
      throw new MetricDefinitionError(name, 'a counter name needs a name before "_total"');
    }
    const full = name.endsWith('_total') ? name : `${name}_total`;
    super({ ...options, name: full }, [], full.slice(0, -'_total'.length));
    checkMetricOptions('Counter', name, options, []);
    this.#storage = this.define({}, new CounterStorage(this.name));
    this.ready(this.#storage);
    this.#storage.store = this.store;
  }

  /** Adds `amount` (default 1) to the series of `labels`, with an optional exemplar (see CounterChild.inc). */
  inc(...args: IncArgs<L>): void {
    if (this.single !== undefined) {
      // The one series of a metric without labels never leaves the exposition: its slot is fixed.
      const amount = args[0] as number | undefined;
      this.#storage.add(
        this.single.slot,
        amount === undefined ? 1 : amount,
        args[1] as ExemplarLabels | undefined,
      );
    } else {
      const amount = args[1] as number | undefined;
      this.#storage.add(this.slotFor(args[0]), amount === undefined ? 1 : amount, args[2]);
    }
  }

  /**
   * The bound series of `labels`: the same object for as long as it is held.
   *
   * @throws {LabelError} when the labels do not match the metric's label names or a value is invalid.
   */
  labels(...args: LabelArgs<L>): CounterChild {
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

  protected family(rows: Int32Array): CounterFamily {
    const storage = this.#storage;
    const top = this.store.top;
    const exemplars = storage.exemplars;
    const columns: SeriesColumns = {
      rows,
      labelNames: this.layout.names,
      labelValues: snapshotLabelValues(this.layout, this.store),
      special: snapshotSpecial(this.layout, this.store),
      values: storage.copies.copy(storage.values, top),
      created: storage.shareCreated(top),
      exemplars: exemplars === undefined || exemplars.size === 0 ? undefined : new Map(exemplars),
      histogram: undefined,
    };
    return columnarFamily<CounterFamily>(this, columns, counterPoints);
  }
}

function counterPoints(columns: SeriesColumns): CounterPoint[] {
  const { rows, values, created, exemplars } = columns;
  const points: CounterPoint[] = [];
  for (let i = 0; i < rows.length; i++) {
    const slot = rows[i]!;
    const point = { labels: slotLabels(columns, slot), value: values![slot]!, created: created![slot]! };
    const exemplar = exemplars?.get(slot);
    points.push(exemplar === undefined ? point : { ...point, exemplar });
  }
  return points;
}
