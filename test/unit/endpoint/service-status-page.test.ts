import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { familyRows, statusPage } from '../../../src/endpoint/status-page.js';
import { Counter, Gauge, Histogram, Registry } from '../../../src/index.js';
import { Service } from '../../../src/service/index.js';

function registry(): Registry {
  const r = new Registry();
  const c = new Counter({ name: 'few_total', help: 'Few.', labelNames: ['k'] as const, registry: r });
  c.inc({ k: 'a' });
  const g = new Gauge({
    name: 'many',
    help: 'Many <b>bold</b> & "quoted"',
    labelNames: ['k'] as const,
    registry: r,
  });
  for (let i = 0; i < 5; i++) g.set({ k: String(i) }, i);
  new Histogram({ name: 'lat_seconds', help: 'Latency.', buckets: [1, 2], registry: r }).observe(1);
  new Counter({ name: 'empty_total', help: 'No series yet.', labelNames: ['k'] as const, registry: r });
  return r;
}

test('rows list every family, largest first, with series and samples per scrape', async () => {
  const rows = familyRows(await registry().collect());
  assert.deepEqual(
    rows.map((r) => [r.name, r.type, r.series, r.samples]),
    [
      ['many', 'gauge', 5, 5],
      ['lat_seconds', 'histogram', 1, 5],
      ['few_total', 'counter', 1, 1],
      ['empty_total', 'counter', 0, 0],
    ],
  );
});

test('the page escapes registry text and links to each format and each family', async () => {
  const html = statusPage(await registry().collect(), {
    metricsPath: '/m"<x>',
    problem: 'collector <script>alert(1)</script> failed',
  });
  assert.ok(html.includes('Many &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;'));
  assert.ok(!html.includes('<script>'));
  assert.ok(!html.includes('<b>'));
  assert.ok(html.includes('href="/m&quot;&lt;x&gt;?format=protobuf"'));
  assert.ok(html.includes('href="/m&quot;&lt;x&gt;?name[]=lat_seconds"'));
  assert.ok(html.includes('collector &lt;script&gt;alert(1)&lt;/script&gt; failed'));
  assert.match(html, /4 families, 7 series, 11 samples per scrape/);
  // No external assets: nothing is loaded from a URL.
  assert.doesNotMatch(html, /<(script|link|img)\b|src=|url\(/);
});

test('the Service serves the status page with a strict CSP; a failing collector shows as a notice', async () => {
  const r = registry();
  r.register({
    describe: () => ['broken'],
    collect: () => {
      throw new Error('broken <collector>');
    },
  });
  const service = new Service({ registry: r, onCollectError: 'partial', onError: () => {} });
  await service.start();
  after(() => service.stop());
  const response = await fetch(service.rootUrl);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await response.text();
  assert.match(html, /Collection failed, so this list may be incomplete: .*broken &lt;collector&gt;/);
  assert.match(html, /<code>many<\/code>/);
  const linked = await fetch(`${service.metricsUrl}?format=openmetrics`);
  assert.match(linked.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
});
