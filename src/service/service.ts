/**
 * `Service`: a small `node:http` server that exposes a registry for Prometheus to scrape, like
 * the Python library's `aioprometheus.service.Service`.
 *
 * @example
 * ```ts
 * import { Service } from 'aioprometheus/service';
 * const service = new Service();
 * await service.start({ port: 8000 });
 * console.log(`Serving prometheus metrics on: ${service.metricsUrl}`);
 * // ...
 * await service.stop();
 * ```
 *
 * Routes: `metricsPath` (default `/metrics`) serves the exposition through the metrics
 * endpoint; `/` is a status page listing every family (largest first) with links to the
 * exposition; `/robots.txt` asks crawlers to stay away. Other paths get 404, other methods 405.
 * Query strings play no part in routing. With `tls` it serves https (mutual TLS with
 * `tls.clientCa`); with `basicAuth` every route needs a configured user's password.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import { MetricsEndpoint } from '../endpoint/endpoint.js';
import type { MetricsHandlerOptions } from '../endpoint/options.js';
import { statusPage } from '../endpoint/status-page.js';
import { isCollectError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { REGISTRY, type Registry } from '../registry.js';
import { BasicAuthenticator, checkUsers } from './basic-auth.js';
import { formatHostPort, ServiceListenError, ServiceNotRunningError } from './errors.js';
import {
  checkServiceOptionKeys,
  METRICS_HANDLER_OPTION_KEYS,
  sendMethodNotAllowed,
  sendPlain,
  serveScrape,
} from './handler.js';
import { type ServiceTlsOptions, serverTlsOptions } from './tls.js';

/** The Service's `basicAuth` option. */
export interface ServiceBasicAuthOptions {
  /**
   * User names mapped to bcrypt hashes of their passwords, as exporter-toolkit's
   * `basic_auth_users` (e.g. from `htpasswd -nBC 10 user`). Needs the optional peer dependency
   * bcryptjs.
   */
  readonly users: Readonly<Record<string, string>>;
}

/** Options of `new Service()`; the handler options apply to the metrics route. */
export interface ServiceOptions extends MetricsHandlerOptions {
  /** The registry to expose. Default REGISTRY. */
  readonly registry?: Registry;
  /** Serve https with this certificate (and require client certificates with `clientCa`). */
  readonly tls?: ServiceTlsOptions;
  /** Require HTTP basic authentication on every route; others get 401 with WWW-Authenticate. */
  readonly basicAuth?: ServiceBasicAuthOptions;
  /**
   * How long `stop()` lets in-flight scrapes finish before it closes their connections, in
   * milliseconds. Default 5000.
   */
  readonly stopTimeoutMs?: number;
}

/** Where `Service.start()` listens. */
export interface StartOptions {
  /**
   * The address to bind. Default `'127.0.0.1'`: only local scrapers reach it until you choose
   * otherwise (the Python library binds every interface; pass `'0.0.0.0'` or `'::'` for that).
   */
  readonly host?: string;
  /** The TCP port. Default 0: any free port (read it back from `metricsUrl`). */
  readonly port?: number;
  /** The path of the exposition. Default `'/metrics'`. Must start with `/`. */
  readonly metricsPath?: string;
}

interface Running {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly metricsPath: string;
}

const ROBOTS_TXT = 'User-agent: *\nDisallow: /\n';

const AUTH_CHALLENGE = 'Basic realm="metrics", charset="UTF-8"';

/**
 * Serves a registry over HTTP for Prometheus to scrape.
 *
 * @throws {MetricDefinitionError} when constructed with an option key it does not take.
 * @throws {ServiceOptionError} for an unusable `tls` or `basicAuth`.
 * @throws {EndpointOptionError} for an unusable scrape option.
 */
export class Service {
  /** The registry this service exposes. */
  readonly registry: Registry;
  readonly #endpoint: MetricsEndpoint;
  readonly #scrapeTimeoutMs: number;
  readonly #tls: TlsOptions | undefined;
  readonly #users: Readonly<Record<string, string>> | undefined;
  #auth: BasicAuthenticator | undefined;
  readonly #stopTimeoutMs: number;
  #running: Running | undefined;
  #starting: Promise<void> | undefined;
  #stopping = false;

  constructor(options: ServiceOptions = {}) {
    checkServiceOptionKeys('Service', options, [
      ...METRICS_HANDLER_OPTION_KEYS,
      'registry',
      'stopTimeoutMs',
      'tls',
      'basicAuth',
    ]);
    this.registry = options.registry ?? REGISTRY;
    this.#endpoint = new MetricsEndpoint(this.registry, options);
    this.#scrapeTimeoutMs = options.scrapeTimeoutMs ?? 10_000;
    this.#tls = options.tls === undefined ? undefined : serverTlsOptions(options.tls);
    if (options.basicAuth !== undefined) {
      checkUsers(options.basicAuth.users);
      this.#users = options.basicAuth.users;
    }
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  }

