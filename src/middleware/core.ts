/**
 * The framework-neutral core of the HTTP middleware: decides which requests count, tracks each
 * one from arrival until its response ends, and records it once. The adapters (node:http,
 * Express, Fastify, Koa, Hono) only tell it where a request starts, which route matched and
 * when a handler failed.
 *
 * A `node:http` response is followed through its 'close' event, which Node emits exactly once
 * per response: after 'finish' for a completed one, or when the client goes away mid-response.
 * So streamed responses are timed to their last byte, and an aborted one is counted once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Registry } from '../registry.js';
import { metricsHandler } from '../service/handler.js';
import { type HttpMetrics, httpMetrics } from './metrics.js';
import { type HttpMetricsOptions, type ResolvedOptions, resolveOptions } from './options.js';

/**
 * Marks a request object as counted. A registered symbol, so a second layer of middleware (or a
 * second copy of the library, ESM beside CJS) sees the mark and does not count it again.
 */
const COUNTED = Symbol.for('aioprometheus.http.request');

/** The status label of a response the client abandoned before it started (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/** One request being tracked. */
export class TrackedRequest {
  /** Set once the request is recorded, so nothing records it twice. */
  done = false;
  /** Set once an exception is counted for it. */
  failed = false;
  constructor(
    readonly method: string,
    readonly start: number,
  ) {}
}

/** What a finished request is recorded with. */
export interface Outcome {
  readonly route: string | undefined;
  readonly status: number;
  readonly responseBytes?: number | undefined;
  readonly requestBytes?: number | undefined;
}

/**
 * The shared request tracking every adapter builds on.
 *
 * @throws {HttpMetricsOptionError} for a key that is not an option, naming the one meant.
 * @throws {MetricDefinitionError} for a `metricPrefix`, `constLabels` or `buckets` the metrics
 *   cannot take.
 */
export class HttpInstrumentation {
  readonly options: ResolvedOptions;
  readonly metrics: HttpMetrics;
  /** Serves the exposition on a `node:http` response (GET and HEAD; 405 otherwise). */
  readonly serveMetrics: (req: IncomingMessage, res: ServerResponse) => void;
  readonly #statusLabels: string[] = [];

  constructor(options?: HttpMetricsOptions) {
    this.options = resolveOptions(options);
    this.metrics = httpMetrics(this.options);
    this.serveMetrics = metricsHandler(this.options.registry, this.options.metricsEndpoint);
  }

  get registry(): Registry {
    return this.options.registry;
  }

  /** The path of a request target, without its query string. */
  static pathOf(url: string | undefined): string {
    if (url === undefined) return '/';
    const query = url.indexOf('?');
    return query < 0 ? url : url.slice(0, query);
  }

  /** Whether requests to `path` are left uncounted. */
  isExcluded(path: string): boolean {
    for (const rule of this.options.excludePaths) {
      if (typeof rule === 'string' ? rule === path : rule.test(path)) return true;
    }
    return false;
  }

  /** Whether a request asks for the exposition this middleware serves. */
  isMetricsRequest(path: string): boolean {
    return this.options.metricsPath !== undefined && path === this.options.metricsPath;
  }

  /** Whether another layer already counts this request object. */
  static isCounted(request: object): boolean {
    return (request as { [COUNTED]?: unknown })[COUNTED] !== undefined;
  }

  /** The tracked state of a request object, if a layer counts it. */
  static tracked(request: object): TrackedRequest | undefined {
    return (request as { [COUNTED]?: TrackedRequest })[COUNTED];
  }

  /**
   * Starts tracking a request and marks `marker` (the request object) as counted; returns
   * undefined when another layer already counts it. The caller must `finish` it once.
   */
  begin(marker: object, method: string | undefined): TrackedRequest | undefined {
    if (HttpInstrumentation.isCounted(marker)) return undefined;
    const label = method !== undefined && KNOWN_METHODS.has(method) ? method : 'other';
    const tracked = new TrackedRequest(label, performance.now());
    (marker as { [COUNTED]?: TrackedRequest })[COUNTED] = tracked;
    this.metrics.inFlight.inc({ method: label });
    return tracked;
  }

  /** Records a tracked request; later calls for the same request do nothing. */
  finish(tracked: TrackedRequest, outcome: Outcome): void {
    if (tracked.done) return;
    tracked.done = true;
    const seconds = (performance.now() - tracked.start) / 1000;
    const { method } = tracked;
    const route = outcome.route ?? this.options.unmatchedRoute;
    const status = this.#statusLabel(outcome.status);
    const { metrics } = this;
    metrics.inFlight.dec({ method });
    const labels = { method, route, status };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, seconds);
    if (metrics.responseSize !== undefined && outcome.responseBytes !== undefined) {
      metrics.responseSize.observe(labels, outcome.responseBytes);
    }
    if (metrics.requestSize !== undefined && outcome.requestBytes !== undefined) {
      metrics.requestSize.observe({ method, route }, outcome.requestBytes);
    }
  }

  /** Counts the exception of a tracked request, once per request. */
  countException(tracked: TrackedRequest | undefined, route: string | undefined): void {
    if (tracked === undefined || tracked.failed) return;
    tracked.failed = true;
    this.metrics.exceptions.inc({ method: tracked.method, route: route ?? this.options.unmatchedRoute });
  }

  /**
   * Tracks a `node:http` request until its response closes. `routeOf` is asked then, after the
   * framework has routed it. Returns undefined when another layer already counts it.
   */
  trackNode(
    req: IncomingMessage,
    res: ServerResponse,
    routeOf: () => string | undefined,
  ): TrackedRequest | undefined {
    const tracked = this.begin(req, req.method);
    if (tracked === undefined) return undefined;
    const countBytes = this.metrics.responseSize === undefined ? undefined : countResponseBytes(res);
    res.on('close', () => {
      const status = res.writableFinished || res.headersSent ? res.statusCode : CLIENT_CLOSED_STATUS;
      this.finish(tracked, {
        route: routeOf(),
        status,
        responseBytes: countBytes?.(),
        requestBytes: declaredRequestBytes(req),
      });
    });
    return tracked;
  }

  #statusLabel(status: number): string {
    let label = this.#statusLabels[status];
    if (label === undefined) {
      label = this.options.groupStatusCodes ? `${Math.trunc(status / 100)}xx` : String(status);
      if (status >= 0 && status < 1000) this.#statusLabels[status] = label;
    }
    return label;
  }
}

/**
 * The body size a request declares: its Content-Length, 0 when it has neither that nor
 * Transfer-Encoding (HTTP/1.1 then says it has no body), undefined for a chunked body of
 * unknown length (reading it to count would consume what the handler must read).
 */
export function declaredRequestBytes(req: IncomingMessage): number | undefined {
  const length = req.headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }
  return req.headers['transfer-encoding'] === undefined ? 0 : undefined;
}

/** Counts the body bytes written to a response; returns the running total's reader. */
function countResponseBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    } else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') add(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return () => bytes;
}
