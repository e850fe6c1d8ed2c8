/**
 * What the cluster and the worker_threads aggregators share: asking workers for snapshots with a
 * deadline, remembering each worker's last snapshot, keeping exited workers' totals, merging, and
 * the aggregator's own metrics. The subclasses only move messages.
 */

import { Counter } from '../metrics/counter.js';
import { Gauge } from '../metrics/gauge.js';
import type { MetricFamily, MetricType } from '../model/family.js';
import { familyProblem } from '../registry/validate-family.js';
import { type CollectOptions, type Collector, REGISTRY, type Registry } from '../registry.js';
import { type Aggregation, type AggregationChoice, aggregationResolver } from './aggregation.js';
import { isAggregationError, MalformedMessageError } from './errors.js';
import { LabelInterner } from './label-interner.js';
import { type Contribution, mergeSnapshots, monotonicPart } from './merge/index.js';
import { isAggregatorMessage, parseReply } from './protocol.js';
import { currentScrapeTimeout } from './scrape-timeout.js';
import { decodeSnapshot } from './wire/index.js';

/** Options of `ClusterAggregator` and `ThreadAggregator`. */
export interface AggregatorOptions {
  /**
   * How long a scrape waits for workers, in milliseconds. Default 5000, half of Prometheus'
   * default scrape timeout. A smaller per-scrape limit (`withScrapeTimeout`) wins.
   */
  readonly timeoutMs?: number;
  /** How each family combines across workers; see `Aggregation`. Default: `defaultAggregation`. */
  readonly aggregation?: AggregationChoice;
  /** The label `perWorker` families get. Default `worker`. */
  readonly workerLabel?: string;
  /** Where to register the aggregator; defaults to `REGISTRY`, `null` registers nowhere. */
  readonly registry?: Registry | null;
  /**
   * Called with every problem that leaves data out: a family that cannot be merged (an
   * AggregationError; the family is left out, others are not), a worker's failed collector, a
   * malformed message from a worker (a MalformedMessageError). Default: one process warning per
   * distinct message.
   */
  readonly onError?: (error: Error) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Requests a worker may leave unanswered before the oldest is forgotten (its answer then counts as stale). */
const MAX_OUTSTANDING = 32;

/** The share of a collection's time limit spent waiting for workers; the rest is for merging. */
const WAIT_SHARE = 0.9;

let nextRequestId = 1;

/** One scrape's outstanding requests. */
class Scrape {
  readonly pending: Set<string>;
  readonly answered = new Set<string>();
  /** Workers that could not be asked, or whose answer was malformed. */
  readonly failed = new Set<string>();
  #done: (() => void) | undefined;

  constructor(workers: readonly string[]) {
    this.pending = new Set(workers);
  }

  settle(worker: string, answered: boolean): void {
    if (!this.pending.delete(worker)) return;
    (answered ? this.answered : this.failed).add(worker);
    if (this.pending.size === 0) this.#done?.();
  }

  /** Stops waiting for a worker that is gone; it counts neither as answered nor as timed out. */
  forget(worker: string): void {
    if (this.pending.delete(worker) && this.pending.size === 0) this.#done?.();
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The shared base of `ClusterAggregator` and `ThreadAggregator`: a Collector whose `collect()`
 * asks every ready worker for its registry's snapshot and returns the merged families, plus the
 * aggregator's own metrics (`aioprometheus_<kind>_worker_timeouts_total`,
 * `aioprometheus_<kind>_workers{state}`, `aioprometheus_<kind>_merge_errors_total{metric}`).
 */
export abstract class WorkerAggregator implements Collector {
  readonly #timeoutMs: number;
  readonly #modeOf: (name: string, type: MetricType) => Aggregation;
  readonly #workerLabel: string;
  readonly #onError: (error: Error) => void;
  readonly #registry: Registry | null;
  readonly #interner = new LabelInterner();
  /** Each live worker's latest snapshot, and the request id it answered. */
  readonly #last = new Map<string, { readonly id: number; readonly families: readonly MetricFamily[] }>();
  /** The kept totals of every exited worker, merged into one. */
  #retained: readonly MetricFamily[] = [];
  readonly #scrapes = new Map<number, Scrape>();
  /** Per worker, the ids of the requests sent to it and not yet answered, oldest first. */
  readonly #outstanding = new Map<string, number[]>();
  readonly #timeouts: Counter;
  readonly #workers: Gauge<'state'>;
  readonly #mergeErrors: Counter<'metric'>;
  readonly #malformed: Counter;

