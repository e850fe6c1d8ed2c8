/**
 * The request sequence every framework adapter's test app answers, and the metrics it must
 * produce: two route-template hits, a POST to a mounted router, a rejected and a thrown handler,
 * a streamed response, two unmatched paths, an excluded favicon, and (on a real socket) a client
 * that leaves mid-response.
 */
import assert from 'node:assert/strict';
import type { Registry } from '../../src/index.js';
import { HttpInstrumentation } from '../../src/middleware/index.js';
import { abandonAfterHeaders, samples, send, settled } from './http-client.js';

export type Requester = (
  path: string,
  init?: { method?: string },
) => Promise<{ status: number; body: string }>;

/** `http_requests_total` after `exercise` (without the abandoned `/hang` request). */
export const EXPECTED_REQUESTS: readonly string[] = [
  'http_requests_total{method="GET",route="/async-fail",status="500"} 1',
  'http_requests_total{method="GET",route="/stream",status="200"} 1',
  'http_requests_total{method="GET",route="/sync-fail",status="500"} 1',
  'http_requests_total{method="GET",route="/users/:id",status="200"} 2',
  'http_requests_total{method="GET",route="<unmatched>",status="404"} 2',
  'http_requests_total{method="POST",route="/api/items/:id",status="201"} 1',
];

export const EXPECTED_EXCEPTIONS: readonly string[] = [
  'http_request_exceptions_total{method="GET",route="/async-fail"} 1',
  'http_request_exceptions_total{method="GET",route="/sync-fail"} 1',
];

/**
 * Sends the sequence. With `errorBodies`, the failing routes must answer with the app's error
 * handler's `handled: <message>` body; otherwise only their 500 status is checked.
 */
export async function exercise(request: Requester, errorBodies: boolean): Promise<void> {
  assert.equal((await request('/users/1')).body, 'user 1');
  await request('/users/2');
  assert.equal((await request('/api/items/7', { method: 'POST' })).status, 201);
  for (const [path, message] of [
    ['/async-fail', 'rejected'],
    ['/sync-fail', 'thrown'],
  ] as const) {
    const response = await request(path);
    if (errorBodies) assert.deepEqual([response.status, response.body], [500, `handled: ${message}`]);
    else assert.equal(response.status, 500);
  }
  assert.equal((await request('/stream')).body, 'ab');
  await request('/no/such/page');
  await request('/another/unknown');
  await request('/favicon.ico');
}

/**
 * On a real socket: abandons `/hang` mid-response, waits until nothing is in flight, and checks
 * the served exposition (the abandoned request counted once, in-flight back to 0, the stream
 * timed to its end). Returns the exposition text for further checks.
 */
export async function assertServedMetrics(port: number, registry: Registry): Promise<string> {
  assert.equal(await abandonAfterHeaders(port, '/hang'), 200);
  const { metrics } = new HttpInstrumentation({ registry });
  await settled(metrics.inFlight);
  const exposition = await send(port, '/metrics');
  assert.equal(exposition.status, 200);
  assert.deepEqual(samples(exposition.body, 'http_requests_total'), [
    EXPECTED_REQUESTS[0],
    'http_requests_total{method="GET",route="/hang",status="200"} 1',
    ...EXPECTED_REQUESTS.slice(1),
  ]);
  assert.deepEqual(samples(exposition.body, 'http_request_exceptions_total'), EXPECTED_EXCEPTIONS);
  assert.deepEqual(samples(exposition.body, 'http_requests_in_flight'), [
    'http_requests_in_flight{method="GET"} 0',
    'http_requests_in_flight{method="POST"} 0',
  ]);
  const streamed = metrics.duration.get({ method: 'GET', route: '/stream', status: '200' });
  assert.ok(streamed!.sum >= 0.1, `a streamed response is timed to its end, got ${streamed!.sum}`);
  return exposition.body;
}
