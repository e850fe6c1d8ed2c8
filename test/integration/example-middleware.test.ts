/**
 * Runs each middleware example (examples/{http,express,fastify,koa,hono}.ts) as a child process
 * on a free port, sends it requests, and checks the route-labelled counts on its /metrics.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCommand, freePort, startProcess, waitFor } from '../helpers/processes.js';

const EXAMPLES = ['http', 'express', 'fastify', 'koa', 'hono'] as const;

describe('middleware examples', () => {
  for (const name of EXAMPLES) {
    it(`examples/${name}.ts counts requests by route template on its /metrics`, async (t) => {
      const port = await freePort();
      const { command, args } = exampleCommand(name, { PORT: String(port) });
      const example = startProcess(t, command, args);
      const base = `http://127.0.0.1:${port}`;
      await waitFor(`examples/${name}.ts to listen`, async () =>
        example.output().includes(`listening on ${base}`) ? true : undefined,
      );
      for (const id of ['1', '2', '3']) {
        const res = await fetch(`${base}/users/${id}`);
        const text = await res.text();
        assert.equal(res.status, 200, text);
        assert.equal((JSON.parse(text) as { id: string }).id, id);
      }
      assert.equal((await fetch(`${base}/wp-login.php`)).status, 404);
      const body = await waitFor(
        'all requests recorded',
        async () => {
          const text = await (await fetch(`${base}/metrics`)).text();
          return text.includes('http_requests_total{method="GET",route="<unmatched>",status="404"} 1')
            ? text
            : undefined;
        },
        60_000,
      );
      assert.match(body, /^http_requests_total\{method="GET",route="\/users\/:id",status="200"\} 3$/m);
      assert.match(
        body,
        /^http_request_duration_seconds_count\{method="GET",route="\/users\/:id",status="200"\} 3$/m,
      );
      assert.doesNotMatch(body, /route="\/users\/1"/);
      assert.doesNotMatch(body, /route="\/metrics"/);
    });
  }
});
