// Calls as prom-client's typings allow them from an ES module; type-checked like types.cts.
import client, { Histogram, type LabelValues, Registry, register } from 'prom-client';

const registry = new Registry();
const histogram = new Histogram({
  name: 'typed_latency_seconds',
  help: 'Latency.',
  labelNames: ['route'] as const,
  buckets: client.exponentialBuckets(0.01, 2, 5),
  registers: [registry],
});
const labels: LabelValues<'route'> = { route: '/a' };
histogram.observe(labels, 0.2);
const end = histogram.startTimer({ route: '/b' });
export const seconds: number = end();
registry.setDefaultLabels({ service: 'typed' });
export const merged: Registry = Registry.merge([registry, register]);
export const json = await registry.getMetricsAsJSON();
