/**
 * `metricsHandler()`: a `node:http` request listener that serves a registry's exposition, for
 * mounting `/metrics` on a server you already run. The Service uses it for its metrics route.
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { metricsHandler } from 'aioprometheus/service';
 * const metrics = metricsHandler();
 * createServer((req, res) => (req.url === '/metrics' ? metrics(req, res) : app(req, res))).listen(8080);
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type CollectError, isCollectError, MetricDefinitionError } from '../errors.js';
import type { MetricFamily } from '../exposition/model.js';
import { type Rendered, render } from '../exposition/render.js';
import { Counter } from '../metrics/counter.js';
import { checkOptionKeys } from '../options.js';
import { REGISTRY, Registry } from '../registry.js';
import { chooseEncoding } from './accept-encoding.js';

/** Options of `metricsHandler` (and of `Service`, which passes them on). */
export interface MetricsHandlerOptions {
  /**
   * What a failing collector does to a scrape. `'fail'` (default) answers 500 with the reason
   * as plain text, which Prometheus shows on its targets page. `'partial'` serves what the other
   * collectors produced, plus the counter `aioprometheus_collect_errors_total` (exposed on every
   * scrape, so it can be alerted on) that counts the scrapes where collection failed.
   */
  readonly onCollectError?: 'fail' | 'partial';
  /**
   * Called with every error that spoils a scrape (collector failures and encoding failures).
   * Default: nothing in `'fail'` mode, where the 500 response carries the reason, and a process
   * warning in `'partial'` mode, where the response would otherwise hide it.
   */
  readonly onError?: (error: unknown) => void;
  /** Gzip the exposition when the scraper's Accept-Encoding allows it. Default true. */
  readonly compression?: boolean;
}

/** The keys of MetricsHandlerOptions, for refusing unknown ones. */
export const METRICS_HANDLER_OPTION_KEYS: readonly string[] = ['onCollectError', 'onError', 'compression'];

/** Throws a MetricDefinitionError naming `kind` and the key for an option `kind` does not take. */
export function checkServiceOptionKeys(kind: string, options: object, known: readonly string[]): void {
  checkOptionKeys(kind, options, known, {}, (message) => new MetricDefinitionError(kind, message));
}

/** A `node:http` request listener; also fits Express (`app.get('/metrics', metricsHandler())`). */
export type MetricsRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The methods the metrics endpoint (and the Service's pages) answer; others get 405. */
const ALLOWED_METHODS = 'GET, HEAD';

/** The counter a `'partial'` handler adds to its exposition. */
export const COLLECT_ERRORS_METRIC = 'aioprometheus_collect_errors_total';

const gzipAsync = promisify(gzip);

/**
 * Returns a request listener that answers GET and HEAD with `registry`'s exposition (default
 * REGISTRY) in the format the Accept header negotiates, gzipped when Accept-Encoding allows it.
 * Other methods get 405. Each request collects afresh, so concurrent scrapes are independent;
 * the listener never throws, and a failed scrape does not affect later ones.
 */
export function metricsHandler(
  registry: Registry = REGISTRY,
  options: MetricsHandlerOptions = {},
): MetricsRequestListener {
  checkServiceOptionKeys('metricsHandler', options, METRICS_HANDLER_OPTION_KEYS);
  const partial = options.onCollectError === 'partial';
  const source = partial ? partialRegistry(registry, reportWith(options, true)) : registry;
  const report = reportWith(options, false);
  const compression = options.compression ?? true;

  return function serveMetrics(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendMethodNotAllowed(req, res);
      return;
    }
    respond(req, res, source, compression).catch((error: unknown) => {
      report(error);
      if (res.headersSent) res.destroy();
      else sendPlain(res, 500, `error collecting metrics: ${describe(error)}\n`);
    });
  };
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Registry,
  compression: boolean,
): Promise<void> {
  const rendered: Rendered = await render(registry, req.headers.accept);
  const coding = compression ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  // zlib's async gzip runs on the libuv thread pool, so a large body does not block other requests.
  const body = coding === 'gzip' ? await gzipAsync(rendered.body) : rendered.body;
  if (res.destroyed) return;
  // setHeader (rather than writeHead's object) keeps the headers readable by wrappers and observers.
  res.statusCode = 200;
  res.setHeader('Content-Type', rendered.contentType);
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  res.setHeader('Vary', 'Accept, Accept-Encoding');
  res.setHeader('Cache-Control', 'no-store');
  if (coding === 'gzip') res.setHeader('Content-Encoding', 'gzip');
  // One write of the finished body: Node queues what the socket cannot take yet and the event
  // loop moves on, so a slow reader holds only its own buffer and never stalls other scrapes.
  // HEAD gets the same headers; Node drops the body itself.
  res.end(body);
}

/**
 * Wraps `registry` so a CollectError yields the families that were gathered, plus the error
 * counter, instead of failing. A private Registry keeps render()'s negotiation and sorting.
 */
function partialRegistry(registry: Registry, report: (error: unknown) => void): Registry {
  const errors = new Counter({
    name: COLLECT_ERRORS_METRIC,
    help: 'Scrapes during which a collector failed; those scrapes served the metrics of the others.',
    registry: null,
  });
  const wrapper = new Registry();
  wrapper.register({
    async collect(): Promise<MetricFamily[]> {
      let families: readonly MetricFamily[];
      try {
        families = await registry.collect();
      } catch (error) {
        if (!isCollectError(error)) throw error;
        report(error);
        errors.inc();
        families = (error as CollectError).families;
      }
      return [...families, errors.snapshot()];
    },
  });
  return wrapper;
}

function reportWith(options: MetricsHandlerOptions, partial: boolean): (error: unknown) => void {
  if (options.onError !== undefined) return options.onError;
  if (!partial) return () => {};
  return (error) => process.emitWarning(`metrics scrape served partial data: ${describe(error)}`);
}

/** Sends a short plain-text response; used for errors and for the Service's small pages. */
export function sendPlain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers 405 with `Allow: GET, HEAD`. */
export function sendMethodNotAllowed(req: IncomingMessage, res: ServerResponse): void {
  sendPlain(res, 405, `method ${req.method ?? ''} is not allowed; use ${ALLOWED_METHODS}\n`, {
    Allow: ALLOWED_METHODS,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
