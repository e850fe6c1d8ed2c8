/**
 * A Koa app with @koa/router and HTTP metrics: `tsx examples/koa.ts`, then
 * http://127.0.0.1:3000/users/1 and http://127.0.0.1:3000/metrics (PORT sets the port).
 * Published code imports from 'aioprometheus/koa'; this file imports the sources.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { koaMetrics } from '../src/middleware/koa.js';

const router = new Router();
router.get('/users/:id', (ctx) => {
  ctx.body = { id: ctx.params.id };
});

const app = new Koa();
app.use(koaMetrics());
app.use(router.routes());

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
