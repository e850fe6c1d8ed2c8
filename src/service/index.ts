/**
 * `aioprometheus/service`: serve metrics over HTTP for Prometheus to scrape.
 *
 * @example
 * ```ts
 * import { Service, metricsHandler } from 'aioprometheus/service';
 * const service = new Service();
 * await service.start({ port: 8000 });          // http://127.0.0.1:8000/metrics
 * // or mount the exposition on your own node:http server:
 * const metrics = metricsHandler();
 * ```
 */
export { type ContentCoding, chooseEncoding } from '../endpoint/accept-encoding.js';
export { COLLECT_ERRORS_METRIC } from '../endpoint/endpoint.js';
export {
  EndpointOptionError,
  isEndpointOptionError,
} from '../endpoint/errors.js';
export type { MetricsHandlerOptions } from '../endpoint/options.js';
export {
  BasicAuthUnavailableError,
  isBasicAuthUnavailableError,
  isServiceListenError,
  isServiceNotRunningError,
  isServiceOptionError,
  ServiceListenError,
  ServiceNotRunningError,
  ServiceOptionError,
} from './errors.js';
export { type MetricsRequestListener, metricsHandler } from './handler.js';
export {
  Service,
  type ServiceBasicAuthOptions,
  type ServiceOptions,
  type StartOptions,
} from './service.js';
export type { Pem, ServiceTlsOptions } from './tls.js';
