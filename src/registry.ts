/**
 * The registry: a set of collectors, gathered together into format-free snapshots.
 *
 * ```ts
 * const registry = new Registry();
 * new Counter({ name: 'jobs_total', help: 'Jobs.', registry });
 * const families = await registry.collect();
 * ```
 */
import { CollectError, DuplicateRegistrationError, RegistryOptionError } from './errors.js';
import type { MetricFamily } from './exposition/model.js';
import { checkMaxSeries, checkTtlSeconds } from './metrics/lifecycle-options.js';

/**
 * Anything that produces metric families. Metrics implement it; so can user code that exposes
 * values held elsewhere. `collect` may be synchronous or return a promise.
 */
export interface Collector {
  /** The family names this collector produces; the registry refuses two collectors that share one. */
  describe?(): readonly string[];
  collect(): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}

/** Series lifecycle defaults for the metrics of a registry; a metric's own option wins. */
export interface RegistryOptions {
  /** `maxSeries` of every labelled metric that does not set it (see MetricOptions.maxSeries). */
  readonly defaultMaxSeries?: number;
  /** `ttlSeconds` of every labelled metric that does not set it (see MetricOptions.ttlSeconds). */
  readonly defaultTtlSeconds?: number;
}

/** A set of collectors with unique family names. */
export class Registry {
  readonly #collectors = new Set<Collector>();
  readonly #byName = new Map<string, Collector>();
  readonly defaultMaxSeries: number | undefined;
  readonly defaultTtlSeconds: number | undefined;

  constructor(options: RegistryOptions = {}) {
    const fail = (message: string): never => {
      throw new RegistryOptionError(message);
    };
    this.defaultMaxSeries = checkMaxSeries('defaultMaxSeries', options.defaultMaxSeries, fail);
    this.defaultTtlSeconds = checkTtlSeconds('defaultTtlSeconds', options.defaultTtlSeconds, fail);
  }

  /**
   * Registers a collector. Registering the same object again is a no-op; a different collector
   * under a taken name throws a DuplicateRegistrationError that carries the existing collector.
   */
  register(collector: Collector): void {
    if (this.#collectors.has(collector)) return;
    const names = collector.describe?.() ?? [];
    for (const name of names) {
      const existing = this.#byName.get(name);
      if (existing !== undefined) throw new DuplicateRegistrationError(name, existing);
    }
    for (const name of names) this.#byName.set(name, collector);
    this.#collectors.add(collector);
  }

  /** Removes a collector; returns whether it was registered. */
  unregister(collector: Collector): boolean {
    if (!this.#collectors.delete(collector)) return false;
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
  }

  /**
   * Gathers every collector's families, sorted by name. Collectors run concurrently; when some
   * fail, the others' data is kept and one CollectError reports every failure together, with the
   * families that were gathered in `families`.
   */
  async collect(): Promise<MetricFamily[]> {
    const errors: unknown[] = [];
    const parts: (readonly MetricFamily[])[] = [];
    const pending: Promise<void>[] = [];
    for (const collector of this.#collectors) {
      try {
        const result = collector.collect();
        if (isPromise(result)) {
          pending.push(
            result.then(
              (families) => {
                parts.push(families);
              },
              (error: unknown) => {
                errors.push(error);
              },
            ),
          );
        } else {
          parts.push(result);
        }
      } catch (error) {
        errors.push(error);
      }
    }
    if (pending.length > 0) await Promise.all(pending);
    const families = mergeParts(parts, errors);
    if (errors.length > 0) throw new CollectError(errors, families);
    return families;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Flattens and sorts; a family name produced twice is an error, and only the first copy is kept. */
function mergeParts(parts: readonly (readonly MetricFamily[])[], errors: unknown[]): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (const part of parts) for (const family of part) families.push(family);
  families.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < families.length; i++) {
    if (families[i]!.name === families[i - 1]!.name) {
      errors.push(
        new Error(`two collectors produced the metric family "${families[i]!.name}"; the second was dropped`),
      );
      families.splice(i, 1);
      i--;
    }
  }
  return families;
}

/** The default registry: metrics register here unless given `registry` (or `registry: null`). */
export const REGISTRY = new Registry();
