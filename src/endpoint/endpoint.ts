/**
 * The metrics endpoint, independent of any server API: a scrape request in, a response out.
 * It negotiates the format, collects within the scrape's deadline (sharing a running
 * collection), applies the error policy, the concurrency limit and the `name[]` filter, and
 * encodes and compresses in slices. The node:http and fetch transports only translate.
 */
import { isCollectError, isCollectTimeoutError } from '../errors.js';
import { type Format, negotiate } from '../exposition/negotiate.js';
import { canGzip, gzipChunks } from '../gzip.js';
import { Counter } from '../metrics/counter.js';
import type { MetricFamily } from '../model/family.js';
import type { Registry } from '../registry.js';
import { chooseEncoding } from './accept-encoding.js';
import { type CollectOutcome, type SharedCollection, sharedCollection } from './collection.js';
import { SCRAPE_TIMEOUT_HEADER, scrapeDeadlineMs } from './deadline.js';
import { isScrapeRequestError } from './errors.js';
import {
  type MetricsHandlerOptions,
  type ResolvedEndpointOptions,
  resolveEndpointOptions,
} from './options.js';
import { parseScrapeQuery, type ScrapeQuery } from './query.js';
import { encodeInSlices } from './slices.js';

/** A scrape as the transports see it. */
export interface ScrapeRequest {
  readonly method: string;
  /** The part of the URL after `?`, without it; empty when there is none. */
  readonly query: string;
  /** A request header by lower-case name; repeated headers joined with `, `. */
  header(name: string): string | undefined;
  /** Aborts when the client has gone: encoding for it stops. */
  readonly signal?: AbortSignal;
}

/** The endpoint's answer. The transport sends it, then calls `release()` (also when the client left). */
export interface ScrapeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body: all bytes at once (then `Content-Length` is set), chunks to stream in order, or
   * undefined for HEAD, whose headers still carry the length a GET would send.
   */
  readonly body: Uint8Array | AsyncIterable<Uint8Array> | undefined;
  /** Frees the scrape's place under `maxConcurrentScrapes`. Safe to call more than once. */
  release(): void;
}

/** The methods the endpoint answers; others get 405. */
export const ALLOWED_METHODS = 'GET, HEAD';

/** The counter a `'partial'` endpoint adds to its exposition. */
export const COLLECT_ERRORS_METRIC = 'aioprometheus_collect_errors_total';

/** Bodies up to this size are sent in one piece with a Content-Length; larger ones stream. */
const WHOLE_BODY_BYTES = 256 * 1024;

const EXPOSED_FORMATS = ['text', 'openmetrics', 'protobuf'] as const;

/** A metrics endpoint for one registry. Transports create one and pass it every request. */
export class MetricsEndpoint {
  readonly #options: ResolvedEndpointOptions;
  readonly #collection: SharedCollection;
  readonly #collectErrors: Counter | undefined;
  #inFlight = 0;

  /** Throws EndpointOptionError for an option it cannot use. */
  constructor(
    readonly registry: Registry,
    options: MetricsHandlerOptions = {},
  ) {
    this.#options = resolveEndpointOptions(options);
    this.#collection = sharedCollection(registry);
    this.#collectErrors = this.#options.partial
      ? new Counter({
          name: COLLECT_ERRORS_METRIC,
          help: 'Scrapes during which a collector failed; those scrapes served the metrics of the others.',
          registry: null,
        })
      : undefined;
  }

  /** Scrapes being answered now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** How many collections this endpoint's registry ran; scrapes that shared one count once. */
  get collections(): number {
    return this.#collection.started;
  }

