/**
 * Counter: a value that only goes up (requests served, bytes sent), reset only by a restart.
 *
 * ```ts
 * const requests = new Counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['method'] as const });
 * requests.inc({ method: 'GET' });
 * const get = requests.labels({ method: 'GET' }); get.inc();   // bound child: the fastest path
 * ```
 *
 * The exposed name always ends with `_total`: a name without it gets the suffix appended, as
 * OpenMetrics requires for counter samples and as the official Python client does.
 */
import { InvalidValueError } from '../errors.js';
import type { CounterFamily, LabelSet } from '../exposition/model.js';
import type { LabelArgs, Labels } from '../labels.js';
import { Metric, type MetricOptions, nowSeconds, withUnit } from './metric.js';

export type CounterOptions<L extends string> = MetricOptions<L>;

/** `inc()` arguments: an optional amount, after the labels when the counter has labels. */
export type IncArgs<L extends string> = [L] extends [never]
  ? [amount?: number]
  : [labels: Labels<L>, amount?: number];

/** One series of a counter. */
export class CounterChild {
  value = 0;
  /** Creation or reset time in seconds, written as `_created`. */
  created = nowSeconds();

  constructor(
    readonly labelSet: LabelSet,
    private readonly metric: string,
  ) {}

  /** Adds `amount` (default 1). Throws InvalidValueError for a negative, infinite or non-number amount. */
  inc(amount = 1): void {
    if (typeof amount !== 'number' || !(amount >= 0) || amount === Number.POSITIVE_INFINITY) {
      throw new InvalidValueError(this.metric, amount, 'a counter increment must be a finite number >= 0');
    }
    this.value += amount;
  }

  get(): number {
    return this.value;
  }
}

export class Counter<L extends string = never> extends Metric<L, CounterChild> {
  readonly type = 'counter' as const;

  constructor(options: CounterOptions<L>) {
    const name = options?.name;
    const full = typeof name === 'string' && !name.endsWith('_total') ? `${name}_total` : name;
    const base = typeof full === 'string' ? full.slice(0, -'_total'.length) : full;
    super({ ...options, name: full }, [], base);
    this.ready();
  }

  /** Adds `amount` (default 1) to the series of `labels`. */
  inc(...args: IncArgs<L>): void {
    if (this.single !== undefined) this.single.inc(args[0] as number | undefined);
    else this.seriesFor(args[0]).inc(args[1]);
  }

  /** The current value; `undefined` for a label set that has no series yet. */
  get(...args: LabelArgs<L>): [L] extends [never] ? number : number | undefined {
    return this.existing(args[0])?.value as [L] extends [never] ? number : number | undefined;
  }

  protected createSeries(labels: LabelSet): CounterChild {
    return new CounterChild(labels, this.name);
  }

  protected resetSeries(series: CounterChild): void {
    series.value = 0;
    series.created = nowSeconds();
  }

  protected family(series: readonly CounterChild[]): CounterFamily {
    const points = series.map((s) => ({ labels: s.labelSet, value: s.value, created: s.created }));
    return withUnit<CounterFamily>({ name: this.name, help: this.help, type: 'counter', points }, this.unit);
  }
}
