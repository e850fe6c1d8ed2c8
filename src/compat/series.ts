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
    this.series.delete(this.#key(this.labelRecord(values)));
  }

  /** Drops every series; a metric without labels starts again from zero. */
  reset(): void {
    this.series.clear();
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
