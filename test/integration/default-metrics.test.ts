import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import { Registry, render } from '../../src/index.js';
import { findPythonClient, run } from '../helpers/processes.js';

// Parses OpenMetrics with the official Python parser and prints "name type unit" per family.
const PARSE = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for f in text_string_to_metric_families(sys.stdin.read()):
    print(f.name, f.type, f.unit or '-')
`;

test('the default metrics in OpenMetrics pass the Python client parser, with their types and units', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) {
    t.skip('/usr/bin/python3 with prometheus_client is not installed');
    return;
  }
  const registry = new Registry();
  const stop = collectDefaultMetrics({ registry, prefix: 'app_', labels: { service: 'cart' } });
  t.after(stop);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const { body } = await render(registry, 'application/openmetrics-text; version=1.0.0');
  const result = await run(python, ['-c', PARSE], String(body));
  assert.equal(result.code, 0, result.stderr);
  const parsed = new Set(result.stdout.trim().split('\n'));
  for (const line of [
    'app_process_cpu_seconds counter seconds',
    'app_process_resident_memory_bytes gauge bytes',
    'app_nodejs_gc_duration_seconds histogram seconds',
    'app_nodejs_eventloop_lag_p99_seconds gauge seconds',
    'app_nodejs_eventloop_utilization_ratio gauge ratio',
    'app_nodejs_eventloop_active_seconds counter seconds',
    'app_nodejs_version_info gauge -',
    'app_nodejs_active_handles_total gauge -',
  ]) {
    assert.ok(parsed.has(line), `${line} not in:\n${result.stdout}`);
  }
});
