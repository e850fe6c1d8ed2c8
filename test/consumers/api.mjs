// prom-client's API as an ES module imports it: default and named imports, and a `require` of the
// same package in the same process, which must share the default registry.
import { createRequire } from 'node:module';
import client, { Counter, Histogram, register } from 'prom-client';

const required = createRequire(import.meta.url)('prom-client');
const jobs = new Counter({ name: 'esm_jobs', help: 'Jobs.', labelNames: ['queue'] });
jobs.labels('mail').inc(4);
const fromRequire = new required.Counter({ name: 'cjs_jobs', help: 'Jobs from require.' });
fromRequire.inc(2);
const duration = new Histogram({ name: 'esm_duration_seconds', help: 'Duration.', buckets: [1, 2] });
const end = duration.startTimer();
end();

process.stdout.write(
  JSON.stringify({
    sameRegister: register === required.register && client.register === register,
    sameCounter: client.Counter === Counter && required.Counter === Counter,
    text: await register.metrics(),
  }),
);
