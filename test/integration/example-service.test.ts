import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleCommand, freePort, startProcess, waitFor } from '../helpers/processes.js';

test('the README example serves its metrics on PORT and stops cleanly on SIGTERM', async (t) => {
  const port = await freePort();
  // The signal below must reach the example itself, which exampleCommand sees to.
  const { command, args } = exampleCommand('service', { PORT: String(port) });
  const example = startProcess(t, command, args);
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  await waitFor('the example to announce its URL', async () =>
    example.output().includes(`Serving prometheus metrics on: ${metricsUrl}\n`) ? true : undefined,
  );

  // The handler sleeps up to 1 s per request: wait until one has been timed.
  const body = await waitFor('a timed request', async () => {
    const text = await (await fetch(metricsUrl)).text();
    return /^request_processing_seconds_count [1-9]\d*$/m.test(text) ? text : undefined;
  });
  assert.match(
    body,
    /^# HELP request_handler_requests_total Requests handled\.\n# TYPE request_handler_requests_total counter\nrequest_handler_requests_total\{route="\/"\} [1-9]\d*\n/,
  );
  assert.match(body, /^# TYPE request_processing_seconds summary$/m);
  for (const q of ['0.5', '0.9', '0.99']) {
    assert.match(
      body,
      new RegExp(`^request_processing_seconds\\{quantile="${q}"\\} 0\\.\\d+(e-\\d+)?$`, 'm'),
    );
  }
  const sum = Number(/^request_processing_seconds_sum (\S+)$/m.exec(body)?.[1]);
  const count = Number(/^request_processing_seconds_count (\S+)$/m.exec(body)?.[1]);
  assert.ok(sum > 0 && sum <= count, `sum ${sum} of ${count} sleeps of at most 1 s each`);

  example.child.kill('SIGTERM');
  const [code, signal] = await waitFor('the example to exit', async () =>
    example.child.exitCode !== null || example.child.signalCode !== null
      ? [example.child.exitCode, example.child.signalCode]
      : undefined,
  );
  assert.equal(signal, null);
  assert.equal(code, 0, example.output());
  assert.match(example.output(), /Stopped\.\n$/);
});
