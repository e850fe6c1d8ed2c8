/**
 * The worker side: when `aioprometheus/cluster` is loaded in a cluster worker or a worker
 * thread, it answers its aggregator's requests with a snapshot of the worker's registry
 * (`REGISTRY` unless `setWorkerRegistry` chose another). Nothing else is needed in a worker.
 */
import cluster from 'node:cluster';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import { isCollectError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { REGISTRY, type Registry } from '../registry.js';
import {
  type AggregatorRequest,
  isAggregatorMessage,
  parseRequest,
  READY,
  threadChannelName,
  type WorkerReply,
} from './protocol.js';
import { encodeSnapshot, WIRE_VERSION } from './wire/index.js';

let source: Registry = REGISTRY;
let installed = false;

/**
 * Chooses the registry this worker sends to its aggregator (default `REGISTRY`).
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { setWorkerRegistry } from 'aioprometheus/cluster';
 *
 * const appRegistry = new Registry();
 * setWorkerRegistry(appRegistry);
 * ```
 */
export function setWorkerRegistry(registry: Registry): void {
  source = registry;
}

/** Collects the worker's registry; a failing collector costs only its own families. */
async function snapshot(id: number, binary: boolean): Promise<WorkerReply> {
  let families: readonly MetricFamily[];
  let error: string | undefined;
  try {
    families = await source.collect();
  } catch (e) {
    families = isCollectError(e) ? e.families : [];
    error = e instanceof Error ? e.message : String(e);
  }
  const bytes = encodeSnapshot(families);
  const data = binary
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return {
    aioprometheus: WIRE_VERSION,
    kind: 'snapshot',
    id,
    data,
    ...(error !== undefined ? { error } : {}),
  };
}

/** Problems already warned about; a flood of distinct ones is not kept forever. */
const warned = new Set<string>();
const MAX_WARNED = 64;

/**
 * Checks a message from the aggregator. A malformed one is dropped and reported once per distinct
 * problem with a process warning: answering it could echo a forged id back to the primary.
 */
function checkedRequest(message: unknown): AggregatorRequest | undefined {
  if (!isAggregatorMessage(message)) return undefined;
  const parsed = parseRequest(message);
  if ('message' in parsed) return parsed.message;
  if (!warned.has(parsed.problem)) {
    if (warned.size >= MAX_WARNED) warned.clear();
    warned.add(parsed.problem);
    process.emitWarning(`dropped a malformed metrics request from the aggregator: ${parsed.problem}`, {
      type: 'MalformedMessageWarning',
    });
  }
  return undefined;
}

/** Installs the answering side once, in whichever kind of worker this is. */
export function installWorkerResponder(): void {
  if (installed) return;
  installed = true;
  if (!isMainThread) {
    // A channel of our own, unref'd: it keeps neither the thread alive nor the parent port busy.
    const channel = new BroadcastChannel(threadChannelName(threadId));
    (channel as BroadcastChannel & { unref(): void }).unref();
    channel.onmessage = (event) => {
      const message = checkedRequest(event.data);
      if (message === undefined) return;
      if (message.kind === 'ping') channel.postMessage(READY);
      else if (message.kind === 'collect') {
        void snapshot(message.id, true).then((reply) => channel.postMessage(reply));
      }
    };
    channel.postMessage(READY);
  } else if (cluster.isWorker && typeof process.send === 'function') {
    const send = (reply: WorkerReply): void => {
      // The primary may be gone or disconnecting; a lost reply only counts as a timeout there.
      if (process.connected) process.send?.(reply, undefined, undefined, () => {});
    };
    process.on('message', (received: unknown) => {
      const message = checkedRequest(received);
      if (message === undefined) return;
      if (message.kind === 'ping') send(READY);
      else if (message.kind === 'collect') void snapshot(message.id, false).then(send);
    });
    send(READY);
  }
}
