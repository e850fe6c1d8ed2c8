/**
 * The prom-client-shaped metric base: label arguments as objects or positional values, one
 * series per label set, and the `get()` snapshot prom-client returns.
 *
 * Series are keyed by the JSON array of their label values in `labelNames` order, so two
 * different label sets can never share a key (prom-client joins values with a separator and
 * lets `{a:'x,y'}` collide with `{a:'x', b:'y'}`-like sets).
 */
import { LabelError, MetricDefinitionError } from '../errors.js';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { labelValueString, validateLabelNames, validateMetricName } from '../model/labels.js';
import { checkExemplarRegistry } from './exemplars.js';
import type { AnyRegistry } from './registry.js';
import type { Aggregator, LabelValues, MetricObjectWithValues, MetricValue } from './types.js';

export type { Aggregator, LabelValues, MetricObjectWithValues, MetricValue };

/** One level of the lookup of series seen: label value to the next level, or to the series. */
type LevelMap = Map<unknown, unknown>;

/** The key of a label left out of a label set (prom-client allows partial label sets). */
const MISSING = Symbol('missing label');

const hasOwn = Object.prototype.hasOwnProperty;

export interface CompatConfiguration<T extends string, M> {
  name: string;
  help: string;
  labelNames?: readonly T[];
  registers?: AnyRegistry[];
  aggregator?: Aggregator;
  collect?: (this: M) => void | Promise<void>;
  enableExemplars?: boolean;
}

export interface Series<T extends string, D> {
  readonly labels: LabelValues<T>;
  readonly labelSet: LabelSet;
  data: D;
}

