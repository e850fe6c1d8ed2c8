'use strict';
// fastify-metrics with its defaults: default metrics plus a route histogram and summary, exposed at /metrics.
const Fastify = require('fastify');
const metricsPlugin = require('fastify-metrics');

async function main() {
  const app = Fastify();
  await app.register(metricsPlugin, { endpoint: '/metrics' });
  app.get('/hello', async () => 'hello');
  app.get('/fail', async (_request, reply) => reply.code(500).send('failed'));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stdout.write('listening\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
