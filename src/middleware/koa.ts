/**
 * `aioprometheus/koa`: HTTP metrics for Koa 2 and 3 (route templates from @koa/router).
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { koaMetrics } from 'aioprometheus/koa';
 * const app = new Koa();
 * const router = new Router();
 * router.get('/users/:id', (ctx) => { ctx.body = 'hi'; });
 * app.use(koaMetrics());                       // first: counts every request, serves GET /metrics
 * app.use(router.routes());
 * ```
 */
import type { Context, Middleware } from 'koa';
import { HttpInstrumentation } from './core.js';
import type { HttpMetricsOptions } from './options.js';

/**
 * Returns the Koa middleware; install it first. The `route` label is the template @koa/router
 * matched (with its prefix). A handler's error is counted and rethrown unchanged, so it reaches
 * Koa's error handling (and any `app.on('error')` listener) as before.
 *
 * @throws {HttpMetricsOptionError} for a key that is not an option, naming the one meant.
 * @throws {MetricDefinitionError} for a `metricPrefix`, `constLabels` or `buckets` the metrics
 *   cannot take.
 */
export function koaMetrics(options?: HttpMetricsOptions): Middleware {
  const core = new HttpInstrumentation(options);
  const metricsPath = core.options.metricsPath;
  return async function aioprometheusMetrics(ctx, next) {
    const path = HttpInstrumentation.pathOf(ctx.originalUrl);
    const isMetrics = core.isMetricsRequest(path);
    const tracked = core.isExcluded(path)
      ? undefined
      : core.trackNode(ctx.req, ctx.res, isMetrics ? () => metricsPath : () => routeOf(ctx));
    if (isMetrics) {
      ctx.respond = false;
      core.serveMetrics(ctx.req, ctx.res);
      return;
    }
    try {
      await next();
    } catch (error) {
      core.countException(tracked, routeOf(ctx));
      throw error;
    }
  };
}

/** The template @koa/router matched; it sets `_matchedRoute` on the context. */
function routeOf(ctx: Context): string | undefined {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  return matched === undefined ? undefined : String(matched);
}