  /**
   * Starts listening. Calling it while the service runs or starts emits
   * a warning and changes nothing.
   *
   * @throws {ServiceListenError} when the address cannot be bound, e.g. the port is taken; it
   *   names `host:port` (the promise rejects).
   * @throws {MetricDefinitionError} for an option key it does not take (the promise rejects).
   * @throws {TypeError} when `metricsPath` does not start with "/" (the promise rejects).
   */
  start(options: StartOptions = {}): Promise<void> {
    if (this.#running !== undefined || this.#starting !== undefined) {
      process.emitWarning(`the metrics service is already ${this.#running ? 'running' : 'starting'}`);
      return this.#starting ?? Promise.resolve();
    }
    try {
      checkServiceOptionKeys('Service.start', options, ['host', 'port', 'metricsPath']);
    } catch (error) {
      return Promise.reject(error);
    }
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 0;
    const metricsPath = options.metricsPath ?? '/metrics';
    if (!metricsPath.startsWith('/')) {
      return Promise.reject(
        new TypeError(`metricsPath must start with "/" (got ${JSON.stringify(metricsPath)})`),
      );
    }
    this.#starting = this.#listen(host, port, metricsPath).finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #listen(host: string, port: number, metricsPath: string): Promise<void> {
    if (this.#users !== undefined && this.#auth === undefined) {
      this.#auth = await BasicAuthenticator.create(this.#users);
    }
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      res.once('close', () => {
        // While stopping, a finished keep-alive connection would otherwise idle until its timeout.
        if (this.#stopping) server.closeIdleConnections();
      });
      this.#authorize(req, res, metricsPath);
    };
    const server: Server =
      this.#tls === undefined ? createServer(listener) : createHttpsServer(this.#tls, listener);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: unknown): void => reject(new ServiceListenError(host, port, error));
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (error) => process.emitWarning(`metrics service error: ${error.message}`));
    const address = server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    this.#running = { server, host, port: boundPort, metricsPath };
  }

  /**
   * Stops listening, closes idle keep-alive connections at once and lets in-flight scrapes
   * finish, closing whatever is still open after `stopTimeoutMs`. Calling it when the service
   * does not run emits a warning and changes nothing.
   */
  async stop(): Promise<void> {
    if (this.#starting !== undefined) await this.#starting.catch(() => {});
    const running = this.#running;
    if (running === undefined) {
      process.emitWarning('the metrics service is not running');
      return;
    }
    this.#running = undefined;
    this.#stopping = true;
    const { server } = running;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), this.#stopTimeoutMs);
    try {
      await closed;
    } finally {
      clearTimeout(deadline);
      this.#stopping = false;
    }
  }

  /** Stops the service if it runs, without a warning otherwise: `await using service = ...`. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#running !== undefined || this.#starting !== undefined) await this.stop();
  }

  /** Whether the service is listening. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /**
   * `http://host:port` (`https://` with `tls`).
   *
   * @throws {ServiceNotRunningError} when read before `start()` completes.
   */
  get baseUrl(): string {
    const { host, port } = this.#require('baseUrl');
    return `${this.#tls === undefined ? 'http' : 'https'}://${formatHostPort(host, port)}`;
  }

  /**
   * `http://host:port/`, the status page.
   *
   * @throws {ServiceNotRunningError} when read before `start()` completes.
   */
  get rootUrl(): string {
    this.#require('rootUrl');
    return `${this.baseUrl}/`;
  }

  /**
   * The URL of the exposition.
   *
   * @throws {ServiceNotRunningError} when read before `start()` completes.
   */
  get metricsUrl(): string {
    const { metricsPath } = this.#require('metricsUrl');
    return `${this.baseUrl}${metricsPath}`;
  }

  #require(property: string): Running {
    if (this.#running === undefined) throw new ServiceNotRunningError(property);
    return this.#running;
  }

  #authorize(req: IncomingMessage, res: ServerResponse, metricsPath: string): void {
    const auth = this.#auth;
    if (auth === undefined) {
      this.#route(req, res, metricsPath);
      return;
    }
    auth.check(req.headers.authorization).then(
      (ok) => {
        if (ok) this.#route(req, res, metricsPath);
        else
          sendPlain(res, 401, 'unauthorized: this service needs a user name and password\n', {
            'WWW-Authenticate': AUTH_CHALLENGE,
          });
      },
      (error: unknown) => sendPlain(res, 500, `error checking credentials: ${String(error)}\n`),
    );
  }

  #route(req: IncomingMessage, res: ServerResponse, metricsPath: string): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path === metricsPath) {
      void serveScrape(this.#endpoint, req, res);
      return;
    }
    if (path !== '/' && path !== '/robots.txt') {
      sendPlain(res, 404, `not found: ${path}; the metrics are at ${metricsPath}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendMethodNotAllowed(req, res);
      return;
    }
    if (path === '/robots.txt') {
      sendPlain(res, 200, ROBOTS_TXT);
      return;
    }
    void this.#statusPage(metricsPath).then((html) => {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(html),
        'Cache-Control': 'no-store',
        // Nothing on the page loads from elsewhere, and nothing may.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(html);
    });
  }

  /** The status page; a failed or late collector shows as a notice above what was gathered. */
  async #statusPage(metricsPath: string): Promise<string> {
    let families: readonly MetricFamily[];
    let problem: string | undefined;
    try {
      families = await this.registry.collect({ timeoutMs: this.#scrapeTimeoutMs });
    } catch (error) {
      families = isCollectError(error) ? error.families : [];
      problem = `Collection failed, so this list may be incomplete: ${error instanceof Error ? error.message : String(error)}`;
    }
    return statusPage(families, { metricsPath, ...(problem === undefined ? {} : { problem }) });
  }
}
