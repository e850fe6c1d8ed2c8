/**
 * RemoteWriter: sends a registry's metrics to a Prometheus remote-write receiver (Prometheus,
 * Mimir, Cortex, Thanos, VictoriaMetrics, hosted services) at an interval, for processes that
 * nothing scrapes: short-lived jobs, serverless handlers, hosts behind NAT.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { RemoteWriter } from 'aioprometheus/remote-write';
 *
 * const registry = new Registry();
 * const writer = new RemoteWriter({ url: 'https://prom.example/api/v1/write', registry, intervalMs: 15_000 });
 * writer.start();
 * // … at shutdown, or at the end of a batch job:
 * await writer.stop(); // collects once more and sends everything still queued
 * ```
 */
import { errorGuard, isCollectError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { REGISTRY, type Registry } from '../registry.js';
import type { EncodedBatch } from './batch.js';
import { type Credentials, type Endpoint, resolveEndpoint } from './config.js';
import { encodeV1 } from './encode-v1.js';
import { encodeV2 } from './encode-v2.js';
import {
  RemoteWriteConfigError,
  RemoteWriteDroppedError,
  RemoteWriteError,
  RemoteWriteValidationError,
} from './errors.js';
import { SeriesQueue } from './queue.js';
import { SelfMetrics } from './self-metrics.js';
import { flattenFamilies, legacyNameViolation, type WriteSeries } from './series.js';
import { snappyCompress } from './snappy.js';
import { type FetchFunction, type Outcome, sendOnce, type Written } from './transport.js';

/** `1.0` sends `prometheus.WriteRequest`; `2.0` sends `io.prometheus.write.v2.Request`. */
export type RemoteWriteProtocol = '1.0' | '2.0';

/** The User-Agent of every request: this library and its version. */
export const USER_AGENT = 'aioprometheus/0.1.0';

/** Options of a RemoteWriter. Only `url` is required; docs/remote-write.md has the full reference. */
export interface RemoteWriterOptions {
  /** The receiver's write URL, e.g. `http://127.0.0.1:9090/api/v1/write`. Credentials in it become basic auth. */
  readonly url: string;
  /** The registry collected and sent. Default: REGISTRY. */
  readonly registry?: Registry;
  /** Time between collections after `start()`, in ms. Default 15 000. */
  readonly intervalMs?: number;
  /**
   * `1.0` (default) or `2.0`. With `2.0` the writer falls back to 1.0 for good when the
   * receiver answers 415, or answers success without the `X-Prometheus-Remote-Write-*-Written`
   * headers every 2.0 receiver sends (a 1.x receiver reads a 2.0 body as an empty request).
   */
  readonly protocol?: RemoteWriteProtocol;
  /** Extra request headers (e.g. a tenant id). The protocol headers cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly basicAuth?: Credentials;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** Time allowed for each request, response included, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Attempts after the first for one request (network errors, timeouts, 5xx, 429). Default 10; may be Infinity. */
  readonly maxRetries?: number;
  /** Delay before the first retry, doubled for each further one, with jitter. Default 100 ms. */
  readonly retryDelayMs?: number;
  /**
   * Upper bound of one retry delay, in ms. Default 5 000. A Retry-After longer than this
   * fails the request instead of sending it before the receiver asked.
   */
  readonly retryMaxDelayMs?: number;
  /** Samples kept while the receiver is unreachable; beyond that the oldest are dropped. Default 100 000. */
  readonly maxQueueSamples?: number;
  /** Samples (series) per request at most. Default 2 000. */
  readonly maxSamplesPerRequest?: number;
  /** Uncompressed protobuf bytes per request at most. Default 4 MiB. */
  readonly maxRequestBytes?: number;
  /**
   * Where the writer's own metrics (`aioprometheus_remote_write_*`) are registered. Default:
   * `registry`, so they are sent too; `null` registers them nowhere.
   */
  readonly metricsRegistry?: Registry | null;
  /** Called with every error of background work (and of `flush`, which also rejects). Default: console.error. */
  readonly onError?: (error: Error) => void;
  /** The fetch implementation. Default: the global `fetch`. */
  readonly fetch?: FetchFunction;
  /** The clock, in ms since the epoch: collection timestamps and Retry-After dates. Default Date.now. */
  readonly now?: () => number;
}

/**
 * One or more errors happened while `flush()` or `stop()` ran: samples were refused, dropped or
 * could not be delivered. `errors` holds each; the self-metrics count the samples.
 */
export class RemoteWriteFlushError extends AggregateError {
  override readonly name = 'RemoteWriteFlushError' as const;
  constructor(errors: readonly Error[]) {
    super(errors, `remote write: ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`);
  }
}

export const isRemoteWriteFlushError = errorGuard<RemoteWriteFlushError>('RemoteWriteFlushError');

/**
 * Collects a registry every `intervalMs` after `start()` and sends the samples, oldest first,
 * one request at a time. Nothing is sent before `start()` or `flush()`.
 *
 * @throws {RemoteWriteConfigError} when constructed with a bad option.
 */
export class RemoteWriter {
  /** The receiver, as origin and path (no credentials, no query). */
  readonly url: string;
  readonly #endpoint: Endpoint;
  readonly #registry: Registry;
  readonly #intervalMs: number;
  #protocol: RemoteWriteProtocol;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #retryMaxDelayMs: number;
  readonly #maxSamplesPerRequest: number;
  readonly #maxRequestBytes: number;
  readonly #queue: SeriesQueue;
  readonly #metrics: SelfMetrics;
  readonly #onError: (error: Error) => void;
  readonly #fetch: FetchFunction;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #collecting: Promise<void> | undefined;
  #sending: Promise<void> | undefined;
  /** Error lists of the flushes in progress; each error is recorded in all of them. */
  readonly #flushErrors = new Set<Error[]>();

  constructor(options: RemoteWriterOptions) {
    this.#endpoint = resolveEndpoint(options);
    this.url = this.#endpoint.displayUrl;
    this.#registry = options.registry ?? REGISTRY;
    this.#intervalMs = positive('intervalMs', options.intervalMs ?? 15_000);
    const protocol = options.protocol ?? '1.0';
    if (protocol !== '1.0' && protocol !== '2.0') {
      throw new RemoteWriteConfigError(`protocol must be "1.0" or "2.0" (got ${JSON.stringify(protocol)})`);
    }
    this.#protocol = protocol;
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    const maxRetries = options.maxRetries ?? 10;
    if (!(maxRetries === Number.POSITIVE_INFINITY || (Number.isInteger(maxRetries) && maxRetries >= 0))) {
      throw new RemoteWriteConfigError(
        `maxRetries must be a non-negative integer or Infinity (got ${maxRetries})`,
      );
    }
    this.#maxRetries = maxRetries;
    this.#retryDelayMs = positive('retryDelayMs', options.retryDelayMs ?? 100);
    this.#retryMaxDelayMs = positive('retryMaxDelayMs', options.retryMaxDelayMs ?? 5_000);
    this.#queue = new SeriesQueue(wholePositive('maxQueueSamples', options.maxQueueSamples ?? 100_000));
    this.#maxSamplesPerRequest = wholePositive('maxSamplesPerRequest', options.maxSamplesPerRequest ?? 2_000);
    this.#maxRequestBytes = wholePositive('maxRequestBytes', options.maxRequestBytes ?? 4 * 1024 * 1024);
    this.#onError =
      options.onError ?? ((error) => console.error(`aioprometheus remote write: ${error.message}`));
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#now = options.now ?? Date.now;
    const metricsRegistry = options.metricsRegistry === undefined ? this.#registry : options.metricsRegistry;
    this.#metrics = new SelfMetrics(metricsRegistry, () => this.#queue.length);
  }

  /** The protocol in use: `2.0` turns into `1.0` when the receiver turned out not to speak it. */
  get protocol(): RemoteWriteProtocol {
    return this.#protocol;
  }

  /** Samples collected and not yet sent. */
  get queueLength(): number {
    return this.#queue.length;
  }

  /**
   * Starts collecting every `intervalMs` (the first collection after one interval). Calling it
   * again is a no-op. The timer does not keep a Node process alive: call `stop()` before exit.
   */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /**
   * Collects now and sends everything queued, with retries. Resolves when the queue is empty.
   *
   * @throws {RemoteWriteFlushError} when samples failed or were dropped meanwhile (the promise rejects).
   */
  async flush(): Promise<void> {
    const errors: Error[] = [];
    this.#flushErrors.add(errors);
    try {
      await this.#collect();
      await this.#sendQueued();
    } finally {
      this.#flushErrors.delete(errors);
    }
    if (errors.length > 0) throw new RemoteWriteFlushError(errors);
  }

  /** Stops the timer and flushes: the last collection and everything pending is sent. Rejects as `flush` does. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  #tick(): void {
    if (this.#collecting !== undefined) return;
    void this.#collect().then(() => this.#sendQueued());
  }

  async #collect(): Promise<void> {
    while (this.#collecting !== undefined) await this.#collecting;
    this.#collecting = this.#collectOnce();
    try {
      await this.#collecting;
    } finally {
      this.#collecting = undefined;
    }
  }

  async #collectOnce(): Promise<void> {
    const nowMs = this.#now();
    let families: readonly MetricFamily[];
    try {
      families = await this.#registry.collect();
    } catch (error) {
      // Unlike a Pushgateway push, remote write adds samples and replaces nothing, so the
      // families the other collectors produced are still worth sending.
      if (!isCollectError(error)) {
        this.#report(asError(error));
        return;
      }
      this.#report(error);
      families = error.families;
    }
    const flattened = flattenFamilies(families, nowMs);
    for (const error of flattened.errors) this.#report(error);
    this.#metrics.samplesFailed.inc(flattened.refusedSamples);
    const series = this.#protocol === '1.0' ? this.#refuseNonLegacy(flattened.series) : flattened.series;
    const dropped = this.#queue.push(series);
    if (dropped > 0) {
      this.#metrics.samplesDropped.inc(dropped);
      this.#report(new RemoteWriteDroppedError(this.url, dropped, this.#queue.capacity));
    }
  }

  /** Sends until the queue is empty, one request at a time (samples of a series stay in order). */
  async #sendQueued(): Promise<void> {
    while (this.#sending !== undefined || this.#queue.length > 0) {
      if (this.#sending === undefined) {
        this.#sending = this.#sendAll().finally(() => {
          this.#sending = undefined;
        });
      }
      await this.#sending;
    }
  }

  async #sendAll(): Promise<void> {
    while (this.#queue.length > 0) {
      const count = Math.min(this.#queue.length, this.#maxSamplesPerRequest);
      const encoded = this.#encode(this.#queue.items, this.#queue.head, this.#queue.head + count);
      const batch = this.#queue.take(encoded.taken);
      await this.#deliver(batch, encoded);
    }
  }

  #encode(items: readonly WriteSeries[], from: number, to: number): EncodedBatch {
    const encode = this.#protocol === '2.0' ? encodeV2 : encodeV1;
    return encode(items, from, to, this.#maxRequestBytes);
  }

  /** Sends one batch until it is accepted or fails for good; counts the outcome. */
  async #deliver(batch: WriteSeries[], encoded: EncodedBatch): Promise<void> {
    for (let retry = 0; ; ) {
      const protocol = this.#protocol;
      const outcome = await sendOnce(
        {
          url: this.#endpoint.url,
          displayUrl: this.url,
          headers: this.#headers(protocol),
          body: snappyCompress(encoded.body),
          samples: batch.length,
          timeoutMs: this.#timeoutMs,
        },
        this.#fetch,
        this.#now,
      );
      if (protocol === '2.0' && this.#needsFallback(outcome)) {
        this.#protocol = '1.0';
        this.#queue.push(this.#refuseNonLegacy(this.#queue.take(this.#queue.length)));
        batch = this.#refuseNonLegacy(batch);
        if (batch.length === 0) return;
        encoded = encodeV1(batch, 0, batch.length, Number.POSITIVE_INFINITY);
        continue;
      }
      switch (outcome.kind) {
        case 'ok':
          this.#accepted(batch.length, encoded.exemplars, outcome.status, outcome.written);
          return;
        case 'retry': {
          const delay = this.#retryDelay(retry, outcome.retryAfterMs);
          if (retry >= this.#maxRetries || delay === undefined) {
            this.#failed(batch.length, outcome.error, retry, outcome.retryAfterMs);
            return;
          }
          retry++;
          this.#metrics.retries.inc();
          await sleep(delay);
          break;
        }
        case 'unsupported':
        case 'fail':
          this.#failed(batch.length, outcome.error, retry, undefined);
          return;
      }
    }
  }

  /**
   * A 1.x receiver answers a 2.0 request with 415, with 400 (the 2.0 spec tells senders to
   * expect that from older receivers), or decodes it as an empty 1.0 request and answers
   * success. In the last two cases the `-Written` headers that every 2.0 receiver sends are
   * missing, which tells the answers apart from a 2.0 receiver's.
   */
  #needsFallback(outcome: Outcome): boolean {
    if (outcome.kind === 'unsupported') return true;
    if (outcome.kind === 'ok') return outcome.written === undefined;
    return (
      outcome.kind === 'fail' &&
      outcome.written === undefined &&
      outcome.error instanceof RemoteWriteError &&
      outcome.error.status === 400
    );
  }

  #refuseNonLegacy(batch: WriteSeries[]): WriteSeries[] {
    const kept: WriteSeries[] = [];
    const refused = new Map<string, { reason: string; count: number }>();
    for (const s of batch) {
      const reason = legacyNameViolation(s);
      if (reason === undefined) {
        kept.push(s);
        continue;
      }
      const entry = refused.get(s.metadata.name);
      if (entry === undefined) refused.set(s.metadata.name, { reason, count: 1 });
      else entry.count++;
    }
    for (const [metric, { reason, count }] of refused) {
      this.#metrics.samplesFailed.inc(count);
      this.#report(new RemoteWriteValidationError(metric, `${count} sample(s) not sent: ${reason}`));
    }
    return kept;
  }

  #headers(protocol: RemoteWriteProtocol): Record<string, string> {
    return {
      ...this.#endpoint.headers,
      'content-encoding': 'snappy',
      'content-type':
        protocol === '2.0'
          ? 'application/x-protobuf;proto=io.prometheus.write.v2.Request'
          : 'application/x-protobuf',
      'x-prometheus-remote-write-version': protocol === '2.0' ? '2.0.0' : '0.1.0',
      'user-agent': USER_AGENT,
    };
  }

  #accepted(samples: number, exemplars: number, status: number, written: Written | undefined): void {
    let sent = samples;
    if (written !== undefined) {
      // A 2.0 receiver says how much it wrote; what it did not write is failed, not sent.
      sent = Math.min(samples, written.samples + written.histograms);
      exemplars = Math.min(exemplars, written.exemplars);
      if (sent < samples) {
        this.#metrics.samplesFailed.inc(samples - sent);
        this.#report(
          new RemoteWriteError(
            this.url,
            status,
            '',
            samples,
            false,
            ` (the receiver wrote only ${sent} of them)`,
          ),
        );
      }
    }
    this.#metrics.samplesSent.inc(sent);
    this.#metrics.exemplarsSent.inc(exemplars);
    this.#metrics.lastSuccess.set(this.#now() / 1000);
  }

  #failed(samples: number, error: Error, retries: number, retryAfterMs: number | undefined): void {
    this.#metrics.samplesFailed.inc(samples);
    if (retryAfterMs !== undefined && retryAfterMs > this.#retryMaxDelayMs) {
      error = new Error(
        `${error.message} (the receiver asked to retry after ${retryAfterMs / 1000} s, beyond retryMaxDelayMs)`,
        { cause: error },
      );
    } else if (retries > 0) {
      error = new Error(`${error.message} (gave up after ${retries} retries)`, { cause: error });
    }
    this.#report(error);
  }

  /**
   * The delay before retry number `retry` + 1: exponential with "equal jitter" (half fixed, half
   * random), or what Retry-After asks if that is longer. Undefined when Retry-After asks for
   * more than `retryMaxDelayMs`.
   */
  #retryDelay(retry: number, retryAfterMs: number | undefined): number | undefined {
    const exponential = Math.min(this.#retryMaxDelayMs, this.#retryDelayMs * 2 ** retry);
    const backoff = exponential / 2 + Math.random() * (exponential / 2);
    if (retryAfterMs === undefined) return backoff;
    if (retryAfterMs > this.#retryMaxDelayMs) return undefined;
    return Math.max(backoff, retryAfterMs);
  }

  #report(error: Error): void {
    for (const errors of this.#flushErrors) errors.push(error);
    try {
      this.#onError(error);
    } catch {
      // A throwing handler must not stop the writer; the error was recorded for flush() above.
    }
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function positive(option: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new RemoteWriteConfigError(`${option} must be a positive finite number (got ${String(value)})`);
  }
  return value;
}

function wholePositive(option: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RemoteWriteConfigError(`${option} must be a positive integer (got ${String(value)})`);
  }
  return value;
}
