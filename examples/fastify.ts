/**
 * A Fastify app with HTTP metrics: `tsx examples/fastify.ts`, then
 * http://127.0.0.1:3000/users/1 and http://127.0.0.1:3000/metrics (PORT sets the port).
 * Published code imports from 'aioprometheus/fastify'; this file imports the sources.
 */
import Fastify from 'fastify';
import { fastifyMetrics } from '../src/middleware/fastify.js';

const app = Fastify();
await app.register(fastifyMetrics);
app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));

const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${port}`);
