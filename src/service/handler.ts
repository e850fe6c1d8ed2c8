/**
 * `metricsHandler()`: a `node:http` request listener that serves a registry's exposition, for
 * mounting `/metrics` on a server you already run. The Service and the Express, Fastify and Koa
 * adapters use it for their metrics route; the endpoint core does the work.
 *
 * @example
 * ```ts
 * import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
 * import { metricsHandler } from 'aioprometheus/service';
 *
 * declare function app(req: IncomingMessage, res: ServerResponse): void;
 * const metrics = metricsHandler();
 * createServer((req, res) => (req.url === '/metrics' ? metrics(req, res) : app(req, res))).listen(8080);
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ALLOWED_METHODS,
  MetricsEndpoint,
  type ScrapeRequest,
  type ScrapeResponse,
} from '../endpoint/endpoint.js';
import type { MetricsHandlerOptions } from '../endpoint/options.js';
import { MetricDefinitionError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { REGISTRY, type Registry } from '../registry.js';

/** The keys `metricsHandler` takes; the Service takes these and its own. */
export const METRICS_HANDLER_OPTION_KEYS: readonly string[] = [
  'onCollectError',
  'onError',
  'compression',
  'scrapeTimeoutMs',
  'maxConcurrentScrapes',
  'createdSamples',
];

/** Throws a MetricDefinitionError naming `kind` and the key for an option `kind` does not take. */
export function checkServiceOptionKeys(kind: string, options: object, known: readonly string[]): void {
  checkOptionKeys(kind, options, known, {}, (message) => new MetricDefinitionError(kind, message));
}

/** A `node:http` request listener; also fits Express (`app.get('/metrics', metricsHandler())`). */
export type MetricsRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Returns a request listener that answers GET and HEAD with `registry`'s exposition (default
 * REGISTRY) in the format the Accept header negotiates, gzipped when Accept-Encoding allows it,
 * within the scrape's deadline. Other methods get 405. The listener never throws, and a failed
 * scrape does not affect later ones.
 *
 * @throws {MetricDefinitionError} for an option key it does not take.
 * @throws {EndpointOptionError} for an unusable option value.
 */
export function metricsHandler(
  registry: Registry = REGISTRY,
  options: MetricsHandlerOptions = {},
): MetricsRequestListener {
  checkServiceOptionKeys('metricsHandler', options, METRICS_HANDLER_OPTION_KEYS);
  const endpoint = new MetricsEndpoint(registry, options);
  return function serveMetrics(req, res) {
    void serveScrape(endpoint, req, res);
  };
}

/** Answers one request with the endpoint; resolves when the response is sent or abandoned. */
export async function serveScrape(
  endpoint: MetricsEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const gone = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) gone.abort();
  };
  res.once('close', onClose);
  const response = await endpoint.handle(nodeScrapeRequest(req, gone.signal));
  try {
    await send(res, response, gone.signal);
  } catch {
    // The body failed after the headers went out; a cut connection is all that can tell the scraper.
    res.destroy();
  } finally {
    response.release();
    res.off('close', onClose);
  }
}

function nodeScrapeRequest(req: IncomingMessage, signal: AbortSignal): ScrapeRequest {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  return {
    method: req.method ?? '',
    query: at < 0 ? '' : url.slice(at + 1),
    header(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    signal,
  };
}

/** Writes the response, waiting for the socket to drain between chunks of a streamed body. */
async function send(res: ServerResponse, response: ScrapeResponse, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  res.statusCode = response.status;
  // setHeader (rather than writeHead's object) keeps the headers readable by wrappers and observers.
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  const { body } = response;
  if (body === undefined || body instanceof Uint8Array) {
    res.end(body);
    return;
  }
  for await (const chunk of body) {
    if (signal.aborted) return;
    if (!res.write(chunk)) await drained(res);
  }
  if (!signal.aborted) res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
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
