import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { encodeInSlices } from '../../../src/endpoint/slices.js';
import { renderOpenMetrics, renderProtobuf, renderText } from '../../../src/exposition/index.js';
import { gzipChunks } from '../../../src/gzip.js';
import {
  Counter,
  Gauge,
  Histogram,
  type MetricFamily,
  negotiate,
  Registry,
  Summary,
} from '../../../src/index.js';

async function registryWithEveryType(series: number): Promise<readonly MetricFamily[]> {
  const registry = new Registry();
  const labelNames = ['id'] as const;
  const counter = new Counter({ name: 'c_total', help: 'C.', labelNames, registry });
  const gauge = new Gauge({ name: 'g', help: 'G with "quotes" and \\ backslash.', labelNames, registry });
  const histogram = new Histogram({
    name: 'h_seconds',
    help: 'H.',
    labelNames,
    registry,
    buckets: [0.1, 1, 10],
  });
  const summary = new Summary({ name: 's', help: '', labelNames, registry });
  new Counter({ name: 'unused_total', help: 'No series.', labelNames, registry });
  for (let i = 0; i < series; i++) {
    const id = `series-${i}`;
    counter.inc({ id }, i);
    gauge.set({ id }, -i / 3);
    histogram.observe({ id }, i % 13);
    summary.observe({ id }, i);
  }
  return registry.collect();
}

async function concat(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

test('sliced encoding is byte for byte the one-piece encoding, in every format', async () => {
  const families = await registryWithEveryType(3000);
  const text = negotiate(undefined);
  const om = negotiate('application/openmetrics-text;version=1.0.0');
  const pb = negotiate(
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  );
  assert.equal(
    (await concat(encodeInSlices(families, text, { createdSamples: false }))).toString(),
    renderText(families),
  );
  for (const createdSamples of [false, true]) {
    assert.equal(
      (await concat(encodeInSlices(families, om, { createdSamples }))).toString(),
      renderOpenMetrics(families, { createdSamples }),
    );
  }
  assert.deepEqual(
    new Uint8Array(await concat(encodeInSlices(families, pb, { createdSamples: false }))),
    renderProtobuf(families),
  );
  assert.equal(
    gunzipSync(
      await concat(gzipChunks(encodeInSlices(families, text, { createdSamples: false }))),
    ).toString(),
    renderText(families),
  );
});

test('a large family is encoded in many chunks, giving the event loop turns in between', async () => {
  const families = await registryWithEveryType(40_000);
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  let chunks = 0;
  for await (const _ of encodeInSlices(families, negotiate(undefined), { createdSamples: false })) chunks++;
  counting = false;
  assert.ok(chunks > 10, `${chunks} chunks`);
  assert.ok(turns > 1, `${turns} event-loop turns during encoding`);
});

test('encoding stops once the signal aborts', async () => {
  const families = await registryWithEveryType(40_000);
  const full = (await concat(encodeInSlices(families, negotiate(undefined), { createdSamples: false })))
    .length;
  const gone = new AbortController();
  let bytes = 0;
  for await (const chunk of encodeInSlices(families, negotiate(undefined), {
    createdSamples: false,
    signal: gone.signal,
  })) {
    bytes += chunk.byteLength;
    gone.abort();
  }
  assert.ok(bytes < full / 4, `${bytes} of ${full} bytes encoded after the abort`);
});
