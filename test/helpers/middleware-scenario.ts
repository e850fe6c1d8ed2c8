/**
 * The request sequence every framework adapter's test app answers, and the metrics it must
 * produce: two route-template hits, a POST to a mounted router, a rejected and a thrown handler,
 * a handler error no custom handler takes (the framework's default answers), an error inside the
 * mounted router, a router mounted on a parameterised path and one on a pattern, a streamed
 * response, two unmatched paths, an excluded favicon, and (on a real socket) a client that leaves
 * mid-response.
 *
 * Every app mounts, the framework's own way (Express `app.use(path, router)`, Fastify `register`
 * with `prefix`, @koa/router nesting, Hono `app.route`):
 * - at `/api`: `POST /items/:id` (201) and `GET /fail/:id` (throws `sub-router`, handled);
 * - at `/tenant/:tid`: `GET /items/:id` (answers `tenant <tid> item <id>`);
 * - at a version pattern that matches `/v2`: `GET /status` (answers `ok`);
 * and at the root `GET /unhandled-fail`, which throws `unhandled` past every custom handler.
 */
import assert from 'node:assert/strict';
import type { Registry } from '../../src/index.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { abandonAfterHeaders, samples, send, settled } from './http-client.js';

export type Requester = (
  path: string,
  init?: { method?: string },
) => Promise<{ status: number; body: string }>;

/** What differs between frameworks. */
export interface ScenarioOptions {
  /** Whether the failing routes answer with the app's error handler's `handled: <message>`. */
  readonly errorBodies: boolean;
  /**
   * The `route` of `GET /v2/status`: the framework's template for its version-pattern mount, or
   * the unmatched route where the mount is a pattern no template can express.
   */
  readonly versionRoute: string;
}

/** `http_requests_total` after `exercise` (without the abandoned `/hang` request), sorted. */
export function expectedRequests(options: ScenarioOptions): string[] {
  const versionRoute = options.versionRoute.replaceAll('\\', '\\\\');
  return [
    'http_requests_total{method="GET",route="/api/fail/:id",status="500"} 1',
    'http_requests_total{method="GET",route="/async-fail",status="500"} 1',
    'http_requests_total{method="GET",route="/stream",status="200"} 1',
    'http_requests_total{method="GET",route="/sync-fail",status="500"} 1',
    'http_requests_total{method="GET",route="/tenant/:tid/items/:id",status="200"} 2',
    'http_requests_total{method="GET",route="/unhandled-fail",status="500"} 1',
    'http_requests_total{method="GET",route="/users/:id",status="200"} 2',
    `http_requests_total{method="GET",route="${versionRoute}",status="200"} 1`,
    'http_requests_total{method="GET",route="<unmatched>",status="404"} 2',
    'http_requests_total{method="POST",route="/api/items/:id",status="201"} 1',
  ].sort();
}

/** `http_request_exceptions_total` after `exercise`, sorted. */
export const EXPECTED_EXCEPTIONS: readonly string[] = [
  'http_request_exceptions_total{method="GET",route="/api/fail/:id"} 1',
  'http_request_exceptions_total{method="GET",route="/async-fail"} 1',
  'http_request_exceptions_total{method="GET",route="/sync-fail"} 1',
  'http_request_exceptions_total{method="GET",route="/unhandled-fail"} 1',
];

/** The sample lines of `name` in an exposition, sorted, for comparison with the expected lists. */
export function sortedSamples(exposition: string, name: string): string[] {
  return samples(exposition, name).sort();
}

/** Sends the sequence, checking what each answer must be. */
export async function exercise(request: Requester, options: ScenarioOptions): Promise<void> {
  assert.equal((await request('/users/1')).body, 'user 1');
  await request('/users/2');
  assert.equal((await request('/api/items/7', { method: 'POST' })).status, 201);
  for (const [path, message] of [
    ['/async-fail', 'rejected'],
    ['/sync-fail', 'thrown'],
    ['/api/fail/3', 'sub-router'],
  ] as const) {
    const response = await request(path);
    if (options.errorBodies) assert.deepEqual([response.status, response.body], [500, `handled: ${message}`]);
    else assert.equal(response.status, 500);
  }
  const unhandled = await request('/unhandled-fail');
  assert.equal(unhandled.status, 500, 'the framework answers an error no handler takes');
  assert.ok(!unhandled.body.startsWith('handled:'), `no custom handler answered: ${unhandled.body}`);
  assert.equal((await request('/tenant/acme/items/1')).body, 'tenant acme item 1');
  assert.equal((await request('/tenant/globex/items/2')).body, 'tenant globex item 2');
  assert.equal((await request('/v2/status')).body, 'ok');
  assert.equal((await request('/stream')).body, 'ab');
  await request('/no/such/page');
  await request('/another/unknown');
  await request('/favicon.ico');
}

/**
 * On a real socket: abandons `/hang` mid-response, waits until nothing is in flight, and checks
 * the served exposition (the abandoned request counted once, in-flight back to 0, the stream
 * timed to its end, the request counter and the duration histogram on the same series).
 * Returns the exposition text for further checks.
 */
export async function assertServedMetrics(
  port: number,
  registry: Registry,
  options: ScenarioOptions,
): Promise<string> {
  assert.equal(await abandonAfterHeaders(port, '/hang'), 200);
  const { metrics } = new HttpInstrumentation({ registry });
  await settled(metrics.inFlight);
  const exposition = await send(port, '/metrics');
  assert.equal(exposition.status, 200);
  const requests = sortedSamples(exposition.body, 'http_requests_total');
  assert.deepEqual(
    requests,
    [...expectedRequests(options), 'http_requests_total{method="GET",route="/hang",status="200"} 1'].sort(),
  );
  assert.deepEqual(sortedSamples(exposition.body, 'http_request_exceptions_total'), EXPECTED_EXCEPTIONS);
  assert.deepEqual(
    sortedSamples(exposition.body, 'http_request_duration_seconds_count'),
    requests.map((line) => line.replace('http_requests_total', 'http_request_duration_seconds_count')),
  );
  assert.deepEqual(samples(exposition.body, 'http_requests_in_flight'), [
    'http_requests_in_flight{method="GET"} 0',
    'http_requests_in_flight{method="POST"} 0',
  ]);
  const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
  assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  return exposition.body;
}

/**
 * 1,000 requests to distinct tenants add one series, the tenant route's template: no tenant id
 * reaches a label. `registry` must hold only this app's metrics, fresh.
 */
export async function assertTenantsShareOneSeries(request: Requester, registry: Registry): Promise<void> {
  const tenants = 1000;
  for (let start = 0; start < tenants; start += 20) {
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await request(`/tenant/t${start + i}/items/9`);
        assert.equal(response.body, `tenant t${start + i} item 9`);
      }),
    );
  }
  const { metrics } = new HttpInstrumentation({ registry });
  await settled(metrics.inFlight);
  assert.equal(metrics.requests.snapshot().points.length, 1);
  assert.equal(
    metrics.requests.get({ method: 'GET', route: '/tenant/:tid/items/:id', status: '200' }),
    tenants,
  );
  assert.equal(metrics.duration.snapshot().points.length, 1);
}
