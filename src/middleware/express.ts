/**
 * `aioprometheus/express`: HTTP metrics for Express 4 and 5.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressMetrics } from 'aioprometheus/express';
 * const metrics = expressMetrics();
 * const app = express();
 * app.use(metrics);                           // first: counts every request, serves GET /metrics
 * app.get('/users/:id', (req, res) => { res.send('hi'); });
 * app.use(metrics.errors);                    // after the routes: counts handler exceptions
 * ```
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpInstrumentation } from './core.js';
import { routeTemplateOf, trackRouting } from './express-routes.js';
import type { HttpMetricsOptions } from './options.js';

/** The Express middleware, with the error middleware that counts exceptions. */
export interface ExpressMetrics extends RequestHandler {
  /**
   * Error middleware that counts the exception of the failing request and passes the error on
   * unchanged, to your error handlers or Express's. Install it after your routes (Express gives
   * errors only to error middleware that comes after the failing handler).
   */
  readonly errors: ErrorRequestHandler;
}

/**
 * Returns the Express middleware. The `route` label is the matched route's template with the
 * mount patterns of its routers (`/tenant/:tid` + `/users/:id`), also when the handler fails and
 * the error leaves the router; requests no route handles, and routes under a RegExp mount (on
 * Express 4, whose layers keep no mount pattern, under any mount but `/`), share the unmatched
 * route. Install it before the routes, on the app itself.
 *
 * @throws {HttpMetricsOptionError} for a key that is not an option, naming the one meant.
 * @throws {MetricDefinitionError} for a `metricPrefix`, `constLabels` or `buckets` the metrics
 *   cannot take.
 */
export function expressMetrics(options?: HttpMetricsOptions): ExpressMetrics {
  const core = new HttpInstrumentation(options);
  const metricsPath = core.options.metricsPath;
  const middleware: RequestHandler = function aioprometheusMetrics(req, res, next) {
    const path = HttpInstrumentation.pathOf(req.originalUrl);
    const isMetrics = core.isMetricsRequest(path);
    if (!core.isExcluded(path)) {
      const tracked = core.trackNode(req, res, isMetrics ? () => metricsPath : () => routeTemplateOf(req));
      if (tracked !== undefined && !isMetrics) trackRouting(req);
    }
    if (isMetrics) core.serveMetrics(req, res);
    else next();
  };
  const errors: ErrorRequestHandler = function aioprometheusErrors(error, req, _res, next) {
    core.countException(HttpInstrumentation.tracked(req), routeTemplateOf(req));
    next(error);
  };
  return Object.assign(middleware, { errors });
}
