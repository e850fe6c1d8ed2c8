/**
 * The registry: a set of collectors, gathered together into format-free snapshots.
 *
 * ```ts
 * const registry = new Registry();
 * new Counter({ name: 'jobs_total', help: 'Jobs.', registry });
 * const families = await registry.collect();
 * ```
 */
import { DefaultLabels } from './default-labels.js';
import { CollectError, DuplicateRegistrationError } from './errors.js';
import type { MetricFamily } from './exposition/model.js';

/**
 * Anything that produces metric families. Metrics implement it; so can user code that exposes
 * values held elsewhere. `collect` may be synchronous or return a promise.
 */
export interface Collector {
  /** The family names this collector produces; the registry refuses two collectors that share one. */
  describe?(): readonly string[];
  collect(): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}

/** A set of collectors with unique family names. */
export class Registry {
  readonly #collectors = new Set<Collector>();
  readonly #byName = new Map<string, Collector>();
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
    const families = this.#defaultLabels.apply(mergeParts(parts, errors));
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
