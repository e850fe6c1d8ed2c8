/**
 * The messages between an aggregator and its workers. Every message carries the `aioprometheus`
 * tag, so an application's own message handlers can skip them with `isAggregatorMessage`.
 */
import { WIRE_VERSION } from './wire.js';

/** Aggregator → worker: "announce yourself if you answer" or "send your snapshot". */
export type AggregatorRequest =
  | { readonly aioprometheus: typeof WIRE_VERSION; readonly kind: 'ping' }
  | { readonly aioprometheus: typeof WIRE_VERSION; readonly kind: 'collect'; readonly id: number };

/**
 * Worker → aggregator: "I answer" or a snapshot. `data` is the wire form, base64 over cluster IPC
 * (which serializes with JSON unless the primary chose 'advanced'), raw bytes between threads.
 * `error` says that some of the worker's collectors failed; `data` holds what the others gave.
 */
export type WorkerReply =
  | { readonly aioprometheus: typeof WIRE_VERSION; readonly kind: 'ready' }
  | {
      readonly aioprometheus: typeof WIRE_VERSION;
      readonly kind: 'snapshot';
      readonly id: number;
      readonly data: string | Uint8Array;
      readonly error?: string;
    };

export const PING: AggregatorRequest = Object.freeze({ aioprometheus: WIRE_VERSION, kind: 'ping' });
export const READY: WorkerReply = Object.freeze({ aioprometheus: WIRE_VERSION, kind: 'ready' });

/**
 * Whether a message is one of the aggregator's own, which an application's `worker.on('message')`
 * or `process.on('message')` handler should ignore.
 *
 * ```ts
 * cluster.on('message', (worker, message) => {
 *   if (isAggregatorMessage(message)) return;
 *   // the application's own messages
 * });
 * ```
 */
export function isAggregatorMessage(message: unknown): message is AggregatorRequest | WorkerReply {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { aioprometheus?: unknown }).aioprometheus === WIRE_VERSION
  );
}

/** The BroadcastChannel over which a worker thread and its aggregator talk. */
export function threadChannelName(threadId: number): string {
  return `aioprometheus:metrics:thread:${threadId}`;
}
