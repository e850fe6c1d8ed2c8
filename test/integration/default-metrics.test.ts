import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import { type MetricFamily, Registry, render } from '../../src/index.js';
import { findBinary, findPythonClient, run, tempDir } from '../helpers/processes.js';

/** Debian's golang-github-prometheus-procfs-dev (a dependency of the client_golang package). */
const GOPATH = '/usr/share/gocode';

// Prints the start time that Prometheus' procfs (client_golang's process collector) computes for a PID.
const PROCFS_START_TIME = `package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/prometheus/procfs"
)

func main() {
	pid, err := strconv.Atoi(os.Args[1])
	if err != nil {
		panic(err)
	}
	proc, err := procfs.NewProc(pid)
	if err != nil {
		panic(err)
	}
	stat, err := proc.Stat()
	if err != nil {
		panic(err)
	}
	start, err := stat.StartTime()
	if err != nil {
		panic(err)
	}
	fmt.Println(strconv.FormatFloat(start, 'g', -1, 64))
}
`;

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

test('process_start_time_seconds equals what client_golang’s procfs reports for this process', async (t) => {
  if (process.platform !== 'linux') return t.skip('procfs is Linux only');
  const go = findBinary('go');
  const procfs = join(GOPATH, 'src/github.com/prometheus/procfs');
  if (go === undefined || !existsSync(procfs)) {
    if (process.env.CI)
      throw new Error(`go and ${procfs} are required when CI is set; .ci/run installs them`);
    return t.skip('go or the Debian procfs Go package is not installed');
  }
  const dir = await tempDir(t, 'procfs');
  const main = join(dir, 'main.go');
  await writeFile(main, PROCFS_START_TIME);
  const registry = new Registry();
  t.after(collectDefaultMetrics({ registry }));
  const family = (await registry.collect()).find(
    (f: MetricFamily) => f.name === 'process_start_time_seconds',
  );
  assert.ok(family?.type === 'gauge');
  // Compiling on a loaded machine can take a minute.
  const result = await run(
    'env',
    [`GOPATH=${GOPATH}`, 'GO111MODULE=off', go, 'run', main, String(process.pid)],
    undefined,
    300_000,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(family.points[0]!.value, Number(result.stdout.trim()));
});