  /** Answers a scrape. Never rejects: every failure becomes an error response. */
  async handle(request: ScrapeRequest): Promise<ScrapeResponse> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, `method ${request.method} is not allowed; use ${ALLOWED_METHODS}\n`, {
        Allow: ALLOWED_METHODS,
      });
    }
    let query: ScrapeQuery;
    let deadlineMs: number;
    try {
      query = parseScrapeQuery(request.query);
      deadlineMs = scrapeDeadlineMs(request.header(SCRAPE_TIMEOUT_HEADER), this.#options.scrapeTimeoutMs);
    } catch (error) {
      if (!isScrapeRequestError(error)) throw error;
      return plain(400, `bad scrape request: ${error.message}\n`);
    }
    const limit = this.#options.maxConcurrentScrapes;
    if (this.#inFlight >= limit) {
      return plain(503, `too many concurrent scrapes: ${this.#inFlight} in flight, the limit is ${limit}\n`, {
        'Retry-After': '1',
      });
    }
    this.#inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#inFlight--;
    };
    try {
      const response = await this.#answer(request, query, deadlineMs, release);
      if (response.body === undefined || response.body instanceof Uint8Array) release();
      return response;
    } catch (error) {
      release();
      this.#options.onError(error);
      return plain(500, `error encoding metrics: ${describe(error)}\n`);
    }
  }

  async #answer(
    request: ScrapeRequest,
    query: ScrapeQuery,
    deadlineMs: number,
    release: () => void,
  ): Promise<ScrapeResponse> {
    const outcome = await this.#collection.collect(deadlineMs);
    const families = this.#applyErrorPolicy(outcome);
    if (typeof families === 'string') {
      const late = isCollectError(outcome.error) && outcome.error.errors.some(isCollectTimeoutError);
      return plain(late ? 503 : 500, families);
    }
    const format = negotiate(acceptOf(query, request.header('accept')), { formats: EXPOSED_FORMATS });
    const gzip =
      this.#options.compression && canGzip() && chooseEncoding(request.header('accept-encoding')) === 'gzip';
    const headers: Record<string, string> = {
      'Content-Type': format.contentType,
      Vary: 'Accept, Accept-Encoding',
      'Cache-Control': 'no-store',
    };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    const chunks = this.#encode(select(families, query), format, gzip, request.signal);
    if (request.method === 'HEAD') {
      let length = 0;
      for await (const chunk of chunks) length += chunk.byteLength;
      headers['Content-Length'] = String(length);
      return { status: 200, headers, body: undefined, release };
    }
    // A small exposition is sent whole, with its length; a large one streams as it is encoded.
    const iterator = chunks[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < WHOLE_BODY_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        const body = concat(head, headBytes);
        headers['Content-Length'] = String(body.byteLength);
        return { status: 200, headers, body, release };
      }
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    return { status: 200, headers, body: resumed(head, iterator, release), release };
  }

  /** The families to serve, or the error text of a failed scrape in fail mode. */
  #applyErrorPolicy(outcome: CollectOutcome): readonly MetricFamily[] | string {
    const { error } = outcome;
    const counter = this.#collectErrors;
    if (error === undefined)
      return counter === undefined ? outcome.families : withFamily(outcome.families, counter);
    this.#options.onError(error);
    if (counter === undefined || !isCollectError(error)) {
      return `error collecting metrics: ${describe(error)}\n`;
    }
    counter.inc();
    return withFamily(outcome.families, counter);
  }

  #encode(
    families: readonly MetricFamily[],
    format: Format,
    gzip: boolean,
    signal: AbortSignal | undefined,
  ): AsyncIterable<Uint8Array> {
    const sliceOptions = { createdSamples: this.#options.createdSamples, ...(signal ? { signal } : {}) };
    const chunks = encodeInSlices(families, format, sliceOptions);
    return gzip ? gzipChunks(chunks) : chunks;
  }
}

/** The chunks already read, then the rest; the scrape is released when streaming ends or stops. */
async function* resumed(
  head: readonly Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
  release: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    yield* head;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    release();
    await rest.return?.();
  }
}

/** The Accept header to negotiate with: the one `format=` stands for, else the request's. */
function acceptOf(query: ScrapeQuery, accept: string | undefined): string | undefined {
  switch (query.format) {
    case undefined:
      return accept;
    case 'text':
      return 'text/plain;version=0.0.4';
    case 'openmetrics':
      return 'application/openmetrics-text;version=1.0.0';
    case 'protobuf':
      return 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Keeps the families `name[]=` asked for; a counter matches by its name with or without `_total`. */
function select(families: readonly MetricFamily[], query: ScrapeQuery): readonly MetricFamily[] {
  const names = query.names;
  if (names === undefined) return families;
  return families.filter(
    (f) =>
      names.has(f.name) ||
      (f.type === 'counter' && f.name.endsWith('_total') && names.has(f.name.slice(0, -6))),
  );
}

/** `families` with the counter's family added in name order. */
function withFamily(families: readonly MetricFamily[], counter: Counter): MetricFamily[] {
  const family = counter.snapshot();
  const out = families.filter((f) => f.name !== family.name);
  const at = out.findIndex((f) => f.name > family.name);
  out.splice(at < 0 ? out.length : at, 0, family);
  return out;
}

function plain(status: number, text: string, headers: Readonly<Record<string, string>> = {}): ScrapeResponse {
  const body = new TextEncoder().encode(text);
  return {
    status,
    headers: {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(body.byteLength),
    },
    body,
    release: () => {},
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
