/**
 * A Hono app on @hono/node-server with HTTP metrics: `tsx examples/hono.ts`, then
 * http://127.0.0.1:3000/users/1 and http://127.0.0.1:3000/metrics (PORT sets the port).
 * Published code imports from 'aioprometheus/hono'; this file imports the sources.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { honoMetrics } from '../src/middleware/hono.js';

const app = new Hono();
app.use(honoMetrics());
app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
  console.log(`listening on http://127.0.0.1:${port}`),
);
