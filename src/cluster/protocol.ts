/**
 * The messages between an aggregator and its workers. Every message carries the `aioprometheus`
 * tag, so an application's own message handlers can skip them with `isAggregatorMessage`.
 */
import { WIRE_VERSION } from './wire/index.js';

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
 * @example
 * ```ts
 * import cluster from 'node:cluster';
 * import { isAggregatorMessage } from 'aioprometheus/cluster';
 *
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

/** A message read from the other side: the checked message, or why it was refused. */
export type Parsed<T> = { readonly message: T } | { readonly problem: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks a primary → worker message that carries the aggregator's tag: every field, and no
 * others. The worker answers with the request's id, so an id must be one the aggregator can issue.
 */
export function parseRequest(message: AggregatorRequest | WorkerReply): Parsed<AggregatorRequest> {
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  switch (fields.kind) {
    case 'ping':
      return onlyKeys(fields, ['aioprometheus', 'kind']) ?? { message: PING };
    case 'collect': {
      const refused = onlyKeys(fields, ['aioprometheus', 'kind', 'id']) ?? idProblem(fields.id);
      return (
        refused ?? { message: { aioprometheus: WIRE_VERSION, kind: 'collect', id: fields.id as number } }
      );
    }
    default:
      return { problem: `unknown request kind ${describe(fields.kind)}` };
  }
}

/**
 * Checks a worker → primary message that carries the aggregator's tag: every field, and no
 * others. Whether the id answers a request actually sent is for the aggregator to decide.
 */
export function parseReply(message: AggregatorRequest | WorkerReply): Parsed<WorkerReply> {
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  switch (fields.kind) {
    case 'ready':
      return onlyKeys(fields, ['aioprometheus', 'kind']) ?? { message: READY };
    case 'snapshot': {
      const refused =
        onlyKeys(fields, ['aioprometheus', 'kind', 'id', 'data', 'error']) ?? idProblem(fields.id);
      if (refused !== undefined) return refused;
      const { id, data, error } = fields;
      if (typeof data === 'string') {
        if (!BASE64.test(data)) return { problem: 'snapshot data is a string but not base64' };
      } else if (!(data instanceof Uint8Array)) {
        return { problem: `snapshot data must be base64 text or bytes, got ${describe(data)}` };
      }
      if (error !== undefined && typeof error !== 'string') {
        return { problem: `snapshot error must be a string, got ${describe(error)}` };
      }
      const reply: WorkerReply = {
        aioprometheus: WIRE_VERSION,
        kind: 'snapshot',
        id: id as number,
        data,
        ...(error !== undefined ? { error } : {}),
      };
      return { message: reply };
    }
    default:
      return { problem: `unknown reply kind ${describe(fields.kind)}` };
  }
}

/** Request ids count up from 1 in each primary, and stay far below 2^53. */
function idProblem(id: unknown): { readonly problem: string } | undefined {
  return Number.isSafeInteger(id) && (id as number) >= 1
    ? undefined
    : { problem: `the id must be a whole number >= 1, got ${describe(id)}` };
}

function onlyKeys(
  fields: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): { readonly problem: string } | undefined {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) return { problem: `unexpected field ${JSON.stringify(key.slice(0, 40))}` };
  }
  return undefined;
}

/** A short, bounded description of a value from another process, for error messages. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** The BroadcastChannel over which a worker thread and its aggregator talk. */
export function threadChannelName(threadId: number): string {
  return `aioprometheus:metrics:thread:${threadId}`;
}
