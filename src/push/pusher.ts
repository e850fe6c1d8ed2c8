/**
 * Pusher: sends a registry's metrics to a Prometheus Pushgateway, for batch jobs that end
 * before Prometheus could scrape them.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { Pusher } from 'aioprometheus/push';
 *
 * const registry = new Registry();
 * const pusher = new Pusher({ url: 'http://127.0.0.1:9091', job: 'nightly-backup', groupingKey: { instance: 'db-1' } });
 * await pusher.add(registry);      // POST: replaces the pushed families in the group
 * await pusher.replace(registry);  // PUT: replaces the whole group
 * await pusher.delete();           // DELETE: removes the group
 * ```
 */

import { gzip } from '../gzip.js';
import type { MetricFamily } from '../model/family.js';
import { parseBaseUrl } from './base-url.js';
import { encodeBody, type PushFormat } from './body.js';
import { PushCollectError, PushConfigError } from './errors.js';
import { checkFamilies, withLabels } from './families.js';
import { type GroupingKey, groupingPath, validateGrouping } from './grouping.js';
import { buildHeaders } from './headers.js';
import {
  type Deadline,
  type FetchFunction,
  type RetryPolicy,
  sendWithRetries,
  systemClock,
} from './request.js';

// setTimeout fires at once for longer delays.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of a Pusher. Only `url` and `job` are required. */
export interface PusherOptions {
  /**
   * The gateway's base URL, e.g. `http://127.0.0.1:9091`. A path prefix is kept
   * (`https://proxy/pushgateway` pushes to `https://proxy/pushgateway/metrics/job/…`).
   * Credentials in the URL (`http://user:pass@host`, percent-encoded) become basic auth; no
   * error message repeats them.
   */
  readonly url: string;
  /** The job name, the first part of the grouping key. Any non-empty string. */
  readonly job: string;
  /** Further grouping labels, e.g. `{ instance: 'db-1' }`. Values may be any string, even empty. */
  readonly groupingKey?: GroupingKey;
  /**
   * Push a whole exposition to this path below `url` instead of a Pushgateway group, e.g.
   * VictoriaMetrics' `/api/v1/import/prometheus`. Such endpoints have no grouping key in the
   * URL, so the job and grouping key are added as labels to every series; only `add` (POST) is
   * available, any 2xx answer counts as success (a Pushgateway group accepts only 200 and 202),
   * and the default format is `text`, the one such endpoints take.
   */
  readonly path?: string;
  /**
   * The body format: `protobuf` (delimited MetricFamily messages, the default) or `text`
   * (Prometheus text 0.0.4). Both carry the same data for classic metrics; only protobuf carries
   * native histograms.
   */
  readonly format?: PushFormat;
  /**
   * Extra request headers. Content-Type and Content-Encoding are set by the Pusher. A value with
   * CR, LF or another control character is a PushConfigError that does not repeat the value.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP basic authentication. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /**
   * Time allowed for the whole call, in milliseconds: collecting the registry, every attempt
   * (response body included) and the waits between retries. Default 10 000.
   */
  readonly timeoutMs?: number;
  /** Compress the body with gzip (`Content-Encoding: gzip`). Default false. */
  readonly gzip?: boolean;
  /**
   * Retries after a network error, a 5xx or a 429, within `timeoutMs`. Default 0 (no retry).
   * A 429 or 503 with `Retry-After` waits as long as it asks; when that would outlast the
   * timeout, the call fails at once with a PushError saying so.
   */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one, with jitter. Default 200 ms. */
  readonly retryDelayMs?: number;
  /** Upper bound of one backoff delay (a Retry-After may ask for longer). Default 10 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** The fetch implementation. Default: the global `fetch`. */
  readonly fetch?: FetchFunction;
}

/** What `add` and `replace` push: a registry (collected first) or families collected elsewhere. */
export type PushSource = { collect(): Promise<readonly MetricFamily[]> } | readonly MetricFamily[];

/**
 * A client for one group of a Pushgateway; the options are checked in the constructor.
 * Success is HTTP 200 or 202; any other answer rejects, a redirect too (it is never followed).
 * Methods may be called any number of times; each call is one push (plus retries when
 * configured) and settles within `timeoutMs`.
 *
 * @throws {PushConfigError} when constructed with an empty job, a bad grouping-key name, a bad
 *   URL or a bad header.
 */
export class Pusher {
  /** The URL pushes go to: the group's URL, or `url` plus `path`. */
  readonly url: string;
  readonly #groupingNames: readonly string[];
  readonly #extraLabels: Readonly<Record<string, string>> | undefined;
  readonly #format: PushFormat;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #secrets: readonly string[];
  readonly #timeoutMs: number;
  readonly #gzip: boolean;
  readonly #retry: RetryPolicy;
  readonly #fetch: FetchFunction;
  readonly #success: (status: number) => boolean;

