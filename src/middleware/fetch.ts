/**
 * The metrics endpoint for fetch-style frameworks (Hono on any runtime): a `Response` with the
 * negotiated exposition, gzipped through the standard CompressionStream when the scraper allows.
 */
import { describeValue } from '../errors.js';
import { render } from '../exposition/render.js';
import type { Registry } from '../registry.js';
import { chooseEncoding } from '../service/accept-encoding.js';
import type { MetricsHandlerOptions } from '../service/handler.js';

/**
 * Answers a scrape: GET and HEAD get the exposition of `registry` in the format the Accept header
 * negotiates, other methods 405. A failed collection answers 500 with the reason (and is passed
 * to `options.onError`), never a rejection.
 */
export async function metricsResponse(
  registry: Registry,
  request: Request,
  options: MetricsHandlerOptions = {},
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, `method ${request.method} is not allowed; use GET, HEAD\n`, { Allow: 'GET, HEAD' });
  }
  try {
    const rendered = await render(registry, request.headers.get('accept'));
    const headers: Record<string, string> = {
      'Content-Type': rendered.contentType,
      Vary: 'Accept, Accept-Encoding',
      'Cache-Control': 'no-store',
    };
    const gzip =
      (options.compression ?? true) &&
      chooseEncoding(request.headers.get('accept-encoding') ?? undefined) === 'gzip';
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    if (!gzip) return new Response(rendered.body, { status: 200, headers });
    headers['Content-Encoding'] = 'gzip';
    const body = new Blob([rendered.body]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Response(body, { status: 200, headers });
  } catch (error) {
    options.onError?.(error);
    return plain(
      500,
      `error collecting metrics: ${error instanceof Error ? error.message : describeValue(error)}\n`,
    );
  }
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}
