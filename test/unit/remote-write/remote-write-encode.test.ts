/**
 * What the RemoteWriter puts on the wire, decoded by test/helpers' decoders (written from the
 * schemas) after decompression by snappyjs: every field of 1.0 and 2.0 requests, and the Snappy
 * compressor against an independent implementation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { compress, uncompress } from 'snappyjs';
import {
  Counter,
  Gauge,
  Histogram,
  labelSet,
  type MetricFamily,
  Registry,
  Summary,
} from '../../../src/index.js';
import { compareUtf8 } from '../../../src/model/byte-order.js';
import { RemoteWriter, USER_AGENT } from '../../../src/remote-write/index.js';
import { snappyCompress } from '../../../src/remote-write/snappy.js';
import { type DecodedSeries, decodeV1, decodeV2 } from '../../helpers/remote-write-decoder.js';
import { startStubReceiver } from '../../helpers/remote-write-receiver.js';

const NOW = 1_700_000_000_123;

function populate(registry: Registry) {
  const jobs = new Counter({
    name: 'jobs_total',
    help: 'Jobs done.',
    labelNames: ['kind', 'Zone'] as const,
    registry,
  });
  jobs.inc({ kind: 'a"b\\c\nd ✓', Zone: 'eu' }, 2, { trace_id: 't1' });
  jobs.inc({ kind: 'empty', Zone: '' }, 1);
  new Gauge({ name: 'temp_celsius', help: 'T.', unit: 'celsius', registry }).set(-3.5);
  const h = new Histogram({ name: 'lat_seconds', help: 'L.', buckets: [0.5, 1], registry });
  h.observe(0.25);
  h.observe(2, { trace_id: 'slow' });
  const n = new Histogram({ name: 'nat_seconds', help: 'N.', native: true, registry });
  n.observe(1, { trace_id: 'n1' });
  n.observe(-4);
  n.observe(0);
  const s = new Summary({ name: 'size_bytes', help: 'S.', quantiles: [0.5], registry });
  s.observe(8);
  return { jobs, h, n };
}

/** Series grouped by metric name; within a name, sorted by their labels, so order of creation does not matter. */
function byName<S extends DecodedSeries>(series: readonly S[]): Map<string, S[]> {
  const out = new Map<string, S[]>();
  const sorted = [...series].sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
  for (const s of sorted) {
    const name = s.labels.find(([n]) => n === '__name__')![1];
    out.set(name, [...(out.get(name) ?? []), s]);
  }
  return out;
}

async function sendOnce(t: import('node:test').TestContext, protocol: '1.0' | '2.0', registry: Registry) {
  const receiver = await startStubReceiver(t, (_req, res) => {
    res
      .writeHead(204, {
        'x-prometheus-remote-write-samples-written': '999',
        'x-prometheus-remote-write-histograms-written': '999',
        'x-prometheus-remote-write-exemplars-written': '999',
      })
      .end();
  });
  const writer = new RemoteWriter({
    url: receiver.url,
    registry,
    protocol,
    metricsRegistry: null,
    now: () => NOW,
  });
  await writer.flush();
  assert.equal(receiver.requests.length, 1);
  return receiver.requests[0]!;
}

