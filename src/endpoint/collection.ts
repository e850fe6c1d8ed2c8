/**
 * One collection shared by the scrapes that arrive while it runs: a hundred scrapers hitting a
 * slow registry cost one collection, not a hundred. Each scrape still waits no longer than its
 * own deadline, and encodes the shared snapshot in its own format.
 */
import { CollectError, CollectTimeoutError, isCollectError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import type { Registry } from '../registry.js';

/** What a scrape gets from a collection: the families gathered, and the failure if there was one. */
export interface CollectOutcome {
  readonly families: readonly MetricFamily[];
  /** A CollectError (some collectors failed or were late), or whatever else the registry threw. */
  readonly error: unknown;
}

interface Running {
  readonly outcome: Promise<CollectOutcome>;
  /** When the collection gives up on late collectors (performance.now() time). */
  readonly endsAt: number;
}

const shared = new WeakMap<Registry, SharedCollection>();

/** The shared collection of `registry`: every endpoint serving one registry joins the same one. */
export function sharedCollection(registry: Registry): SharedCollection {
  let collection = shared.get(registry);
  if (collection === undefined) {
    collection = new SharedCollection(registry);
    shared.set(registry, collection);
  }
  return collection;
}

/** Runs at most one collection of a registry at a time and lets scrapes join it. */
export class SharedCollection {
  #running: Running | undefined;
  /** How many collections ran; scrapes that joined one do not add to it. */
  #started = 0;

  constructor(readonly registry: Registry) {}

  get started(): number {
    return this.#started;
  }

  /**
   * The families of a collection that ends within `timeoutMs`: the running one when it will
   * end in time, else a new one. A scrape whose deadline passes first gets a CollectError
   * holding a CollectTimeoutError and no families. Never rejects.
   */
  collect(timeoutMs: number): Promise<CollectOutcome> {
    const now = performance.now();
    const running = this.#running;
    if (running !== undefined && running.endsAt <= now + timeoutMs) return running.outcome;
    if (running !== undefined) return withinDeadline(running.outcome, timeoutMs);
    return this.#start(timeoutMs, now).outcome;
  }

  #start(timeoutMs: number, now: number): Running {
    this.#started++;
    const outcome = this.registry.collect({ timeoutMs }).then(
      (families): CollectOutcome => ({ families, error: undefined }),
      (error: unknown): CollectOutcome => ({
        families: isCollectError(error) ? error.families : [],
        error,
      }),
    );
    const running: Running = { outcome, endsAt: now + timeoutMs };
    this.#running = running;
    void outcome.then(() => {
      if (this.#running === running) this.#running = undefined;
    });
    return running;
  }
}

/** A later-ending collection, cut short at this scrape's own deadline. */
function withinDeadline(outcome: Promise<CollectOutcome>, timeoutMs: number): Promise<CollectOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<CollectOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ families: [], error: new CollectError([new CollectTimeoutError([], timeoutMs)], []) }),
      timeoutMs,
    );
  });
  return Promise.race([outcome, late]).finally(() => clearTimeout(timer));
}