  protected constructor(kind: 'cluster' | 'thread', options: AggregatorOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0 && timeoutMs < Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `timeoutMs must be a finite number of milliseconds >= 0, got ${String(timeoutMs)}`,
      );
    }
    this.#timeoutMs = timeoutMs;
    this.#modeOf = aggregationResolver(options.aggregation);
    this.#workerLabel = options.workerLabel ?? 'worker';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(this.#workerLabel) || this.#workerLabel.startsWith('__')) {
      throw new RangeError(`workerLabel ${JSON.stringify(this.#workerLabel)} is not a valid label name`);
    }
    this.#onError = options.onError ?? warnOnce();
    const prefix = `aioprometheus_${kind}`;
    this.#timeouts = new Counter({
      name: `${prefix}_worker_timeouts_total`,
      help: `Scrapes in which a ${kind} worker did not send its metrics in time and was left out.`,
      registry: null,
    });
    this.#workers = new Gauge({
      name: `${prefix}_workers`,
      help: `${kind} workers at the last scrape, by state: answered, timed_out, not_ready (not yet announced).`,
      labelNames: ['state'] as const,
      registry: null,
    });
    this.#mergeErrors = new Counter({
      name: `${prefix}_merge_errors_total`,
      help: 'Scrapes in which a metric family could not be merged across workers and was left out.',
      labelNames: ['metric'] as const,
      registry: null,
    });
    this.#malformed = new Counter({
      name: `${prefix}_malformed_messages_total`,
      help: `Messages from ${kind} workers that broke the protocol (a bad field, an id never requested, a snapshot that cannot be decoded or holds an invalid family); each was dropped.`,
      registry: null,
    });
    this.#registry = options.registry === undefined ? REGISTRY : options.registry;
    this.#registry?.register(this);
  }

  /** The ids of the workers that announced they answer. */
  protected abstract readyWorkers(): readonly string[];
  /** How many known workers have not announced themselves yet. */
  protected abstract notReadyCount(): number;
  /** Sends a collect request; returns false when the worker cannot be reached. */
  protected abstract request(worker: string, id: number): boolean;
  /** Records that a worker announced it answers. */
  protected abstract markReady(worker: string): void;

  /** The names of the aggregator's own metric families (the workers' names are not known up front). */
  describe(): readonly string[] {
    return [
      ...this.#timeouts.describe(),
      ...this.#workers.describe(),
      ...this.#mergeErrors.describe(),
      ...this.#malformed.describe(),
    ];
  }

  /**
   * Asks every ready worker for its snapshot and merges what arrives before the deadline with
   * the last totals of silent and exited workers. Never rejects because of a worker. The wait
   * is the shortest of `timeoutMs`, the `withScrapeTimeout` limit, and most of the collection's
   * own `timeoutMs` (the scrape deadline the metrics endpoint passes).
   */
  async collect(options: CollectOptions = {}): Promise<MetricFamily[]> {
    const timeoutMs = Math.min(
      this.#timeoutMs,
      currentScrapeTimeout() ?? Number.POSITIVE_INFINITY,
      options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : options.timeoutMs * WAIT_SHARE,
    );
    const id = nextRequestId++;
    const scrape = new Scrape(this.readyWorkers());
    this.#scrapes.set(id, scrape);
    const unreachable: string[] = [];
    for (const worker of [...scrape.pending]) {
      // Recorded first, so even an answer that arrives during request() is recognised.
      this.#sent(worker, id);
      if (!this.request(worker, id)) unreachable.push(worker);
    }
    for (const worker of unreachable) scrape.settle(worker, false);
    try {
      await scrape.wait(timeoutMs);
    } finally {
      this.#scrapes.delete(id);
    }
    const missed = scrape.pending.size + scrape.failed.size;
    if (missed > 0) this.#timeouts.inc(missed);
    this.#workers.set({ state: 'answered' }, scrape.answered.size);
    this.#workers.set({ state: 'timed_out' }, missed);
    this.#workers.set({ state: 'not_ready' }, this.notReadyCount());
    const merged = this.#merge(scrape.answered);
    return [
      ...merged,
      this.#timeouts.snapshot(),
      this.#workers.snapshot(),
      this.#mergeErrors.snapshot(),
      this.#malformed.snapshot(),
    ];
  }

  /** Merges fresh snapshots, the monotonic part of silent workers' last ones, and retained totals. */
  #merge(answered: ReadonlySet<string>): MetricFamily[] {
    const contributions: Contribution[] = [];
    const workers = [...this.#last.keys()].sort(byWorkerId);
    for (const worker of workers) {
      const { families } = this.#last.get(worker)!;
      contributions.push({
        worker,
        families: answered.has(worker) ? families : monotonicPart(families, this.#modeOf),
      });
    }
    contributions.push({ worker: 'exited', families: this.#retained });
    const { families, errors } = mergeSnapshots(contributions, {
      modeOf: this.#modeOf,
      workerLabel: this.#workerLabel,
      interner: this.#interner,
    });
    this.#interner.sweep();
    for (const error of errors) {
      this.#mergeErrors.inc({ metric: error.metric });
      this.#onError(error);
    }
    return families;
  }

  #sent(worker: string, id: number): void {
    let ids = this.#outstanding.get(worker);
    if (ids === undefined) {
      ids = [];
      this.#outstanding.set(worker, ids);
    }
    ids.push(id);
    if (ids.length > MAX_OUTSTANDING) ids.shift();
  }

  /**
   * Subclasses pass every message that arrives from a worker. Messages without the aggregator's
   * tag are the application's and are ignored; tagged ones are checked field by field, and a
   * malformed one is dropped, counted and reported, leaving the worker's last snapshot in place.
   */
  protected handle(worker: string, message: unknown): void {
    if (!isAggregatorMessage(message)) return;
    const parsed = parseReply(message);
    if ('problem' in parsed) {
      this.#refuse(worker, parsed.problem, undefined);
      return;
    }
    const reply = parsed.message;
    if (reply.kind === 'ready') {
      this.markReady(worker);
      return;
    }
    const ids = this.#outstanding.get(worker) ?? [];
    const at = ids.indexOf(reply.id);
    if (at < 0) {
      // Answers arrive in request order unless a collector is slow; an answer older than the one
      // kept is stale, not malformed. Any other id was never sent to this worker.
      const kept = this.#last.get(worker)?.id ?? 0;
      if (reply.id >= kept)
        this.#refuse(worker, `answers request ${reply.id}, which was never sent to it`, undefined);
      return;
    }
    // This request and every older one are now answered or superseded.
    ids.splice(0, at + 1);
    const data = typeof reply.data === 'string' ? Buffer.from(reply.data, 'base64') : reply.data;
    let families: MetricFamily[];
    try {
      families = decodeSnapshot(data, this.#interner.intern);
    } catch (decodeError) {
      this.#refuse(worker, `its snapshot cannot be decoded: ${String(decodeError)}`, reply.id);
      return;
    }
    for (const family of families) {
      const problem = familyProblem(family);
      if (problem !== undefined) {
        this.#refuse(
          worker,
          `its snapshot has an invalid family ${JSON.stringify(family.name)}: ${problem}`,
          reply.id,
        );
        return;
      }
    }
    if (reply.error !== undefined) this.#onError(new Error(`worker ${worker}: ${reply.error}`));
    this.#last.set(worker, { id: reply.id, families });
    this.#scrapes.get(reply.id)?.settle(worker, true);
  }

  /** Drops a malformed message; a scrape waiting for it stops waiting for that worker. */
  #refuse(worker: string, problem: string, id: number | undefined): void {
    this.#malformed.inc();
    this.#onError(new MalformedMessageError(worker, problem));
    if (id !== undefined) this.#scrapes.get(id)?.settle(worker, false);
  }

  /** Subclasses call this once when a worker is gone: its counter-like totals are kept. */
  protected exited(worker: string): void {
    this.#outstanding.delete(worker);
    for (const scrape of this.#scrapes.values()) scrape.forget(worker);
    const last = this.#last.get(worker);
    if (last === undefined) return;
    this.#last.delete(worker);
    const { families, errors } = mergeSnapshots(
      [
        { worker: 'exited', families: this.#retained },
        { worker, families: monotonicPart(last.families, this.#modeOf) },
      ],
      { modeOf: () => 'sum', workerLabel: this.#workerLabel, interner: this.#interner },
    );
    const failed = new Set(errors.map((e) => e.metric));
    this.#retained = [...families, ...this.#retained.filter((f) => failed.has(f.name))];
    for (const error of errors) this.#onError(error);
  }

  /** Unregisters the aggregator from the registry it joined. Subclasses also stop listening. */
  close(): void {
    this.#registry?.unregister(this);
  }
}

function byWorkerId(a: string, b: string): number {
  const d = Number(a) - Number(b);
  return Number.isNaN(d) ? (a < b ? -1 : a > b ? 1 : 0) : d;
}

/** Distinct messages remembered by the default report; a flood of new ones is not kept forever. */
const MAX_REMEMBERED_WARNINGS = 256;

/** The default error report: a process warning, once per distinct message. */
function warnOnce(): (error: Error) => void {
  const seen = new Set<string>();
  return (error) => {
    if (seen.has(error.message)) return;
    if (seen.size >= MAX_REMEMBERED_WARNINGS) seen.clear();
    seen.add(error.message);
    process.emitWarning(error.message, {
      type: isAggregationError(error) ? error.name : 'AggregatorWarning',
    });
  };
}