test('a 1.0 request: headers, every series with sorted labels, samples, exemplars, histograms, metadata', async (t) => {
  const registry = new Registry();
  const { n } = populate(registry);
  const request = await sendOnce(t, '1.0', registry);
  assert.equal(request.method, 'POST');
  assert.equal(request.headers['content-encoding'], 'snappy');
  assert.equal(request.headers['content-type'], 'application/x-protobuf');
  assert.equal(request.headers['x-prometheus-remote-write-version'], '0.1.0');
  assert.equal(request.headers['user-agent'], USER_AGENT);
  const decoded = decodeV1(request.body);
  for (const s of decoded.timeseries) {
    const names = s.labels.map(([name]) => name);
    assert.deepEqual(names, [...names].sort(compareUtf8), 'labels sorted by name');
    assert.ok(
      s.labels.every(([, v]) => v !== ''),
      'no empty label values',
    );
  }
  const series = byName(decoded.timeseries);
  const jobs = series.get('jobs_total')!;
  assert.deepEqual(
    jobs.map((s) => [s.labels, s.samples, s.exemplars]),
    [
      [
        [
          ['Zone', 'eu'],
          ['__name__', 'jobs_total'],
          ['kind', 'a"b\\c\nd ✓'],
        ],
        [{ value: 2, timestamp: NOW }],
        [{ labels: { trace_id: 't1' }, value: 2, timestamp: jobs[0]!.exemplars[0]!.timestamp }],
      ],
      [
        [
          ['__name__', 'jobs_total'],
          ['kind', 'empty'],
        ],
        [{ value: 1, timestamp: NOW }],
        [],
      ],
    ],
  );
  assert.ok(Math.abs(jobs[0]!.exemplars[0]!.timestamp - Date.now()) < 60_000, 'exemplar keeps its own time');
  assert.deepEqual(series.get('temp_celsius')![0]!.samples, [{ value: -3.5, timestamp: NOW }]);
  const buckets = series.get('lat_seconds_bucket')!;
  assert.deepEqual(
    buckets.map((b) => [b.labels.find(([k]) => k === 'le')![1], b.samples[0]!.value, b.exemplars.length]),
    [
      ['+Inf', 2, 1],
      ['0.5', 1, 0],
      ['1', 1, 0],
    ],
  );
  assert.deepEqual(series.get('lat_seconds_sum')![0]!.samples, [{ value: 2.25, timestamp: NOW }]);
  assert.deepEqual(series.get('lat_seconds_count')![0]!.samples, [{ value: 2, timestamp: NOW }]);
  assert.deepEqual(series.get('size_bytes')![0]!.labels, [
    ['__name__', 'size_bytes'],
    ['quantile', '0.5'],
  ]);
  assert.equal(series.get('size_bytes_count')![0]!.samples[0]!.value, 1);
  const native = series.get('nat_seconds')!;
  assert.equal(native.length, 1);
  assert.deepEqual(native[0]!.samples, [], 'a native histogram series carries no float sample');
  const expected = n.get()!.native!;
  assert.deepEqual(native[0]!.histograms, [
    {
      count: 3,
      sum: -3,
      schema: expected.schema,
      zeroThreshold: expected.zeroThreshold,
      zeroCount: 1,
      negativeSpans: expected.negativeSpans.map((s) => ({ ...s })),
      negativeDeltas: [...expected.negativeDeltas],
      positiveSpans: expected.positiveSpans.map((s) => ({ ...s })),
      positiveDeltas: [...expected.positiveDeltas],
      resetHint: 0,
      timestamp: NOW,
    },
  ]);
  assert.deepEqual(
    native[0]!.exemplars.map((e) => e.labels),
    [{ trace_id: 'n1' }],
  );
  assert.equal(series.has('nat_seconds_count'), false, 'no classic series without classic buckets');
  assert.deepEqual(
    decoded.metadata.map((m) => [m.name, m.type, m.help, m.unit]),
    [
      ['jobs_total', 1, 'Jobs done.', ''],
      ['lat_seconds', 3, 'L.', ''],
      ['nat_seconds', 3, 'N.', ''],
      ['size_bytes', 5, 'S.', ''],
      ['temp_celsius', 2, 'T.', 'celsius'],
    ],
  );
});

