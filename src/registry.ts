/**
 * The registry: a set of collectors, gathered together into format-free snapshots.
 *
 * @example
 * ```ts
 * import { Counter, Registry } from 'aioprometheus';
 *
 * const registry = new Registry();
 * new Counter({ name: 'jobs_total', help: 'Jobs.', registry });
 * const families = await registry.collect();
 * ```
 */
import {
  CollectError,
  CollectorOutputError,
  CollectTimeoutError,
  DuplicateRegistrationError,
  describeValue,
  RegistryOptionError,
} from './errors.js';
import { compareUtf8 } from './model/byte-order.js';
import type { MetricFamily } from './model/family.js';
import { validSampleNames } from './model/valid-mark.js';
import { familyProblem, sampleNamesOf } from './registry/validate-family.js';

/** What one collection may take; a scrape passes what is left of its deadline. */
export interface CollectOptions {
  /**
   * Milliseconds the collection may take. Collectors still pending then are left out, each
   * reported as a CollectTimeoutError in the CollectError. Collectors that wait on others (the
   * cluster aggregators) read it to answer in time. Default: no limit.
   */
  readonly timeoutMs?: number;
}

import { checkMaxSeries, checkTtlSeconds } from './metrics/lifecycle-options.js';
import { DefaultLabels } from './registry/default-labels.js';

/**
 * Anything that produces metric families. Metrics implement it; so can user code that exposes
 * values held elsewhere. `collect` may be synchronous or return a promise. The registry checks
 * what it returns (see `Registry.collect`), so data read from elsewhere cannot forge an exposition.
 */
export interface Collector {
  /** The family names this collector produces; the registry refuses two collectors that share one. */
  describe?(): readonly string[];
  collect(options?: CollectOptions): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}

/** Series lifecycle defaults for the metrics of a registry; a metric's own option wins. */
export interface RegistryOptions {
  /** `maxSeries` of every labelled metric that does not set it (see MetricOptions.maxSeries). */
  readonly defaultMaxSeries?: number;
  /** `ttlSeconds` of every labelled metric that does not set it (see MetricOptions.ttlSeconds). */
  readonly defaultTtlSeconds?: number;
}

/**
 * A set of collectors with unique family names.
 *
 * @throws {RegistryOptionError} when constructed with an unknown option or a bad default.
 */
export class Registry {
  /** In registration order: a Map iterates in insertion order, and each registration is new. */
  readonly #collectors = new Map<Collector, Registration>();
  readonly #byName = new Map<string, Collector>();
  #registered = 0;
  /** The registrations in order, for `collect`; rebuilt after a change. */
  #ordered: readonly Registration[] | undefined;
  readonly defaultMaxSeries: number | undefined;
  readonly defaultTtlSeconds: number | undefined;

  constructor(options: RegistryOptions = {}) {
    const fail = (message: string): never => {
      throw new RegistryOptionError(message);
    };
    this.defaultMaxSeries = checkMaxSeries('defaultMaxSeries', options.defaultMaxSeries, fail);
    this.defaultTtlSeconds = checkTtlSeconds('defaultTtlSeconds', options.defaultTtlSeconds, fail);
  }

  #defaultLabels = new DefaultLabels({});