  constructor(options: PusherOptions) {
    const groupingKey = options.groupingKey ?? {};
    this.#groupingNames = validateGrouping(options.job, groupingKey);
    const base = parseBaseUrl(options.url);
    const prefix = base.url.pathname.replace(/\/+$/, '');
    if (options.path === undefined) {
      base.url.pathname = prefix + groupingPath(options.job, groupingKey, this.#groupingNames);
      this.#extraLabels = undefined;
      this.#success = isPushgatewaySuccess;
    } else {
      checkPath(options.path);
      base.url.pathname = prefix + options.path;
      this.#extraLabels = { ...groupingKey, job: options.job };
      this.#success = isAnySuccess;
    }
    this.url = base.url.href;
    this.#format = options.format ?? (options.path === undefined ? 'protobuf' : 'text');
    const { headers, secrets } = buildHeaders(options, base.credentials);
    this.#headers = headers;
    this.#secrets = secrets;
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    if (this.#timeoutMs > MAX_TIMER_MS) {
      throw new PushConfigError(
        `timeoutMs must be at most ${MAX_TIMER_MS} (about 24.8 days), the longest timer Node.js keeps (got ${this.#timeoutMs})`,
      );
    }
    this.#gzip = options.gzip ?? false;
    this.#retry = {
      retries: count('retries', options.retries ?? 0),
      baseDelayMs: positive('retryDelayMs', options.retryDelayMs ?? 200),
      maxDelayMs: positive('retryMaxDelayMs', options.retryMaxDelayMs ?? 10_000),
    };
    this.#fetch = options.fetch ?? fetch;
  }

  /**
   * POSTs the metrics: families of the same name in the group are replaced, the group's other
   * families are kept. Each error below rejects the promise.
   *
   * @throws {PushValidationError} when a series carries `job`, a grouping-key label or a
   *   timestamp; nothing is sent.
   * @throws {PushCollectError} when a collector fails.
   * @throws {PushError} when the gateway refuses the push.
   * @throws {PushRequestError} when no response came.
   */
  async add(source: PushSource): Promise<void> {
    await this.#push('POST', source);
  }

  /** PUTs the metrics: the whole group is replaced by them. Rejects as `add` does. */
  async replace(source: PushSource): Promise<void> {
    if (this.#extraLabels !== undefined) throw this.#groupless('replace');
    await this.#push('PUT', source);
  }

  /** DELETEs the group (the gateway answers 202 even when it does not exist). */
  async delete(): Promise<void> {
    if (this.#extraLabels !== undefined) throw this.#groupless('delete');
    await sendWithRetries(
      {
        method: 'DELETE',
        url: this.url,
        headers: this.#headers,
        success: this.#success,
        secrets: this.#secrets,
      },
      this.#fetch,
      this.#deadline(),
      this.#retry,
      systemClock,
    );
  }

  async #push(method: 'POST' | 'PUT', source: PushSource): Promise<void> {
    const deadline = this.#deadline();
    let families = await this.#collect(source, deadline);
    checkFamilies(families, this.#groupingNames, this.#extraLabels === undefined ? 'path' : 'labels');
    if (this.#extraLabels !== undefined) families = withLabels(families, this.#extraLabels);
    const encoded = encodeBody(families, this.#format);
    const headers: Record<string, string> = { ...this.#headers, 'content-type': encoded.contentType };
    let body = encoded.body;
    if (this.#gzip) {
      body = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    await sendWithRetries(
      { method, url: this.url, headers, body, success: this.#success, secrets: this.#secrets },
      this.#fetch,
      deadline,
      this.#retry,
      systemClock,
    );
  }

  #deadline(): Deadline {
    return { endsAt: systemClock.now() + this.#timeoutMs, timeoutMs: this.#timeoutMs };
  }

  /**
   * Collects the registry before the deadline. A collector that never settles cannot be
   * stopped, but the push gives up on it: a batch job must be able to exit.
   */
  async #collect(source: PushSource, deadline: Deadline): Promise<readonly MetricFamily[]> {
    if (isFamilyArray(source)) return source;
    const timeoutError = new DOMException(
      `the collection did not finish within the ${deadline.timeoutMs} ms timeout`,
      'TimeoutError',
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError), Math.max(0, deadline.endsAt - systemClock.now()));
    });
    try {
      return await Promise.race([Promise.resolve().then(() => source.collect()), timedOut]);
    } catch (error) {
      throw new PushCollectError(this.url, error, error === timeoutError);
    } finally {
      clearTimeout(timer);
    }
  }

  #groupless(operation: string): PushConfigError {
    return new PushConfigError(
      `${operation} needs a Pushgateway group, but this Pusher posts to the path ${this.url}; only add is available`,
    );
  }
}

/** The gateway answers 200, or 202 with `--push.disable-consistency-check` and for DELETE. */
function isPushgatewaySuccess(status: number): boolean {
  return status === 200 || status === 202;
}

/** Other endpoints (VictoriaMetrics answers 204) may use any 2xx status. */
function isAnySuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

function isFamilyArray(source: PushSource): source is readonly MetricFamily[] {
  return Array.isArray(source);
}

/** The `path` option is a path only: the URL setter would percent-encode a `?` or `#` into it. */
function checkPath(path: unknown): void {
  if (typeof path !== 'string') {
    throw new PushConfigError(`the path option must be a string (got ${typeof path})`);
  }
  if (!path.startsWith('/')) {
    throw new PushConfigError(`the path option must start with "/" (got ${JSON.stringify(path)})`);
  }
  if (/[?#]/.test(path)) {
    throw new PushConfigError('the path option must not contain a query or fragment ("?" or "#")');
  }
}

function positive(option: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new PushConfigError(`${option} must be a positive finite number (got ${String(value)})`);
  }
  return value;
}

function count(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new PushConfigError(`${option} must be a non-negative integer (got ${String(value)})`);
  }
  return value;
}