test('a 2.0 request: headers, a deduplicated symbol table, metadata and created timestamps per series', async (t) => {
  const registry = new Registry();
  const { jobs } = populate(registry);
  const request = await sendOnce(t, '2.0', registry);
  assert.equal(
    request.headers['content-type'],
    'application/x-protobuf;proto=io.prometheus.write.v2.Request',
  );
  assert.equal(request.headers['x-prometheus-remote-write-version'], '2.0.0');
  const decoded = decodeV2(request.body);
  const series = byName(decoded.timeseries);
  const first = series.get('jobs_total')![0]!;
  assert.deepEqual(first.labels, [
    ['Zone', 'eu'],
    ['__name__', 'jobs_total'],
    ['kind', 'a"b\\c\nd ✓'],
  ]);
  assert.deepEqual(first.samples, [{ value: 2, timestamp: NOW }]);
  assert.deepEqual(first.metadata, { type: 1, help: 'Jobs done.', unit: '' });
  // The created time of the very series `first` is, not of whichever series sorts first.
  const point = jobs.snapshot().points.find((p) => p.labels.values.includes('a"b\\c\nd ✓'));
  const created = (point as { created: number }).created;
  assert.equal(first.createdTimestamp, Math.round(created * 1000));
  assert.deepEqual(
    first.exemplars.map((e) => [e.labels, e.value]),
    [[{ trace_id: 't1' }, 2]],
  );
  assert.deepEqual(series.get('temp_celsius')![0]!.metadata, { type: 2, help: 'T.', unit: 'celsius' });
  assert.equal(series.get('temp_celsius')![0]!.createdTimestamp, 0, 'a gauge has no created timestamp');
  const native = series.get('nat_seconds')![0]!;
  assert.equal(native.samples.length, 0);
  assert.equal(native.histograms[0]!.count, 3);
  assert.equal(native.histograms[0]!.timestamp, NOW);
  assert.deepEqual(native.metadata, { type: 3, help: 'N.', unit: '' });
  assert.ok(native.createdTimestamp > 0);
  assert.ok(decoded.symbols.includes('__name__') && decoded.symbols.includes('le'));
});

test('a gauge histogram is sent with the GAUGE reset hint and its metadata type', async (t) => {
  const family: MetricFamily = {
    name: 'queue_wait_seconds',
    help: 'W.',
    type: 'gaugehistogram',
    points: [
      {
        labels: labelSet(),
        upperBounds: [],
        cumulativeCounts: [],
        count: 1,
        sum: 1,
        native: {
          schema: 0,
          zeroThreshold: 0,
          zeroCount: 0,
          positiveSpans: [{ offset: 0, length: 1 }],
          positiveDeltas: [1],
          negativeSpans: [],
          negativeDeltas: [],
        },
      },
    ],
  };
  const registry = new Registry();
  registry.register({ collect: () => [family] });
  const decoded = decodeV1((await sendOnce(t, '1.0', registry)).body);
  assert.equal(decoded.timeseries[0]!.histograms[0]!.resetHint, 3);
  assert.equal(decoded.metadata[0]!.type, 4);
});

test('labels sort in UTF-8 byte order, not UTF-16 order, in 2.0', async (t) => {
  const registry = new Registry();
  // U+FF5E sorts before U+1D11E in bytes (and code points), after it in UTF-16 units.
  registry.register({
    collect: () => [
      {
        name: 'utf',
        help: '',
        type: 'gauge',
        points: [{ labels: labelSet({ '𝄞': 'x', '～': 'y' }), value: 1 }],
      },
    ],
  });
  const decoded = decodeV2((await sendOnce(t, '2.0', registry)).body);
  assert.deepEqual(
    decoded.timeseries[0]!.labels.map(([n]) => n),
    ['__name__', '～', '𝄞'],
  );
});

test('our Snappy output decompresses with snappyjs, and equals the input, for any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200_000 }), fc.integer({ min: 1, max: 40 }), (bytes, repeat) => {
      // Repeat the random input so copies (near and far) are exercised, not only literals.
      const input = new Uint8Array(bytes.length * repeat);
      for (let i = 0; i < repeat; i++) input.set(bytes, i * bytes.length);
      assert.deepEqual(uncompress(snappyCompress(input)), input);
    }),
    { numRuns: 60 },
  );
});

test('snappyjs and our compressor agree on real request bodies; ours is no larger', () => {
  const source = new TextEncoder().encode(readFileSync(new URL(import.meta.url), 'utf8').repeat(20));
  const ours = snappyCompress(source);
  assert.deepEqual(uncompress(ours), source);
  assert.deepEqual(uncompress(compress(source)), source);
  assert.ok(ours.length <= compress(source).length * 1.01, `${ours.length} vs ${compress(source).length}`);
});

test('USER_AGENT names this package and its version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  assert.equal(USER_AGENT, `${pkg.name}/${pkg.version}`);
});