  /**
   * Sets labels added to every series this registry collects (metrics, user collectors, default
   * and middleware metrics alike); replaces any earlier set. A series' own label of the same
   * name wins over the default. Nothing changes on the update path: the merge happens at
   * collection, once per series.
   */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    this.#defaultLabels = new DefaultLabels(labels);
  }

  /**
   * Registers a collector. Registering the same object again is a no-op.
   *
   * @throws {DuplicateRegistrationError} when another collector already has one of its family
   *   names; the error carries that collector.
   */
  register(collector: Collector): void {
    if (this.#collectors.has(collector)) return;
    const names = collector.describe?.() ?? [];
    for (const name of names) {
      const existing = this.#byName.get(name);
      if (existing !== undefined) throw new DuplicateRegistrationError(name, existing);
    }
    for (const name of names) this.#byName.set(name, collector);
    this.#collectors.set(collector, new Registration(collector, names, ++this.#registered));
    this.#ordered = undefined;
  }

  /** Removes a collector; returns whether it was registered. */
  unregister(collector: Collector): boolean {
    if (!this.#collectors.delete(collector)) return false;
    this.#ordered = undefined;
    for (const name of collector.describe?.() ?? []) {
      if (this.#byName.get(name) === collector) this.#byName.delete(name);
    }
    return true;
  }

  /** The collector registered under a family name, if any. */
  get(name: string): Collector | undefined {
    return this.#byName.get(name);
  }

  /** Removes every collector. */
  clear(): void {
    this.#collectors.clear();
    this.#byName.clear();
    this.#ordered = undefined;
  }

  /**
   * Gathers every collector's families, sorted by name. Collectors run concurrently; when some
   * fail, the others' data is kept and one CollectError reports every failure together, with the
   * families that were gathered in `families`. With `timeoutMs`, a collector that has not
   * finished by then counts as failed with a CollectTimeoutError, and its late result is ignored.
   *
   * Every family is checked before it is returned (names, labels, unit, help, values, duplicate
   * series, sample names shared with another family): an invalid one is left out and reported as
   * a CollectorOutputError naming the collector, the family and the problem. So is an output that
   * is not an array. When two families would write the same sample name, the one from the
   * collector registered first is kept. Families the library's metric classes build are valid by
   * construction and skip the per-series checks.
   *
   * @throws {CollectError} when a collector fails, times out or returns an invalid family (the
   *   promise rejects; `families` holds what was gathered).
   * @throws {RangeError} when `timeoutMs` is not a number >= 0.
   */
  async collect(options: CollectOptions = {}): Promise<MetricFamily[]> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
      throw new RangeError(
        `collect timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}`,
      );
    }
    const errors: unknown[] = [];
    this.#ordered ??= [...this.#collectors.values()];
    const registrations = this.#ordered;
    // By registration, so that the first registered wins a clash; NOT_RETURNED where none came.
    const results = new Array<unknown>(registrations.length).fill(NOT_RETURNED);
    const pending = new Map<Collector, Promise<void>>();
    for (let i = 0; i < registrations.length; i++) {
      const collector = registrations[i]!.collector;
      try {
        const result = collector.collect(options);
        if (isPromise(result)) {
          pending.set(
            collector,
            result.then(
              (families) => {
                if (pending.delete(collector)) results[i] = families;
              },
              (error: unknown) => {
                if (pending.delete(collector)) errors.push(error);
              },
            ),
          );
        } else {
          results[i] = result;
        }
      } catch (error) {
        errors.push(error);
      }
    }
    if (pending.size > 0) await settleWithin([...pending.values()], timeoutMs);
    // Whatever is still pending missed the deadline; deleting it makes its late result a no-op.
    for (const collector of pending.keys()) {
      errors.push(new CollectTimeoutError(collector.describe?.() ?? [], timeoutMs ?? 0));
    }
    pending.clear();
    const families = this.#defaultLabels.apply(checkedFamilies(registrations, results, errors));
    if (errors.length > 0) throw new CollectError(errors, families);
    return families;
  }
}

/** A collector as registered: its family names and registration number (the first registered wins a clash). */
class Registration {
  #label: string | undefined;

  constructor(
    readonly collector: Collector,
    readonly names: readonly string[],
    readonly order: number,
  ) {}

  /** How errors name the collector; built when first needed, since most never fail. */
  get label(): string {
    this.#label ??= describeCollector(this.collector, this.names, this.order);
    return this.#label;
  }
}

/** The result of a collector that failed or missed the deadline. */
const NOT_RETURNED: unique symbol = Symbol('not returned');

/**
 * A collector's name in errors: its class (for user collectors the most telling name), the family
 * names it describes, and its registration number in this registry.
 */
function describeCollector(collector: Collector, names: readonly string[], registered: number): string {
  const cls: unknown = (collector as { constructor?: { name?: unknown } }).constructor?.name;
  const kind = typeof cls === 'string' && cls !== '' && cls !== 'Object' ? cls : 'collector';
  const shown = names.slice(0, 3).map((n) => JSON.stringify(n));
  if (names.length > 3) shown.push(`and ${names.length - 3} more`);
  return `${kind}${shown.length > 0 ? ` of ${shown.join(', ')}` : ''} #${registered}`;
}

