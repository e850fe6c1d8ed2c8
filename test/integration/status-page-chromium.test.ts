/**
 * The Service's status page in headless Chromium: the page renders (a screenshot is taken) and
 * the DOM Chromium built lists every family of the registry with its series count, largest
 * first, with registry text shown as text, not markup.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from '../../src/index.js';
import { Service } from '../../src/service/index.js';
import { findBinary, run, tempDir } from '../helpers/processes.js';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function chromium(t: TestContext, args: readonly string[]): Promise<string> {
  const binary = findBinary('chromium');
  assert.ok(binary, 'chromium is not installed');
  const profile = await tempDir(t, 'chromium-profile');
  const result = await run(
    binary,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args],
    undefined,
    90_000,
  );
  assert.equal(result.code, 0, `chromium failed: ${result.stderr}`);
  return result.stdout;
}

function populate(): Registry {
  const registry = new Registry();
  const users = new Gauge({
    name: 'app_users',
    help: 'Users <online> & "active"',
    labelNames: ['id'] as const,
    registry,
  });
  for (let i = 0; i < 25; i++) users.set({ id: String(i) }, i);
  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests.',
    labelNames: ['code'] as const,
    registry,
  });
  for (const code of ['200', '404', '500']) requests.inc({ code });
  new Histogram({ name: 'app_latency_seconds', help: 'Latency.', registry }).observe(0.1);
  return registry;
}

test('the status page lists every family and its series count, largest first, in Chromium', async (t) => {
  const registry = populate();
  const service = new Service({ registry });
  await service.start();
  t.after(() => service.stop());
  const dir = await tempDir(t, 'status-page');
  const screenshot = join(dir, 'status.png');
  await chromium(t, [`--screenshot=${screenshot}`, '--window-size=1200,800', service.rootUrl]);
  assert.ok((await stat(screenshot)).size > 1000, 'a screenshot was written');

  const dom = await chromium(t, ['--dump-dom', service.rootUrl]);
  const rows = [
    ...dom.matchAll(
      /<tr><td><a href="[^"]*"><code>([^<]+)<\/code><\/a><\/td><td>([^<]+)<\/td><td class="n">(\d+)<\/td>/g,
    ),
  ].map((m) => [m[1], m[2], Number(m[3])]);
  const expected = (await registry.collect())
    .map((f) => [f.name, f.type, f.points.length] as const)
    .sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : 1));
  assert.deepEqual(rows, expected);
  assert.equal(rows[0]![0], 'app_users');
  // The help text arrives as text: Chromium shows the escaped characters, and built no element from it.
  assert.ok(dom.includes('Users &lt;online&gt; &amp; "active"'));
  assert.doesNotMatch(dom, /<online>/);
});
