/**
 * `aioprometheus/hono`: HTTP metrics for Hono 4.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { honoMetrics } from 'aioprometheus/hono';
 * const app = new Hono();
 * app.use(honoMetrics());                      // first: counts every request, serves GET /metrics
 * app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
 * ```
 *
 * On Node (@hono/node-server) a request is followed on the `node:http` response, so streamed
 * bodies are timed to their end and disconnects are seen. On other runtimes a request ends when
 * the handler returns its Response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { HttpInstrumentation, type TrackedRequest } from './core.js';
import { fetchMetricsHandler } from './fetch.js';
import type { HttpMetricsOptions } from './options.js';

/**
 * Returns the Hono middleware; install it first, for all paths. The `route` label is the path
 * template of the route that answered (`/users/:id`, with the base path of mounted apps). An
 * error thrown by a handler is counted after Hono's error handler (`app.onError`) has answered.
 *
 * @throws {HttpMetricsOptionError} for a key that is not an option, naming the one meant.
 * @throws {MetricDefinitionError} for a `metricPrefix`, `constLabels` or `buckets` the metrics
 *   cannot take.
 */
export function honoMetrics(options?: HttpMetricsOptions): MiddlewareHandler {
  const core = new HttpInstrumentation(options);
  const { registry, metricsPath, metricsEndpoint } = core.options;
  const serveMetrics = fetchMetricsHandler({ ...metricsEndpoint, registry });
  return async function aioprometheusMetrics(c, next) {
    const path = c.req.path;
    const isMetrics = core.isMetricsRequest(path);
    const node = nodeBindings(c.env);
    let route: string | undefined;
    let tracked: TrackedRequest | undefined;
    if (!core.isExcluded(path)) {
      tracked =
        node === undefined
          ? core.begin(c.req.raw, c.req.method)
          : core.trackNode(node.incoming, node.outgoing, () => route);
    }
    let response: Response | undefined;
    if (isMetrics) {
      route = metricsPath;
      response = await serveMetrics(c.req.raw);
    } else {
      await next();
      route = routeOf(c);
      if (c.error !== undefined) core.countException(tracked, route);
    }
    if (tracked !== undefined && node === undefined) {
      core.finish(tracked, { route, status: (response ?? c.res).status, requestBytes: requestBytes(c) });
    }
    return response;
  };
}

/** The body size a fetch Request declares, as `declaredRequestBytes` reads it from a `node:http` one. */
function requestBytes(c: Context): number | undefined {
  const length = c.req.header('content-length');
  if (length === undefined) return c.req.header('transfer-encoding') === undefined ? 0 : undefined;
  const n = Number(length);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The template of the route that answered, or undefined when none did (Hono's notFound). */
function routeOf(c: Context): string | undefined {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (route === undefined) return undefined;
  // Not found: the last handler run was a middleware (it takes `next`) that passed the request on.
  if (c.res.status === 404 && route.handler.length >= 2) return undefined;
  return route.path;
}

/** The `node:http` request and response that @hono/node-server passes as bindings. */
function nodeBindings(env: unknown): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  const bindings = env as { incoming?: unknown; outgoing?: unknown } | undefined;
  const incoming = bindings?.incoming;
  const outgoing = bindings?.outgoing;
  if (typeof incoming !== 'object' || incoming === null) return undefined;
  if (typeof outgoing !== 'object' || outgoing === null || !('statusCode' in outgoing)) return undefined;
  return { incoming: incoming as IncomingMessage, outgoing: outgoing as ServerResponse };
}