/** Waits for every promise, or until `timeoutMs` passes. */
async function settleWithin(
  promises: readonly Promise<void>[],
  timeoutMs: number | undefined,
): Promise<void> {
  if (timeoutMs === undefined) {
    await Promise.all(promises);
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(promises), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Validates every collector's result in registration order and sorts the valid families by name.
 * A family whose sample names another family already takes is an error, and only the first is
 * kept.
 */
function checkedFamilies(
  registrations: readonly Registration[],
  results: readonly unknown[],
  errors: unknown[],
): MetricFamily[] {
  const families = asRegistered(registrations, results) ?? checkedOneByOne(registrations, results, errors);
  families.sort((a, b) => compareUtf8(a.name, b.name));
  return families;
}

/**
 * The families, when every collector that returned some returned one family built valid with the
 * very sample names it registered (the metrics' case); undefined otherwise. Such families need no
 * checks: registering refuses a collector whose names another registered collector has, so no
 * two of them share a sample name.
 */
function asRegistered(
  registrations: readonly Registration[],
  results: readonly unknown[],
): MetricFamily[] | undefined {
  const families: MetricFamily[] = [];
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (result === NOT_RETURNED) continue;
    if (!Array.isArray(result) || result.length > 1) return undefined;
    if (result.length === 0) continue;
    const family: unknown = result[0];
    if (validSampleNames(family) !== registrations[i]!.names) return undefined;
    families.push(family as MetricFamily);
  }
  return families;
}

/** Checks each family, and that no two take the same sample name. */
function checkedOneByOne(
  registrations: readonly Registration[],
  results: readonly unknown[],
  errors: unknown[],
): MetricFamily[] {
  const families: MetricFamily[] = [];
  const owners = new Map<string, MetricFamily>();
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (result === NOT_RETURNED) continue;
    const label = registrations[i]!.label;
    if (!Array.isArray(result)) {
      errors.push(
        new CollectorOutputError(
          label,
          undefined,
          `collect() must return an array of metric families (or a promise of one), got ${describeValue(result)}`,
        ),
      );
      continue;
    }
    for (const family of result as readonly unknown[]) {
      let names = validSampleNames(family);
      if (names === undefined) {
        const problem = familyProblem(family);
        if (problem !== undefined) {
          const name = (family as { name?: unknown } | null)?.name;
          errors.push(new CollectorOutputError(label, typeof name === 'string' ? name : undefined, problem));
          continue;
        }
        names = sampleNamesOf(family as MetricFamily);
      }
      const valid = family as MetricFamily;
      const clash = names.find((n) => owners.has(n));
      if (clash !== undefined) {
        const owner = owners.get(clash)!;
        errors.push(
          new CollectorOutputError(
            label,
            valid.name,
            owner.name === valid.name
              ? 'another collector already produced this family; this copy was dropped'
              : `its sample name "${clash}" is also written by the family "${owner.name}"; this family was dropped`,
          ),
        );
        continue;
      }
      for (const n of names) owners.set(n, valid);
      families.push(valid);
    }
  }
  return families;
}

/**
 * Where every copy of this package in the process finds the default registry: the ESM and the
 * CommonJS build, and two installed versions, would otherwise each make their own, and metrics
 * registered through one copy would be missing from the other's `/metrics`.
 *
 * `protocol` names what the shared object must offer (this Registry's methods, collecting the
 * snapshot model). It changes only when that surface changes incompatibly; copies that speak
 * different protocols keep separate registries rather than call methods the other lacks.
 */
const DEFAULT_REGISTRY_KEY = Symbol.for('aioprometheus.defaultRegistry');
const DEFAULT_REGISTRY_PROTOCOL = 1;

interface DefaultRegistryHandoff {
  readonly protocol: number;
  readonly registry: Registry;
}

function processDefaultRegistry(): Registry {
  const slot = globalThis as { [DEFAULT_REGISTRY_KEY]?: DefaultRegistryHandoff };
  const found = slot[DEFAULT_REGISTRY_KEY];
  if (found?.protocol === DEFAULT_REGISTRY_PROTOCOL) return found.registry;
  const registry = new Registry();
  if (found === undefined) {
    Object.defineProperty(globalThis, DEFAULT_REGISTRY_KEY, {
      value: Object.freeze({ protocol: DEFAULT_REGISTRY_PROTOCOL, registry }),
      enumerable: false,
    });
  }
  return registry;
}

/**
 * The default registry: metrics register here unless given `registry` (or `registry: null`).
 * One per process, shared by every copy of the package that speaks the same hand-off protocol.
 */
export const REGISTRY: Registry = processDefaultRegistry();
