/**
 * The registry: a set of collectors, gathered together into format-free snapshots.
 *
 * ```ts
 * const registry = new Registry();
 * new Counter({ name: 'jobs_total', help: 'Jobs.', registry });
 * const families = await registry.collect();
 * ```
 */
import { CollectError, CollectTimeoutError, DuplicateRegistrationError } from './errors.js';
import type { MetricFamily } from './exposition/model.js';

/** What one collection may take; a scrape passes what is left of its deadline. */
export interface CollectOptions {
  /**
   * Milliseconds the collection may take. Collectors still pending then are left out, each
   * reported as a CollectTimeoutError in the CollectError. Collectors that wait on others (the
   * cluster aggregators) read it to answer in time. Default: no limit.
   */
  readonly timeoutMs?: number;
}

/**
 * Anything that produces metric families. Metrics implement it; so can user code that exposes
 * values held elsewhere. `collect` may be synchronous or return a promise.
 */
export interface Collector {
  /** The family names this collector produces; the registry refuses two collectors that share one. */
  describe?(): readonly string[];
  collect(options?: CollectOptions): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}

/** A set of collectors with unique family names. */
export class Registry {
  readonly #collectors = new Set<Collector>();
  readonly #byName = new Map<string, Collector>();

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
   * families that were gathered in `families`. With `timeoutMs`, a collector that has not
   * finished by then counts as failed with a CollectTimeoutError, and its late result is ignored.
   */
  async collect(options: CollectOptions = {}): Promise<MetricFamily[]> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0)) {
      throw new RangeError(
        `collect timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}`,
      );
    }
    const errors: unknown[] = [];
    const parts: (readonly MetricFamily[])[] = [];
    const pending = new Map<Collector, Promise<void>>();
    for (const collector of this.#collectors) {
      try {
        const result = collector.collect(options);
        if (isPromise(result)) {
          pending.set(
            collector,
            result.then(
              (families) => {
                if (pending.delete(collector)) parts.push(families);
              },
              (error: unknown) => {
                if (pending.delete(collector)) errors.push(error);
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
    if (pending.size > 0) await settleWithin([...pending.values()], timeoutMs);
    // Whatever is still pending missed the deadline; deleting it makes its late result a no-op.
    for (const collector of pending.keys()) {
      errors.push(new CollectTimeoutError(collector.describe?.() ?? [], timeoutMs ?? 0));
    }
    pending.clear();
    const families = mergeParts(parts, errors);
    if (errors.length > 0) throw new CollectError(errors, families);
    return families;
  }
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
