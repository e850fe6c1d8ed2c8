/**
 * `aioprometheus/fastify`: HTTP metrics for Fastify 5, as a plugin.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyMetrics } from 'aioprometheus/fastify';
 * const app = Fastify();
 * await app.register(fastifyMetrics, { metricPrefix: 'api_' });   // also serves GET /metrics
 * app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
 * ```
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { HttpInstrumentation } from './core.js';
import type { HttpMetricsOptions } from './options.js';

export { HttpMetricsOptionError, isHttpMetricsOptionError } from './errors.js';

/** The instances the plugin is installed on, so a second registration changes nothing. */
const installed = new WeakSet<FastifyInstance>();

/**
 * The plugin. Its hooks apply to the whole application (it is not encapsulated, like plugins
 * wrapped in fastify-plugin). The `route` label is the matched route's URL template; the
 * exception counter counts errors thrown or rejected by handlers and hooks, which then go on to
 * Fastify's error handler as usual. Registering it twice on one instance is harmless.
 *
 * Bad options (an unknown key such as `prefix`, which names nothing here since the plugin is not
 * encapsulated; buckets out of order) reject `app.register(...)` and `app.ready()` with the typed
 * error (HttpMetricsOptionError, MetricDefinitionError) instead of throwing inside Fastify's
 * plugin loader, where nothing could catch it.
 */
export const fastifyMetrics: FastifyPluginCallback<HttpMetricsOptions> = (app, options, done) => {
  if (installed.has(app)) {
    done();
    return;
  }
  try {
    install(app, new HttpInstrumentation(options));
  } catch (error) {
    done(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  installed.add(app);
  done();
};

function install(app: FastifyInstance, core: HttpInstrumentation): void {
  const metricsPath = core.options.metricsPath;
  app.addHook('onRequest', (request, reply, next) => {
    const path = HttpInstrumentation.pathOf(request.url);
    if (!core.isExcluded(path)) {
      core.trackNode(request.raw, reply.raw, () => request.routeOptions.url);
    }
    next();
  });
  app.addHook('onError', (request, _reply, _error, next) => {
    core.countException(HttpInstrumentation.tracked(request.raw), request.routeOptions.url);
    next();
  });
  if (metricsPath !== undefined) {
    // Every method reaches the endpoint, so other methods get its 405 with Allow, not a 404.
    app.all(metricsPath, (request, reply) => {
      reply.hijack();
      core.serveMetrics(request.raw, reply.raw);
    });
  }
}

// What fastify-plugin does: run in the caller's context, so the hooks see every route.
Object.assign(fastifyMetrics, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'aioprometheus',
});
