// @hono/prometheus on @hono/node-server: its middleware on every route, its printMetrics at /metrics.
import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import { Hono } from 'hono';

const { printMetrics, registerMetrics } = prometheus({ collectDefaultMetrics: true });
const app = new Hono();
app.use('*', registerMetrics);
app.get('/metrics', printMetrics);
app.get('/hello', (c) => c.text('hello'));
app.get('/fail', (c) => c.text('failed', 500));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => {
  process.stdout.write('listening\n');
});
