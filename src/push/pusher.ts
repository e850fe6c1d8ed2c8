/**
 * Pusher: sends a registry's metrics to a Prometheus Pushgateway, for batch jobs that end
 * before Prometheus could scrape them.
 *
 * ```ts
 * const pusher = new Pusher({ url: 'http://127.0.0.1:9091', job: 'nightly-backup', groupingKey: { instance: 'db-1' } });
 * await pusher.add(registry);      // POST: replaces the pushed families in the group
 * await pusher.replace(registry);  // PUT: replaces the whole group
 * await pusher.delete();           // DELETE: removes the group
 * ```
 */
import type { MetricFamily } from '../exposition/model.js';
import { encodeBody, type PushFormat } from './body.js';
import { PushCollectError, PushConfigError } from './errors.js';
import { checkFamilies, withLabels } from './families.js';
import { type GroupingKey, groupingPath, validateGrouping } from './grouping.js';
import { gzip } from './gzip.js';
import { type FetchFunction, type RetryPolicy, sendWithRetries } from './request.js';

/** Options of a Pusher. Only `url` and `job` are required. */
export interface PusherOptions {
  /**
   * The gateway's base URL, e.g. `http://127.0.0.1:9091`. A path prefix is kept
   * (`https://proxy/pushgateway` pushes to `https://proxy/pushgateway/metrics/job/…`).
   * Credentials in the URL (`http://user:pass@host`) become basic auth.
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
  /** Extra request headers. Content-Type and Content-Encoding are set by the Pusher. */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP basic authentication. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** Time allowed for each attempt, response body included, in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /** Compress the body with gzip (`Content-Encoding: gzip`). Default false. */
  readonly gzip?: boolean;
  /** Retries after a network error, a timeout, a 5xx or a 429. Default 0 (no retry). */
  readonly retries?: number;
  /** Delay before the first retry, doubled for each further one, with jitter. Default 200 ms. */
  readonly retryDelayMs?: number;
  /** Upper bound of one retry delay. Default 10 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** The fetch implementation. Default: the global `fetch`. */
  readonly fetch?: FetchFunction;
}

/** What `add` and `replace` push: a registry (collected first) or families collected elsewhere. */
export type PushSource = { collect(): Promise<readonly MetricFamily[]> } | readonly MetricFamily[];

/**
 * A client for one group of a Pushgateway. The options are checked in the constructor, which
 * throws a PushConfigError for an empty job, a bad grouping-key name or a bad URL. Success is
 * HTTP 200 or 202; any other answer rejects. Methods may be called any number of times; each
 * call is one push (plus retries when configured).
 */
export class Pusher {
  /** The URL pushes go to: the group's URL, or `url` plus `path`. */
  readonly url: string;
  readonly #groupingNames: readonly string[];
  readonly #extraLabels: Readonly<Record<string, string>> | undefined;
  readonly #format: PushFormat;
  readonly #headers: Readonly<Record<string, string>>;
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
      if (!options.path.startsWith('/')) {
        throw new PushConfigError(
          `the path option must start with "/" (got ${JSON.stringify(options.path)})`,
        );
      }
      base.url.pathname = prefix + options.path;
      this.#extraLabels = { ...groupingKey, job: options.job };
      this.#success = isAnySuccess;
    }
    this.url = base.url.href;
    this.#format = options.format ?? (options.path === undefined ? 'protobuf' : 'text');
    this.#headers = buildHeaders(options, base.credentials);
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
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
   * families are kept. Rejects with PushValidationError (nothing sent) for a series carrying
   * `job`, a grouping-key label or a timestamp; PushCollectError when a collector fails;
   * PushError when the gateway refuses; PushRequestError when no response came.
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
      { method: 'DELETE', url: this.url, headers: this.#headers, success: this.#success },
      this.#fetch,
      this.#timeoutMs,
      this.#retry,
    );
  }

  async #push(method: 'POST' | 'PUT', source: PushSource): Promise<void> {
    let families = await this.#collect(source);
    checkFamilies(families, this.#groupingNames);
    if (this.#extraLabels !== undefined) families = withLabels(families, this.#extraLabels);
    const encoded = encodeBody(families, this.#format);
    const headers: Record<string, string> = { ...this.#headers, 'content-type': encoded.contentType };
    let body = encoded.body;
    if (this.#gzip) {
      body = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    await sendWithRetries(
      { method, url: this.url, headers, body, success: this.#success },
      this.#fetch,
      this.#timeoutMs,
      this.#retry,
    );
  }

  async #collect(source: PushSource): Promise<readonly MetricFamily[]> {
    if (isFamilyArray(source)) return source;
    try {
      return await source.collect();
    } catch (error) {
      throw new PushCollectError(this.url, error);
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

interface BaseUrl {
  readonly url: URL;
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
}

/** Parses the base URL and takes out its credentials (fetch refuses URLs that carry them). */
function parseBaseUrl(raw: unknown): BaseUrl {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new PushConfigError(`invalid Pushgateway URL ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PushConfigError(`the Pushgateway URL must be http or https (got ${JSON.stringify(raw)})`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PushConfigError(
      `the Pushgateway URL must not have a query or fragment (got ${JSON.stringify(raw)})`,
    );
  }
  let credentials: BaseUrl['credentials'];
  if (url.username !== '' || url.password !== '') {
    credentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    url.username = '';
    url.password = '';
  }
  return { url, credentials };
}

function buildHeaders(
  options: PusherOptions,
  urlCredentials: BaseUrl['credentials'],
): Record<string, string> {
  const headers = new Headers(options.headers);
  const auths = [options.basicAuth, options.bearerToken, urlCredentials].filter((a) => a !== undefined);
  if (auths.length > 1) {
    throw new PushConfigError('give only one of basicAuth, bearerToken and credentials in the URL');
  }
  const basic = options.basicAuth ?? urlCredentials;
  if (basic !== undefined) {
    const token = Buffer.from(`${basic.username}:${basic.password}`, 'utf8').toString('base64');
    headers.set('authorization', `Basic ${token}`);
  } else if (options.bearerToken !== undefined) {
    headers.set('authorization', `Bearer ${options.bearerToken}`);
  }
  headers.delete('content-type');
  headers.delete('content-encoding');
  return Object.fromEntries(headers);
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
