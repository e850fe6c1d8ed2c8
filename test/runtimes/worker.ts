/**
 * The Cloudflare Workers side of the runtime smoke test (run by workerd): `/renders` answers the
 * shared scenario in all three formats as JSON, and its protobuf render decoded back by the
 * Worker; `/metrics` serves it through `metricsResponse`; `/push?gateway=…` pushes it to a
 * Pushgateway in `ctx.waitUntil` after answering 202, as a Worker reporting its own work would.
 */
import { parseProtobuf } from '../../src/exposition/index.js';
import { metricsResponse } from '../../src/middleware/fetch.js';
import { Pusher } from '../../src/push/index.js';
import { renderAll, scenarioRegistry } from './scenario.js';

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

// Built on the first request, not at module load: a Worker's clocks do not run while its global
// scope executes, and summary observations made there fell out of the summary's time window
// (seen on workerd: every quantile NaN).
let registry: ReturnType<typeof scenarioRegistry> | undefined;
let endpoint: { readonly registry: ReturnType<typeof scenarioRegistry> } | undefined;
let lastPushError = '';

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    registry ??= scenarioRegistry();
    // One options object for every scrape, so they share one endpoint.
    endpoint ??= { registry };
    const url = new URL(request.url);
    if (url.pathname === '/renders') {
      const renders = await renderAll(registry);
      const bytes = Uint8Array.from(atob(renders.protobuf), (c) => c.charCodeAt(0));
      return Response.json({ renders, decoded: parseProtobuf(bytes) });
    }
    if (url.pathname === '/metrics') return metricsResponse(request, endpoint);
    if (url.pathname === '/push') {
      const gateway = url.searchParams.get('gateway') ?? '';
      ctx.waitUntil(
        new Pusher({ url: gateway, job: 'smoke-workerd' }).replace(registry).catch((error: unknown) => {
          lastPushError = String(error);
        }),
      );
      return new Response('pushing', { status: 202 });
    }
    if (url.pathname === '/push-error') return new Response(lastPushError);
    return new Response('not found', { status: 404 });
  },
};
