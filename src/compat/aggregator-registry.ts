/**
 * prom-client's AggregatorRegistry: in the cluster primary, `clusterMetrics()` asks every worker
 * for its registries' metrics and returns their aggregate (see `aggregate`); in a worker,
 * constructing one makes the worker answer those requests.
 *
 * ```ts
 * import cluster from 'node:cluster';
 * import { AggregatorRegistry } from 'aioprometheus/prom-client';
 * const aggregatorRegistry = new AggregatorRegistry();   // in the primary and in every worker
 * if (cluster.isPrimary) {
 *   // on GET /metrics: res.type(aggregatorRegistry.contentType).send(await aggregatorRegistry.clusterMetrics())
 * }
 * ```
 *
 * `node:cluster` is imported when the first AggregatorRegistry is made, so loading the subpath
 * needs no Node module.
 */
import type { Cluster, Worker } from 'node:cluster';
import { aggregate } from './aggregate.js';
import {
  decodeMetrics,
  encodeMetrics,
  isRequest,
  isResponse,
  type MetricsResponse,
  REQUEST,
  RESPONSE,
} from './cluster-protocol.js';
import { ClusterMetricsError } from './errors.js';
import {
  type AnyRegistry,
  CompatRegistry,
  globalRegistry,
  type PrometheusContentType,
  type RegistryContentType,
} from './registry.js';
import type { MetricObjectWithValues } from './types.js';

/** How long `clusterMetrics()` waits for the workers, as in prom-client. */
const TIMEOUT_MS = 5000;

/** What a worker answers with: `setRegistries` changes it. */
let workerRegistries: readonly AnyRegistry[] | undefined;

/** One `clusterMetrics()` call waiting for its workers. */
interface Pending {
  readonly waiting: Set<number>;
  readonly responses: MetricObjectWithValues<string>[][];
  readonly settle: (error: Error | undefined) => void;
}

const pending = new Map<number, Pending>();
/**
 * Two copies of the layer in one primary (the ESM and the CommonJS build) each listen to every
 * worker answer; starting their ids at random keeps one copy from taking the other's answers.
 */
let nextRequestId = Math.floor(Math.random() * 2 ** 30);
let listening: Promise<Cluster> | undefined;

export class AggregatorRegistry<
  BoundRegistryContentType extends RegistryContentType = RegistryContentType,
> extends CompatRegistry<BoundRegistryContentType> {
  readonly #cluster: Promise<Cluster>;

  constructor(contentType?: BoundRegistryContentType) {
    super(contentType);
    listening ??= import('node:cluster').then(({ default: cluster }) => {
      listen(cluster);
      return cluster;
    });
    this.#cluster = listening;
  }

  /**
   * The aggregate of every connected worker's metrics, in this registry's content type; an empty
   * string without workers. Rejects with a ClusterMetricsError when a worker answers with an
   * error or when not every worker has answered within 5 seconds. A worker that exits meanwhile
   * is left out instead of waited for.
   */
  async clusterMetrics(): Promise<string> {
    const cluster = await this.#cluster;
    const requestId = nextRequestId++;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w?.isConnected() === true,
    );
    if (workers.length === 0) return '';
    const responses: MetricObjectWithValues<string>[][] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const missing = [...request.waiting];
        request.settle(
          new ClusterMetricsError(
            `workers ${missing.join(', ')} did not send their metrics within ${TIMEOUT_MS} ms`,
            missing,
          ),
        );
      }, TIMEOUT_MS);
      const request: Pending = {
        waiting: new Set(workers.map((w) => w.id)),
        responses,
        settle: (error) => {
          pending.delete(requestId);
          clearTimeout(timer);
          if (error === undefined) resolve();
          else reject(error);
        },
      };
      pending.set(requestId, request);
      for (const worker of workers) {
        // A worker that exits before it can read the request is handled by the exit listener.
        worker.send({ type: REQUEST, requestId }, () => {});
      }
    });
    return aggregate(responses, this.contentType).metrics();
  }

  /** prom-client's `AggregatorRegistry.aggregate`; see `aggregate`. */
  static aggregate<T extends RegistryContentType = PrometheusContentType>(
    metricsArr: readonly object[],
    contentType?: T,
  ): CompatRegistry<T> {
    return aggregate(metricsArr, contentType);
  }

  /** Makes this worker answer with `registries` instead of the default `register`. */
  static setRegistries(registries: AnyRegistry | readonly AnyRegistry[]): void {
    const list = Array.isArray(registries) ? registries : [registries];
    for (const registry of list) {
      if (typeof (registry as Partial<AnyRegistry> | null)?.getMetricsAsJSON !== 'function') {
        throw new TypeError(`setRegistries expects Registry objects, got ${typeof registry}`);
      }
    }
    workerRegistries = [...list];
  }
}

function listen(cluster: Cluster): void {
  if (cluster.isPrimary) {
    cluster.on('message', (worker: Worker, message: unknown) => {
      if (isResponse(message)) onResponse(worker.id, message);
    });
    cluster.on('exit', (worker: Worker) => {
      for (const request of pending.values()) answered(request, worker.id);
    });
  } else {
    process.on('message', (message: unknown) => {
      if (isRequest(message)) void answer(message.requestId);
    });
  }
}

function onResponse(worker: number, message: MetricsResponse): void {
  const request = pending.get(message.requestId);
  if (request === undefined || !request.waiting.has(worker)) return;
  if (message.error !== undefined) {
    request.settle(
      new ClusterMetricsError(`worker ${worker} failed to collect its metrics: ${message.error}`, [worker]),
    );
    return;
  }
  try {
    request.responses.push(...decodeMetrics(message.metrics ?? []));
  } catch (error) {
    request.settle(
      new ClusterMetricsError(`worker ${worker} sent metrics that cannot be read: ${String(error)}`, [
        worker,
      ]),
    );
    return;
  }
  answered(request, worker);
}

function answered(request: Pending, worker: number): void {
  if (request.waiting.delete(worker) && request.waiting.size === 0) request.settle(undefined);
}

async function answer(requestId: number): Promise<void> {
  const registries = workerRegistries ?? [globalRegistry()];
  let response: MetricsResponse;
  try {
    const metrics = await Promise.all(registries.map((r) => r.getMetricsAsJSON()));
    response = { type: RESPONSE, requestId, metrics: encodeMetrics(metrics) };
  } catch (error) {
    response = { type: RESPONSE, requestId, error: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(response);
}
