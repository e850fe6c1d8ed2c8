'use strict';
// prom-client's API as a CommonJS app calls it. The test runs this file where `prom-client` is the
// real package and where it is the companion, and compares the two outputs.
const client = require('prom-client');
const { Counter, Gauge, Histogram, Registry, Summary, register } = client;

const requests = new Counter({ name: 'app_requests', help: 'Requests.', labelNames: ['method', 'code'] });
requests.inc({ method: 'GET', code: '200' });
requests.labels('GET', '200').inc(2);
requests.labels({ method: 'POST', code: '500' }).inc();
const temperature = new Gauge({ name: 'app_temperature_celsius', help: 'Temperature.' });
temperature.set(21.5);
temperature.dec(0.5);
const latency = new Histogram({
  name: 'app_latency_seconds',
  help: 'Latency.',
  labelNames: ['route'],
  buckets: client.linearBuckets(0.1, 0.1, 3),
});
latency.observe({ route: '/a' }, 0.15);
latency.labels('/a').observe(0.35);
latency.zero({ route: '/b' });
const sizes = new Summary({ name: 'app_size_bytes', help: 'Sizes.', percentiles: [0.5, 0.9] });
for (const size of [10, 20, 30, 40]) sizes.observe(size);
register.setDefaultLabels({ service: 'api' });
const own = new Registry();
new Counter({ name: 'own_events', help: 'Events.', registers: [own] }).inc(3);
// Merged without the default register: prom-client's merge drops default labels, except on the
// counters and gauges whose stored label objects its getMetricsAsJSON() has written them into.
const other = new Registry();
new Gauge({ name: 'other_level', help: 'Level.', labelNames: ['tank'], registers: [other] }).set(
  { tank: 'a' },
  2,
);

async function main() {
  const json = await register.getMetricsAsJSON();
  const out = {
    contentType: register.contentType,
    text: await register.metrics(),
    merged: await Registry.merge([own, other]).metrics(),
    single: await register.getSingleMetricAsString('app_requests'),
    names: json.map((metric) => metric.name).sort(),
    validName: client.validateMetricName('ok_name'),
    invalidName: client.validateMetricName('1bad'),
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
