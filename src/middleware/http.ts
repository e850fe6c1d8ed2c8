/**
 * `instrumentHttp`: HTTP metrics for a plain `node:http` request listener.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { instrumentHttp } from 'aioprometheus/middleware';
 * const listener = instrumentHttp((req, res) => res.end('hi'), {
 *   route: (req) => (req.url?.startsWith('/users/') ? '/users/:id' : undefined),
 * });
 * createServer(listener).listen(3000);   // GET /metrics serves the exposition
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpInstrumentation } from './core.js';
import type { HttpMetricsOptions } from './options.js';

/** Options of `instrumentHttp`. */
export interface InstrumentHttpOptions<Req extends IncomingMessage = IncomingMessage>
  extends HttpMetricsOptions {
  /**
   * Names the route template of a request (`/users/:id`); `node:http` has no router to ask.
   * Return undefined for requests no route matches. Without it every request but the metrics
   * path has the unmatched route. Called once, when the response ends.
   */
  readonly route?: (req: Req) => string | undefined;
}

/**
 * Wraps a `node:http` request listener so every request is counted and timed, and answers the
 * metrics path itself (returning undefined for those requests). The wrapper only observes: a synchronous throw is counted and rethrown,
 * and for a listener that returns a promise, the returned promise settles as the original does
 * (a rejection is counted first). Responding to the failure stays the listener's job.
 *
 * @throws {HttpMetricsOptionError} for a key that is not an option, naming the one meant.
 * @throws {MetricDefinitionError} for a `metricPrefix`, `constLabels` or `buckets` the metrics
 *   cannot take.
 */
export function instrumentHttp<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse<Req> = ServerResponse<Req>,
  R = void,
>(
  listener: (req: Req, res: Res) => R,
  options: InstrumentHttpOptions<Req> = {},
): (req: Req, res: Res) => R | undefined {
  const { route: routeOption, ...shared } = options;
  const core = new HttpInstrumentation(shared);
  const metricsPath = core.options.metricsPath;
  return function instrumented(this: unknown, req: Req, res: Res): R | undefined {
    const path = HttpInstrumentation.pathOf(req.url);
    const isMetrics = core.isMetricsRequest(path);
    const routeOf = (): string | undefined => (isMetrics ? metricsPath : routeOption?.(req));
    const tracked = core.isExcluded(path) ? undefined : core.trackNode(req, res as ServerResponse, routeOf);
    if (isMetrics) {
      core.serveMetrics(req, res as ServerResponse);
      return undefined;
    }
    let result: R;
    try {
      result = listener.call(this, req, res);
    } catch (error) {
      core.countException(tracked, routeOf());
      throw error;
    }
    if (tracked !== undefined && typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      return (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
        core.countException(tracked, routeOf());
        throw error;
      }) as R;
    }
    return result;
  };
}
