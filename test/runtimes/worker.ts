/**
 * The Cloudflare Workers side of the runtime smoke test (run by workerd): `/renders` answers the
 * shared scenario in all three formats as JSON, `/push?gateway=…` pushes the scenario to a
 * Pushgateway in `ctx.waitUntil` after answering 202, as a Worker reporting its own work would.
 */
import { Pusher } from '../../src/push/index.js';
import { renderAll, scenarioRegistry } from './scenario.js';

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

// Built on the first request, not at module load: a Worker's clocks do not run while its global
// scope executes, and summary observations made there fell out of the summary's time window
// (seen on workerd: every quantile NaN).
let registry: ReturnType<typeof scenarioRegistry> | undefined;
let lastPushError = '';

export default {
  async fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    registry ??= scenarioRegistry();
    const url = new URL(request.url);
    if (url.pathname === '/renders') return Response.json(await renderAll(registry));
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
