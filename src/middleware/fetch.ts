/**
 * `aioprometheus/fetch`: the metrics endpoint for fetch-style servers (Workers, Deno, Bun, Hono
 * on any runtime): a Web `Request` in, a `Response` out, with the same behaviour as the
 * `node:http` handler. Streamed bodies are pulled as the client reads them.
 *
 * @example
 * ```ts
 * import { metricsResponse } from 'aioprometheus/fetch';
 * export default {
 *   fetch: (request: Request) =>
 *     new URL(request.url).pathname === '/metrics' ? metricsResponse(request) : new Response('hi'),
 * };
 * ```
 */
import { MetricsEndpoint, type ScrapeResponse } from '../endpoint/endpoint.js';
import type { MetricsHandlerOptions } from '../endpoint/options.js';
import { REGISTRY, type Registry } from '../registry.js';

export { COLLECT_ERRORS_METRIC } from '../endpoint/endpoint.js';
export { EndpointOptionError, isEndpointOptionError } from '../endpoint/errors.js';
export type { MetricsHandlerOptions } from '../endpoint/options.js';

/** Options of `metricsResponse` and `fetchMetricsHandler`. */
export interface MetricsResponseOptions extends MetricsHandlerOptions {
  /** The registry to expose. Default REGISTRY. */
  readonly registry?: Registry;
}

/** A fetch-style handler: a Request in, a Response promise out. */
export type FetchMetricsHandler = (request: Request) => Promise<Response>;

/**
 * Returns a handler that answers GET and HEAD with the registry's exposition, other methods 405.
 * Create it once: scrapes through one handler share collections and its `maxConcurrentScrapes`.
 *
 * @throws {EndpointOptionError} for an unusable option.
 */
export function fetchMetricsHandler(options: MetricsResponseOptions = {}): FetchMetricsHandler {
  const endpoint = new MetricsEndpoint(options.registry ?? REGISTRY, options);
  return (request) => respond(endpoint, request);
}

const endpoints = new WeakMap<object, MetricsEndpoint>();
const defaults = new WeakMap<Registry, MetricsEndpoint>();

/**
 * Answers one scrape. Calls passing the same options object (or none) share one endpoint, so
 * its concurrency limit holds across them. Never rejects; a failed collection answers 500 (503
 * when a collector missed the deadline) with the reason.
 */
export function metricsResponse(request: Request, options?: MetricsResponseOptions): Promise<Response> {
  let endpoint: MetricsEndpoint | undefined;
  if (options === undefined) {
    endpoint = defaults.get(REGISTRY);
    if (endpoint === undefined) {
      endpoint = new MetricsEndpoint(REGISTRY);
      defaults.set(REGISTRY, endpoint);
    }
  } else {
    endpoint = endpoints.get(options);
    if (endpoint === undefined) {
      endpoint = new MetricsEndpoint(options.registry ?? REGISTRY, options);
      endpoints.set(options, endpoint);
    }
  }
  return respond(endpoint, request);
}

async function respond(endpoint: MetricsEndpoint, request: Request): Promise<Response> {
  const url = request.url;
  const at = url.indexOf('?');
  const hash = url.indexOf('#', at);
  const response = await endpoint.handle({
    method: request.method,
    query: at < 0 ? '' : url.slice(at + 1, hash < 0 ? undefined : hash),
    header: (name) => request.headers.get(name) ?? undefined,
    signal: request.signal,
  });
  // Workers compress a body themselves for a Content-Encoding header unless told it is encoded
  // already; other runtimes ignore the extra field.
  const init = { status: response.status, headers: response.headers, encodeBody: 'manual' };
  return new Response(bodyOf(response), init);
}

function bodyOf(response: ScrapeResponse): Uint8Array | ReadableStream<Uint8Array> | null {
  const { body } = response;
  if (body === undefined || body instanceof Uint8Array) {
    response.release();
    return body ?? null;
  }
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) {
            response.release();
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          response.release();
          controller.error(error);
        }
      },
      async cancel() {
        response.release();
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
