/**
 * Aggregation across `worker_threads`, in the thread that created them.
 *
 * @example
 * ```ts
 * import { Worker } from 'node:worker_threads';
 * import { Registry } from 'aioprometheus';
 * import { ThreadAggregator } from 'aioprometheus/cluster';
 *
 * const registry = new Registry();
 * const threads = new ThreadAggregator({ registry });
 * threads.add(new Worker('./job.js'));   // job.js imports 'aioprometheus/cluster'
 * ```
 */
import { BroadcastChannel, type Worker } from 'node:worker_threads';
import { type AggregatorOptions, WorkerAggregator } from './aggregator.js';
import { type AggregatorRequest, PING, threadChannelName } from './protocol.js';
import { WIRE_VERSION } from './wire/index.js';

interface Thread {
  readonly channel: BroadcastChannel;
  ready: boolean;
}

/**
 * A Collector that merges the default registries of the worker threads given to `add()`, with
 * the same rules as `ClusterAggregator` (per-family aggregation, timeouts, exited threads'
 * totals kept). Its own metrics are named `aioprometheus_thread_*`.
 *
 * Each thread talks over a BroadcastChannel of its own, not over the Worker's message port, so
 * the application's `worker.on('message')` never sees the aggregator's traffic, and neither side
 * keeps the other alive.
 */
export class ThreadAggregator extends WorkerAggregator {
  readonly #threads = new Map<string, Thread>();

  constructor(options: AggregatorOptions = {}) {
    super('thread', options);
  }

  /**
   * Starts aggregating a worker thread; adding the same worker again is a no-op. The worker's
   * code must import `aioprometheus/cluster`. When the worker exits, its totals are kept.
   */
  add(worker: Worker): void {
    const threadId = worker.threadId;
    const id = String(threadId);
    if (threadId < 0 || this.#threads.has(id)) return;
    const channel = new BroadcastChannel(threadChannelName(threadId));
    (channel as BroadcastChannel & { unref(): void }).unref();
    const thread: Thread = { channel, ready: false };
    this.#threads.set(id, thread);
    channel.onmessage = (event) => {
      this.handle(id, event.data);
    };
    worker.once('exit', () => {
      channel.close();
      this.#threads.delete(id);
      this.exited(id);
    });
    // A thread that started before this call has already announced itself to nobody.
    channel.postMessage(PING);
  }

  protected markReady(worker: string): void {
    const thread = this.#threads.get(worker);
    if (thread !== undefined) thread.ready = true;
  }

  protected readyWorkers(): readonly string[] {
    const ready: string[] = [];
    for (const [id, thread] of this.#threads) if (thread.ready) ready.push(id);
    return ready;
  }

  protected notReadyCount(): number {
    return this.#threads.size - this.readyWorkers().length;
  }

  protected request(worker: string, id: number): boolean {
    const thread = this.#threads.get(worker);
    if (thread === undefined) return false;
    const message: AggregatorRequest = { aioprometheus: WIRE_VERSION, kind: 'collect', id };
    thread.channel.postMessage(message);
    return true;
  }

  /** Stops listening to every thread and unregisters from the registry. */
  override close(): void {
    for (const thread of this.#threads.values()) thread.channel.close();
    this.#threads.clear();
    super.close();
  }
}
