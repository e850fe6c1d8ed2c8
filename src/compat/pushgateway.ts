/**
 * prom-client's Pushgateway client on this library's Pusher: `pushAdd` (POST), `push` (PUT) and
 * `delete`, each resolving to `{ resp, body }` with the gateway's answer.
 *
 * ```ts
 * import { Pushgateway, register } from 'aioprometheus/prom-client';
 * const gateway = new Pushgateway('http://127.0.0.1:9091', { timeout: 5000 }, register);
 * await gateway.pushAdd({ jobName: 'nightly', groupings: { instance: 'db-1' } });
 * ```
 *
 * prom-client hands its options to `http.request`; this client sends with `fetch`, so it takes the
 * options that mean something there and refuses the others by name instead of ignoring them.
 */
import { checkOptionKeys } from '../options.js';
import { PushConfigError } from '../push/errors.js';
import { type FetchFunction, Pusher, type PusherOptions } from '../push/index.js';
import { type AnyRegistry, globalRegistry } from './registry.js';

/** prom-client's request options that apply to a fetch-based client, plus `fetch` itself. */
export interface PushgatewayOptions {
  /** Extra request headers. `Content-Encoding: gzip` compresses the body, as in prom-client. */
  headers?: Record<string, string>;
  /** Time allowed for each call in milliseconds. Default 10 000. */
  timeout?: number;
  /** Basic authentication as `user:password`. Credentials in the URL work too. */
  auth?: string;
  /** Whether `jobName` must be given. Default true; false is refused, as every push here goes to a job's group. */
  requireJobName?: boolean;
  /** The fetch implementation, for a proxy or custom TLS (prom-client's `agent`). Default: the global `fetch`. */
  fetch?: FetchFunction;
}

export interface PushgatewayParameters {
  /** The job the pushed metrics belong to: the first part of the group's key. */
  jobName: string;
  /** The other labels of the group's key, e.g. `{ instance: 'db-1' }`. */
  groupings?: { [key: string]: string };
}

/** The gateway's answer, with the fields of Node's IncomingMessage that callers read. */
export interface PushResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string>;
}

export interface PushResult {
  resp?: PushResponse;
  body?: string;
}

const OPTION_KEYS = ['headers', 'timeout', 'auth', 'requireJobName', 'fetch'];
const OPTION_HINTS = { agent: 'fetch', timeoutMs: 'timeout' };

export class Pushgateway {
  readonly gatewayUrl: string;
  readonly registry: AnyRegistry;
  readonly #options: Omit<PusherOptions, 'url' | 'job' | 'groupingKey'>;

  /**
   * Checks the options at once: an unknown one (prom-client's `agent`, `ca`, ...), a
   * `Content-Encoding` other than gzip, a malformed `auth` or `requireJobName: false` is a
   * PushConfigError; the URL and headers are checked as the Pusher checks them.
   */
  constructor(url: string, given?: PushgatewayOptions | null, registry?: AnyRegistry | null) {
    const fail = (message: string) => new PushConfigError(`Pushgateway: ${message}`);
    const options = given ?? {};
    if (typeof options !== 'object') throw fail('options must be an object');
    checkOptionKeys('Pushgateway', options, OPTION_KEYS, OPTION_HINTS, fail);
    if (options.requireJobName === false) {
      throw fail(
        'requireJobName: false is not supported: every push goes to the group of a job, so give jobName',
      );
    }
    this.gatewayUrl = url;
    this.registry = registry ?? globalRegistry();
    this.#options = { format: 'text', ...requestOptions(options, fail) };
    // The URL, headers and credentials are checked now, as they would be on the first push.
    new Pusher({ ...this.#options, url, job: 'check' });
  }

  /** POSTs the registry's metrics: they replace the group's families of the same names. */
  pushAdd(params: PushgatewayParameters): Promise<PushResult> {
    return this.#send(params, (pusher) => pusher.add(this.registry));
  }

  /** PUTs the registry's metrics: they replace the whole group. */
  push(params: PushgatewayParameters): Promise<PushResult> {
    return this.#send(params, (pusher) => pusher.replace(this.registry));
  }

  /** DELETEs the group. */
  delete(params: PushgatewayParameters): Promise<PushResult> {
    return this.#send(params, (pusher) => pusher.delete());
  }

  /**
   * Throws (synchronously, as prom-client does) a PushConfigError without `jobName` or for a bad
   * grouping; rejects with the Pusher's errors: PushError for a refused push, PushRequestError
   * when no answer came, PushCollectError when a collect callback failed.
   */
  #send(params: PushgatewayParameters, call: (pusher: Pusher) => Promise<void>): Promise<PushResult> {
    if (typeof params !== 'object' || params === null || !params.jobName) {
      throw new PushConfigError('Pushgateway: missing jobName parameter');
    }
    const result: PushResult = {};
    const send = this.#options.fetch ?? fetch;
    const capturing: FetchFunction = async (url, init) => {
      const response = await send(url, init);
      return {
        status: response.status,
        ...(response.headers === undefined ? {} : { headers: response.headers }),
        ...(response.redirected === undefined ? {} : { redirected: response.redirected }),
        text: async () => {
          const body = await response.text();
          result.resp = pushResponse(response);
          result.body = body;
          return body;
        },
      };
    };
    const pusher = new Pusher({
      ...this.#options,
      url: this.gatewayUrl,
      job: params.jobName,
      groupingKey: params.groupings ?? {},
      fetch: capturing,
    });
    return call(pusher).then(() => result);
  }
}

function requestOptions(
  options: PushgatewayOptions,
  fail: (message: string) => Error,
): Omit<PusherOptions, 'url' | 'job' | 'groupingKey'> {
  const out: { -readonly [K in keyof PusherOptions]?: PusherOptions[K] } = {};
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null)
      throw fail('headers must be an object');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers)) {
      if (name.toLowerCase() !== 'content-encoding') {
        headers[name] = value;
      } else if (String(value).toLowerCase() === 'gzip') {
        out.gzip = true;
      } else {
        throw fail(`Content-Encoding ${JSON.stringify(value)} is not supported; only gzip is`);
      }
    }
    out.headers = headers;
  }
  if (options.timeout !== undefined) out.timeoutMs = options.timeout;
  if (options.auth !== undefined) {
    const colon = typeof options.auth === 'string' ? options.auth.indexOf(':') : -1;
    if (colon < 0) throw fail('auth must be "user:password"');
    out.basicAuth = { username: options.auth.slice(0, colon), password: options.auth.slice(colon + 1) };
  }
  if (options.fetch !== undefined) out.fetch = options.fetch;
  return out;
}

function pushResponse(response: Awaited<ReturnType<FetchFunction>>): PushResponse {
  const headers: Record<string, string> = {};
  const all = response.headers as
    | { forEach?: (fn: (value: string, name: string) => void) => void }
    | undefined;
  all?.forEach?.((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const statusText = (response as { statusText?: unknown }).statusText;
  return {
    statusCode: response.status,
    statusMessage: typeof statusText === 'string' ? statusText : '',
    headers,
  };
}

/** prom-client's name for the parameters of a push: `Pushgateway.Parameters`. */
export declare namespace Pushgateway {
  type Parameters = PushgatewayParameters;
}
