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
import type { CounterFamily, CounterPoint, Exemplar, LabelSet } from '../model/family.js';
import { type LabelArgs, type Labels, validateMetricName } from '../model/labels.js';
import { type ExemplarLabels, makeExemplar } from './exemplar.js';
import { checkMetricOptions, Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';
import type { SeriesStore } from './series-store.js';

export type CounterOptions<L extends string> = MetricOptions<L>;

/**
 * `inc()` arguments: an optional amount and an optional exemplar, after the labels when the
 * counter has labels. The exemplar's value is the amount.
 */
export type IncArgs<L extends string> = [L] extends [never]
  ? [amount?: number, exemplar?: ExemplarLabels]
  : [labels: Labels<L>, amount?: number, exemplar?: ExemplarLabels];

/**
 * What the series of one counter share: the name, and the exemplars of the series that have one.
 * Keeping exemplars here rather than in a field of every series saves 8 bytes per series for
 * counters that never see one, and the collection of such a counter skips the lookups.
 */
class CounterShared {
  exemplars: WeakMap<CounterChild, Exemplar> | undefined = undefined;
  constructor(
    readonly name: string,
    readonly store: SeriesStore<CounterChild>,
  ) {}
}

/** One series of a counter. */
export class CounterChild {
  value = 0;
  /** Creation or reset time in seconds, written as `_created`. */
  created = nowSeconds();
  /** See SeriesStore: the collection count at the latest update. */
  seen = 0;

  constructor(
    readonly labelSet: LabelSet,
    private readonly shared: CounterShared,
  ) {}

  /**
   * Adds `amount` (default 1), and keeps `exemplar` (e.g. `{ trace_id: 'abc' }`) as the series'
   * exemplar, replacing the previous one. +Inf is allowed (the counter stays +Inf), as in
   * client_golang. Throws InvalidValueError for a negative, NaN or non-number amount and LabelError
   * for invalid exemplar labels; nothing is added then.
   *
   * @throws {InvalidValueError} for a negative, NaN or non-number amount.
   * @throws {LabelError} for invalid exemplar labels.
   */
  inc(amount = 1, exemplar?: ExemplarLabels): void {
    if (typeof amount !== 'number' || !(amount >= 0)) {
      throw new InvalidValueError(
        this.shared.name,
        amount,
        'a counter increment must be a number >= 0, not NaN',
      );
    }
    if (exemplar !== undefined) {
      // A private method here would add a brand slot to every series; see CounterShared.
      const kept = makeExemplar(this.shared.name, exemplar, amount);
      this.shared.exemplars ??= new WeakMap();
      this.shared.exemplars.set(this, kept);
    }
    this.value += amount;
    const store = this.shared.store;
    if (this.seen !== store.tick) store.touch(this);
  }

  get(): number {
    return this.value;
  }

  /** The exemplar of the latest increment that carried one. */
  get exemplar(): Exemplar | undefined {
    return this.shared.exemplars?.get(this);
  }

  /** Zeroes the value and drops the exemplar; the created time becomes now. */
  reset(): void {
    this.value = 0;
    this.created = nowSeconds();
    this.shared.exemplars?.delete(this);
  }
}

export class Counter<L extends string = never> extends Metric<L, CounterChild> {
  readonly type = 'counter' as const;
  readonly #shared: CounterShared;

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
    // A second identical definition shares the registered counter's exemplars with its series.
    this.#shared = this.define({}, new CounterShared(this.name, this.store));
    this.ready();
  }

  /** Adds `amount` (default 1) to the series of `labels`, with an optional exemplar (see CounterChild.inc). */
  inc(...args: IncArgs<L>): void {
    if (this.single !== undefined)
      this.single.inc(args[0] as number | undefined, args[1] as ExemplarLabels | undefined);
    else this.seriesFor(args[0]).inc(args[1] as number | undefined, args[2]);
  }

  /** The current value; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? number : number | undefined {
    return this.existing(args[0])?.value as [L] extends [never] ? number : number | undefined;
  }

  protected createSeries(labels: LabelSet): CounterChild {
    return new CounterChild(labels, this.#shared);
  }

  protected resetSeries(series: CounterChild): void {
    series.reset();
  }

  protected family(series: readonly CounterChild[]): CounterFamily {
    const exemplars = this.#shared.exemplars;
    const points =
      exemplars === undefined
        ? series.map((s): CounterPoint => ({ labels: s.labelSet, value: s.value, created: s.created }))
        : series.map((s): CounterPoint => {
            const exemplar = exemplars.get(s);
            const point = { labels: s.labelSet, value: s.value, created: s.created };
            return exemplar === undefined ? point : { ...point, exemplar };
          });
    return withUnit<CounterFamily>({ name: this.name, help: this.help, type: 'counter', points }, this.unit);
  }
}