export abstract class CompatMetric<T extends string, D> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly aggregator: Aggregator;
  readonly enableExemplars: boolean;
  protected readonly series = new Map<string, Series<T, D>>();
  readonly #collect: ((this: never) => void | Promise<void>) | undefined;

  protected constructor(config: CompatConfiguration<T, never>, reserved: readonly string[]) {
    if (typeof config !== 'object' || config === null) {
      throw new MetricDefinitionError('?', 'options must be an object with at least name and help');
    }
    this.name = validateMetricName(config.name);
    if (typeof config.help !== 'string' || config.help === '') {
      throw new MetricDefinitionError(this.name, 'help must be a non-empty string');
    }
    this.help = config.help;
    this.labelNames = Object.freeze([...(config.labelNames ?? [])]);
    validateLabelNames(this.name, this.labelNames, {}, reserved);
    this.aggregator = config.aggregator ?? 'sum';
    this.enableExemplars = config.enableExemplars === true;
    if (config.collect !== undefined && typeof config.collect !== 'function') {
      throw new MetricDefinitionError(this.name, 'collect must be a function');
    }
    this.#collect = config.collect;
  }

  /** Registers in `registers`, or in the default registry; subclasses call it last. */
  protected registerIn(registers: AnyRegistry[] | undefined, fallback: AnyRegistry): void {
    const targets = registers ?? [fallback];
    if (this.enableExemplars)
      for (const registry of targets) checkExemplarRegistry(this.name, registry.contentType);
    for (const registry of targets) registry.registerMetric(this);
  }

  protected abstract initial(): D;

  /** Turns a label object, or positional values in `labelNames` order, into a validated label record. */
  protected labelRecord(args: readonly unknown[]): LabelValues<T> {
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
      const given = args[0] as Record<string, unknown>;
      for (const key of Object.keys(given)) {
        if (!this.labelNames.includes(key as T)) {
          throw new LabelError(this.name, `label "${key}" is not one of [${this.labelNames.join(', ')}]`);
        }
      }
      const out: Partial<Record<T, string | number>> = {};
      for (const name of this.labelNames) {
        if (!Object.hasOwn(given, name)) continue;
        const value = given[name];
        labelValueString(this.name, name, value);
        out[name] = value as string | number;
      }
      return out;
    }
    if (args.length > this.labelNames.length) {
      throw new LabelError(
        this.name,
        `${args.length} label values given for ${this.labelNames.length} label names [${this.labelNames.join(', ')}]`,
      );
    }
    const out: Partial<Record<T, string | number>> = {};
    args.forEach((value, i) => {
      const name = this.labelNames[i]!;
      labelValueString(this.name, name, value);
      out[name] = value as string | number;
    });
    return out;
  }

  /**
   * Series already seen, found again by following one Map per label name along the given values
   * (a number is keyed by its string, a missing label by MISSING) without building a record or a
   * key: the checked path of `labelRecord` and `seriesFor` runs only for a label set this metric
   * has not seen, or arguments it cannot read plainly. Cleared when a series is dropped.
   */
  #seen: LevelMap = new Map();

  /** The series of label arguments (an object or positional values), created when new. */
  protected seriesOf(args: readonly unknown[]): Series<T, D> {
    if (this.labelNames.length === 0) return this.seriesFor(this.labelRecord(args));
    return (this.#find(args) as Series<T, D> | undefined) ?? this.#remember(args);
  }

  #find(args: readonly unknown[]): unknown {
    const names = this.labelNames;
    let node: unknown = this.#seen;
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
      const given = args[0] as Readonly<Record<string, unknown>>;
      let defined = 0;
      for (let i = 0; i < names.length && node !== undefined; i++) {
        const name = names[i]!;
        const value = given[name];
        let key: unknown;
        if (typeof value === 'string') key = value;
        else if (typeof value === 'number') key = String(value);
        else if (value === undefined && !hasOwn.call(given, name)) key = MISSING;
        else return undefined;
        if (key !== MISSING) {
          if (!hasOwn.call(given, name)) return undefined;
          defined++;
        }
        node = (node as LevelMap).get(key);
      }
      // Every enumerable key, inherited ones included, must be one of the label names read.
      let keys = 0;
      for (const _ in given) keys++;
      return keys === defined ? node : undefined;
    }
    if (args.length > names.length) return undefined;
    for (let i = 0; i < names.length && node !== undefined; i++) {
      const value = i < args.length ? args[i] : MISSING;
      const key = typeof value === 'number' ? String(value) : value;
      if (typeof key !== 'string' && key !== MISSING) return undefined;
      node = (node as LevelMap).get(key);
    }
    return node;
  }

  #remember(args: readonly unknown[]): Series<T, D> {
    const labels = this.labelRecord(args);
    const series = this.seriesFor(labels);
    let node = this.#seen;
    const names = this.labelNames;
    for (let i = 0; i < names.length; i++) {
      const value = labels[names[i]!];
      const key = value === undefined ? MISSING : String(value);
      if (i === names.length - 1) {
        node.set(key, series);
        break;
      }
      let next = node.get(key) as LevelMap | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    return series;
  }

  /** Drops one series by its key, and the lookup of series seen (it may still lead to it). */
  protected dropSeries(key: string): void {
    this.series.delete(key);
    this.#seen = new Map();
  }

  #key(labels: LabelValues<T>): string {
    return JSON.stringify(this.labelNames.map((n) => (labels[n] === undefined ? null : String(labels[n]))));
  }

  protected seriesFor(labels: LabelValues<T>): Series<T, D> {
    const key = this.#key(labels);
    let found = this.series.get(key);
    if (found === undefined) {
      const strings: Record<string, string> = {};
      for (const name of this.labelNames) {
        const value = labels[name];
        if (value !== undefined) strings[name] = String(value);
      }
      found = { labels: Object.freeze({ ...labels }), labelSet: labelSet(strings), data: this.initial() };
      this.series.set(key, found);
    }
    return found;
  }

  protected existing(labels: LabelValues<T>): Series<T, D> | undefined {
    return this.series.get(this.#key(labels));
  }

  /** Removes the series of a label set, given as an object or positionally. */
  remove(...values: (string | number)[] | [LabelValues<T>]): void {
    this.dropSeries(this.#key(this.labelRecord(values)));
  }

  /** Drops every series; a metric without labels starts again from zero. */
  reset(): void {
    this.series.clear();
    this.#seen = new Map();
    if (this.labelNames.length === 0) this.seriesFor({});
  }

  /** Runs the `collect` option with `this` bound to the metric, as prom-client does. */
  protected async runCollect(): Promise<void> {
    if (this.#collect !== undefined) await (this.#collect as (this: this) => void | Promise<void>).call(this);
  }

  abstract get(): Promise<MetricObjectWithValues<T>>;

  /** The native family snapshot the registry renders. */
  abstract family(): Promise<MetricFamily>;
}
