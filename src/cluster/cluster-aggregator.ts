/**
 * Aggregation across `node:cluster` workers, in the primary.
 *
 * @example
 * ```ts
 * // primary.ts
 * import cluster from 'node:cluster';
 * import { Registry, render } from 'aioprometheus';
 * import { ClusterAggregator } from 'aioprometheus/cluster';
 *
 * const registry = new Registry();
 * new ClusterAggregator({ registry, aggregation: { queue_depth: 'max' } });
 * for (let i = 0; i < 4; i++) cluster.fork();
 * // serve `await render(registry, accept)` on the primary's own port
 * ```
 */
import cluster, { type Worker } from 'node:cluster';
import { type AggregatorOptions, WorkerAggregator } from './aggregator.js';
import { type AggregatorRequest, PING } from './protocol.js';
import { WIRE_VERSION } from './wire/index.js';

/**
 * A Collector for the cluster primary: each collection asks every worker that loaded
 * `aioprometheus/cluster` for its default registry's metrics over cluster IPC, and returns them
 * merged (see `AggregatorOptions.aggregation`), plus the aggregator's own
 * `aioprometheus_cluster_*` metrics. Register it in the primary's registry to serve the primary's
 * metrics and the workers' together.
 *
 * A worker that does not answer within `timeoutMs` is left out of that scrape (its last counter
 * and histogram totals still count, so totals never go backwards) and counted in
 * `aioprometheus_cluster_worker_timeouts_total`. An exited worker's last counter, histogram and
 * summary `_count`/`_sum` values stay in the aggregate; its gauges are dropped.
 *
 * Several aggregators may run side by side.
 *
 * @throws {Error} when constructed outside the cluster primary.
 * @throws {RangeError} for a `timeoutMs` that is not a finite number >= 0 or an invalid `workerLabel`.
 * @throws {TypeError} for an `aggregation` mode that does not exist.
 */
export class ClusterAggregator extends WorkerAggregator {
  readonly #ready = new Set<string>();

  constructor(options: AggregatorOptions = {}) {
    if (!cluster.isPrimary) {
      throw new Error(
        'ClusterAggregator runs in the cluster primary; workers only import aioprometheus/cluster',
      );
    }
    super('cluster', options);
    cluster.on('message', this.#onMessage);
    cluster.on('exit', this.#onExit);
    // Workers forked before this aggregator existed announced themselves to nobody: ask again.
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send(PING, ignoreSendError);
    }
  }

  readonly #onMessage = (worker: Worker, message: unknown): void => {
    this.handle(String(worker.id), message);
  };

  readonly #onExit = (worker: Worker): void => {
    const id = String(worker.id);
    this.#ready.delete(id);
    this.exited(id);
  };

  protected markReady(worker: string): void {
    this.#ready.add(worker);
  }

  protected readyWorkers(): readonly string[] {
    return [...this.#ready];
  }

  protected notReadyCount(): number {
    let count = 0;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker !== undefined && !this.#ready.has(String(worker.id))) count++;
    }
    return count;
  }

  protected request(worker: string, id: number): boolean {
    const target = cluster.workers?.[Number(worker)];
    if (target === undefined || !target.isConnected()) return false;
    const message: AggregatorRequest = { aioprometheus: WIRE_VERSION, kind: 'collect', id };
    // send() returns false when IPC is backed up, but the message is queued all the same. A
    // worker that dies meanwhile fails the send asynchronously: with a callback that is reported
    // here, instead of as an 'error' event that would crash the primary. That worker then misses
    // this scrape (counted as a timeout) and its exit is handled by #onExit.
    try {
      target.send(message, ignoreSendError);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops listening to the cluster and unregisters from the registry. */
  override close(): void {
    cluster.off('message', this.#onMessage);
    cluster.off('exit', this.#onExit);
    super.close();
  }
}

/** A failed send to a dying worker is expected; the scrape's timeout accounts for it. */
function ignoreSendError(): void {}
