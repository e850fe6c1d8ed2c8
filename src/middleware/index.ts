/**
 * `aioprometheus/middleware`: HTTP metrics for any Node.js server. The framework adapters live
 * on their own subpaths (`aioprometheus/express`, `/fastify`, `/koa`, `/hono`); this entry holds
 * the `node:http` wrapper and the framework-neutral core they share.
 *
 * Metrics: `http_requests_total{method,route,status}`, `http_request_duration_seconds{method,route,status}`,
 * `http_requests_in_flight{method}`, `http_request_exceptions_total{method,route}`, and optionally
 * `http_request_size_bytes` and `http_response_size_bytes`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { instrumentHttp } from 'aioprometheus/middleware';
 * createServer(instrumentHttp((req, res) => res.end('ok'))).listen(3000);
 * ```
 */
export {
  CLIENT_CLOSED_STATUS,
  declaredRequestBytes,
  HttpInstrumentation,
  type Outcome,
  TrackedRequest,
} from './core.js';
export { HttpMetricsOptionError, isHttpMetricsOptionError } from './errors.js';
export { type InstrumentHttpOptions, instrumentHttp } from './http.js';
export type { HttpMetrics } from './metrics.js';
export { DEFAULT_SIZE_BUCKETS, type HttpMetricsOptions } from './options.js';
