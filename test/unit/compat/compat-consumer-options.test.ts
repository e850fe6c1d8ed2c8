// Options objects that middleware packages pass to the layer unchanged, as they do to prom-client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectDefaultMetrics, Registry, register } from '../../../src/compat/index.js';
import { MetricDefinitionError } from '../../../src/errors.js';

test("collectDefaultMetrics accepts fastify-metrics' { enabled: true, ...config } and collects", async () => {
  const register = new Registry();
  collectDefaultMetrics({ enabled: true, register, prefix: 'app_' } as Parameters<
    typeof collectDefaultMetrics
  >[0]);
  assert.match(await register.metrics(), /^app_process_cpu_user_seconds_total \d/m);
});

test('collectDefaultMetrics refuses an enabled flag other than true, naming it', () => {
  for (const enabled of [false, 'yes']) {
    assert.throws(
      () =>
        collectDefaultMetrics({ enabled, register: new Registry() } as Parameters<
          typeof collectDefaultMetrics
        >[0]),
      (error: unknown) =>
        error instanceof MetricDefinitionError &&
        error.message.includes(`enabled must be true`) &&
        error.message.includes(String(enabled)),
    );
  }
});

test('Registry.merge and register are typed as prom-client types them (type-checked by tsc)', async () => {
  const mine = new Registry();
  // prom-client declares `register: Registry` and `merge(registers: Registry[]): Registry`.
  const merged: Registry = Registry.merge([mine, register]);
  assert.equal(merged.contentType, register.contentType);
});
