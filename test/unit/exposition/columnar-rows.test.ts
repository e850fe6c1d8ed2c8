/**
 * The encoders write the families of the library's own metrics from their columns, and any other
 * family from its points. Both paths must write the same bytes: a spread copy of a family has the
 * same points but no columns, so rendering the copy takes the point path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteSink } from '../../../src/exposition/byte-sink.js';
import { renderOpenMetrics, writeOpenMetricsRows } from '../../../src/exposition/openmetrics.js';
import { renderText, writeTextRows } from '../../../src/exposition/text.js';
import { Counter, Gauge, Histogram, type MetricFamily, Registry } from '../../../src/index.js';
import { ESCAPING_SCHEMES } from '../../../src/model/names.js';

async function families(): Promise<MetricFamily[]> {
  const registry = new Registry();
  const labelled = new Histogram({
    name: 'req_seconds',
    help: 'Requests.',
    labelNames: ['route', 'code'] as const,
    registry,
  });
  // Enough series that their text spans several batches.
  for (let i = 0; i < 700; i++) labelled.observe({ route: `/r/${i}`, code: `${200 + (i % 3)}` }, i / 97);
  labelled.observe({ route: 'quote " back \\ new\nline', code: '500' }, 3, { trace_id: 'abc' });
  labelled.observe({ route: '/r/1', code: '201' }, 0.02, { trace_id: 'x"y' });
  labelled.observe({ route: '/r/2', code: '202' }, Number.NaN);
  const unlabelled = new Histogram({ name: 'plain_seconds', help: 'Plain.', buckets: [0.5, 2], registry });
  unlabelled.observe(1);
  unlabelled.observe(5, { span: 's' });
  const negative = new Histogram({
    name: 'temperature_celsius',
    help: 'Below zero.',
    labelNames: ['room'] as const,
    buckets: [-10, 0, 10],
    registry,
  });
  negative.observe({ room: 'a' }, -20);
  negative.observe({ room: 'b' }, 5);
  const utf8 = new Histogram({
    name: 'http.server.duration',
    help: 'UTF-8 names.',
    labelNames: ['http.method'] as const,
    buckets: [1, 1e6],
    registry,
  });
  utf8.observe({ 'http.method': 'GET' }, 0.5);
  utf8.observe({ 'http.method': 'PUT' }, 2e6);
  const bare = new Histogram({ name: 'utf8.bare', help: 'No labels.', buckets: [1], registry });
  bare.observe(0.5);
  const counter = new Counter({ name: 'c_total', help: 'C.', labelNames: ['a'] as const, registry });
  for (let i = 0; i < 2000; i++) counter.inc({ a: `v${i}` }, i);
  const gauge = new Gauge({ name: 'g', help: 'G.', registry });
  gauge.set(-1.5);
  return registry.collect();
}

/** Copies that keep the points and lose the columns. */
function pointFamilies(fs: readonly MetricFamily[]): MetricFamily[] {
  return fs.map((f) => ({ ...f }));
}

test('text and OpenMetrics write the same bytes from columns as from points, in every escaping scheme', async () => {
  const fs = await families();
  const copies = pointFamilies(fs);
  for (const escaping of ESCAPING_SCHEMES) {
    assert.equal(renderText(fs, escaping), renderText(copies, escaping), `text, ${escaping}`);
    for (const createdSamples of [false, true]) {
      assert.equal(
        renderOpenMetrics(fs, { escaping, createdSamples }),
        renderOpenMetrics(copies, { escaping, createdSamples }),
        `OpenMetrics, ${escaping}, createdSamples ${createdSamples}`,
      );
    }
  }
});

test('a range of rows from columns is the same range from points', async () => {
  const fs = await families();
  const family = fs.find((f) => f.name === 'req_seconds')!;
  const [copy] = pointFamilies([family]);
  const count = family.points.length;
  assert.equal(count, 701);
  for (const [from, to] of [
    [0, 1],
    [5, 300],
    [299, count],
  ]) {
    let columnar = new ByteSink('text');
    let points = new ByteSink('text');
    writeTextRows(columnar, family, 'underscores', from!, to!);
    writeTextRows(points, copy!, 'underscores', from!, to!);
    assert.equal(columnar.text(), points.text(), `text rows ${from}-${to}`);
    columnar = new ByteSink('text');
    points = new ByteSink('text');
    writeOpenMetricsRows(columnar, family, { createdSamples: true }, from!, to!);
    writeOpenMetricsRows(points, copy!, { createdSamples: true }, from!, to!);
    assert.equal(columnar.text(), points.text(), `OpenMetrics rows ${from}-${to}`);
  }
});
