// Calls as prom-client's typings allow them from CommonJS TypeScript; the test type-checks this
// file against the companion's declarations (and the repository's tsc checks it against prom-client).
import client = require('prom-client');

const counter = new client.Counter({
  name: 'typed_requests',
  help: 'Requests.',
  labelNames: ['code'] as const,
});
counter.labels('200').inc();
counter.inc({ code: 500 }, 2);
const gauge: client.Gauge<'queue'> = new client.Gauge({
  name: 'typed_queue',
  help: 'Queue.',
  labelNames: ['queue'],
});
gauge.set({ queue: 'a' }, 1);
const summary = new client.Summary({
  name: 'typed_sizes',
  help: 'Sizes.',
  percentiles: [0.5],
  maxAgeSeconds: 60,
  ageBuckets: 5,
});
summary.observe(3);
const render: Promise<string> = client.register.metrics();
const type: string = client.register.contentType;
export = { render, type };
