/**
 * `aioprometheus/cluster`: one scrape for many processes or threads.
 *
 * In a `node:cluster` primary, a `ClusterAggregator` merges every worker's metrics; in a thread
 * that starts `worker_threads`, a `ThreadAggregator` merges theirs. A worker only has to load this
 * module (`import 'aioprometheus/cluster'`): it then answers its aggregator with its `REGISTRY`.
 *
 * @example
 * ```ts
 * import cluster from 'node:cluster';
 * import { Counter, Registry, render } from 'aioprometheus';
 * import { ClusterAggregator } from 'aioprometheus/cluster';
 *
 * if (cluster.isPrimary) {
 *   const registry = new Registry();
 *   new ClusterAggregator({ registry });
 *   cluster.fork();
 *   // serve `await render(registry, req.headers.accept)` on the primary's port
 * } else {
 *   const requests = new Counter({ name: 'requests_total', help: 'Requests.' });
 *   // the worker's requests_total is summed into the primary's scrape
 * }
 * ```
 */
import { installWorkerResponder } from './responder.js';

export {
  type Aggregation,
  type AggregationChoice,
  defaultAggregation,
} from './aggregation.js';
export { type AggregatorOptions, WorkerAggregator } from './aggregator.js';
export { ClusterAggregator } from './cluster-aggregator.js';
export {
  AggregationError,
  isAggregationError,
  isMalformedMessageError,
  MalformedMessageError,
} from './errors.js';
export { isAggregatorMessage } from './protocol.js';
export { setWorkerRegistry } from './responder.js';
export { scrapeTimeoutFromHeaders, withScrapeTimeout } from './scrape-timeout.js';
export { ThreadAggregator } from './thread-aggregator.js';
export { decodeSnapshot, encodeSnapshot, WIRE_VERSION, WireFormatError } from './wire/index.js';

installWorkerResponder();
