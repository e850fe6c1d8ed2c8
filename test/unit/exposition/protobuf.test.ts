import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  create,
  createFileRegistry,
  type DescMessage,
  fromBinary,
  type JsonObject,
  toJson,
} from '@bufbuild/protobuf';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import {
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as T,
} from '@bufbuild/protobuf/wkt';
import fc from 'fast-check';
import { parseProtobuf, renderProtobuf, renderText } from '../../../src/exposition/index.js';
import {
  type Exemplar,
  type HistogramPoint,
  isInvalidValueError,
  isProtobufDecodeError,
  labelSet,
  type MetricFamily,
  Registry,
  render,
  type SummaryPoint,
} from '../../../src/index.js';
import { snapshotArbitrary, snapshotSeed } from '../../helpers/random-snapshot.js';

/** prometheus/common's expfmt testdata, copied into test/conformance. */
const EXPFMT = new URL('../../conformance/expfmt', import.meta.url).pathname;

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
const bytesOf = (spaced: string) => new Uint8Array(Buffer.from(spaced.replace(/\s+/g, ''), 'hex'));

/**
 * An independent oracle: protobuf-es' reflection decoder, driven by a descriptor of the
 * io.prometheus.client schema built here from the docs/formats.md §3 table (not from our encoder's
 * constants), reading each length-prefixed message with BinaryReader.
 */
const oracle = (() => {
  const f = (name: string, number: number, type: T, extra: { label?: Label; typeName?: string } = {}) => ({
    name,
    jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    number,
    type,
    label: extra.label ?? Label.OPTIONAL,
    ...(extra.typeName === undefined ? {} : { typeName: extra.typeName }),
  });
  const rep = Label.REPEATED;
  const m = (n: string) => `.io.prometheus.client.${n}`;
  const ts = '.google.protobuf.Timestamp';
  const file = create(FileDescriptorProtoSchema, {
    name: 'metrics.proto',
    package: 'io.prometheus.client',
    syntax: 'proto2',
    dependency: ['google/protobuf/timestamp.proto'],
    enumType: [
      {
        name: 'MetricType',
        value: ['COUNTER', 'GAUGE', 'SUMMARY', 'UNTYPED', 'HISTOGRAM', 'GAUGE_HISTOGRAM'].map(
          (name, number) => ({
            name,
            number,
          }),
        ),
      },
    ],
    messageType: [
      { name: 'LabelPair', field: [f('name', 1, T.STRING), f('value', 2, T.STRING)] },
      { name: 'Gauge', field: [f('value', 1, T.DOUBLE)] },
      { name: 'Untyped', field: [f('value', 1, T.DOUBLE)] },
      {
        name: 'Counter',
        field: [
          f('value', 1, T.DOUBLE),
          f('exemplar', 2, T.MESSAGE, { typeName: m('Exemplar') }),
          f('created_timestamp', 3, T.MESSAGE, { typeName: ts }),
        ],
      },
      { name: 'Quantile', field: [f('quantile', 1, T.DOUBLE), f('value', 2, T.DOUBLE)] },
      {
        name: 'Summary',
        field: [
          f('sample_count', 1, T.UINT64),
          f('sample_sum', 2, T.DOUBLE),
          f('quantile', 3, T.MESSAGE, { label: rep, typeName: m('Quantile') }),
          f('created_timestamp', 4, T.MESSAGE, { typeName: ts }),
        ],
      },
      {
        name: 'Histogram',
        field: [
          f('sample_count', 1, T.UINT64),
          f('sample_count_float', 4, T.DOUBLE),
          f('sample_sum', 2, T.DOUBLE),
          f('bucket', 3, T.MESSAGE, { label: rep, typeName: m('Bucket') }),
          f('created_timestamp', 15, T.MESSAGE, { typeName: ts }),
          f('schema', 5, T.SINT32),
          f('zero_threshold', 6, T.DOUBLE),
          f('zero_count', 7, T.UINT64),
          f('zero_count_float', 8, T.DOUBLE),
          f('negative_span', 9, T.MESSAGE, { label: rep, typeName: m('BucketSpan') }),
          f('negative_delta', 10, T.SINT64, { label: rep }),
          f('negative_count', 11, T.DOUBLE, { label: rep }),
          f('positive_span', 12, T.MESSAGE, { label: rep, typeName: m('BucketSpan') }),
          f('positive_delta', 13, T.SINT64, { label: rep }),
          f('positive_count', 14, T.DOUBLE, { label: rep }),
          f('exemplars', 16, T.MESSAGE, { label: rep, typeName: m('Exemplar') }),
        ],
      },
      {
        name: 'Bucket',
        field: [
          f('cumulative_count', 1, T.UINT64),
          f('cumulative_count_float', 4, T.DOUBLE),
          f('upper_bound', 2, T.DOUBLE),
          f('exemplar', 3, T.MESSAGE, { typeName: m('Exemplar') }),
        ],
      },
      { name: 'BucketSpan', field: [f('offset', 1, T.SINT32), f('length', 2, T.UINT32)] },
      {
        name: 'Exemplar',
        field: [
          f('label', 1, T.MESSAGE, { label: rep, typeName: m('LabelPair') }),
          f('value', 2, T.DOUBLE),
          f('timestamp', 3, T.MESSAGE, { typeName: ts }),
        ],
      },
      {
        name: 'Metric',
        field: [
          f('label', 1, T.MESSAGE, { label: rep, typeName: m('LabelPair') }),
          f('gauge', 2, T.MESSAGE, { typeName: m('Gauge') }),
          f('counter', 3, T.MESSAGE, { typeName: m('Counter') }),
          f('summary', 4, T.MESSAGE, { typeName: m('Summary') }),
          f('untyped', 5, T.MESSAGE, { typeName: m('Untyped') }),
          f('histogram', 7, T.MESSAGE, { typeName: m('Histogram') }),
          f('timestamp_ms', 6, T.INT64),
        ],
      },
      {
        name: 'MetricFamily',
        field: [
          f('name', 1, T.STRING),
          f('help', 2, T.STRING),
          f('type', 3, T.ENUM, { typeName: m('MetricType') }),
          f('metric', 4, T.MESSAGE, { label: rep, typeName: m('Metric') }),
          f('unit', 5, T.STRING),
        ],
      },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp : undefined,
  );
  const desc = registry.getMessage('io.prometheus.client.MetricFamily') as DescMessage;
  return (stream: Uint8Array): JsonObject[] => {
    const out: JsonObject[] = [];
    const r = new BinaryReader(stream);
    while (r.pos < r.len) out.push(toJson(desc, fromBinary(desc, r.bytes()), { registry }) as JsonObject);
    return out;
  };
})();

const ls = labelSet;
const ex = (labels: Record<string, string>, value: number, timestamp?: number): Exemplar =>
  timestamp === undefined ? { labels: ls(labels), value } : { labels: ls(labels), value, timestamp };

/** One family of every type, with exemplars, created timestamps and native histograms. */
const everyType: MetricFamily[] = [
  {
    name: 'requests_total',
    help: 'Requests.',
    type: 'counter',
    points: [
      { labels: ls({ code: '200', method: 'GET' }), value: 42, created: 1_700_000_000.25 },
      {
        labels: ls({ code: '500', method: 'GET' }),
        value: 1.5,
        created: 1_700_000_001,
        exemplar: ex({ trace_id: 'abc' }, 1, 1_700_000_002.5),
      },
      { labels: ls({ code: '404', method: 'PUT' }), value: 0, timestampMs: 1_700_000_000_123 },
    ],
  },
  {
    name: 'temperature_celsius',
    help: 'Temperature.',
    type: 'gauge',
    unit: 'celsius',
    points: [
      { labels: ls({ room: 'a "quoted"\\ name\nwith newline' }), value: -3.25 },
      { labels: ls({ room: '' }), value: Number.NaN },
      { labels: ls({ room: 'Björn 佖佥' }), value: Number.POSITIVE_INFINITY },
    ],
  },
  { name: 'legacy', help: '', type: 'untyped', points: [{ labels: ls(), value: Number.NEGATIVE_INFINITY }] },
  {
    name: 'latency_seconds',
    help: 'Latency.',
    type: 'summary',
    points: [
      {
        labels: ls({ path: '/' }),
        quantiles: [
          { quantile: 0.5, value: 0.25 },
          { quantile: 0.99, value: 1.75 },
        ],
        count: 12,
        sum: 6.5,
        created: 1_600_000_000.5,
      },
    ],
  },
  {
    name: 'size_bytes',
    help: 'Sizes.',
    type: 'histogram',
    points: [
      {
        labels: ls({ path: '/' }),
        upperBounds: [0.5, 1, 2.5],
        cumulativeCounts: [1, 3, 3],
        count: 4,
        sum: 9,
        created: 1_650_000_000,
        exemplars: [ex({ trace_id: 'x' }, 0.25, 1_650_000_001), undefined, undefined, ex({}, 7)],
      },
      {
        labels: ls({ path: '/native' }),
        upperBounds: [1],
        cumulativeCounts: [2],
        count: 6,
        sum: -1.5,
        native: {
          schema: 3,
          zeroThreshold: 2.938735877055719e-39,
          zeroCount: 1,
          positiveSpans: [
            { offset: -2, length: 2 },
            { offset: 2, length: 1 },
          ],
          positiveDeltas: [3, -1, -1],
          negativeSpans: [{ offset: 1, length: 1 }],
          negativeDeltas: [1],
        },
      },
      {
        labels: ls({ path: '/empty-native' }),
        upperBounds: [],
        cumulativeCounts: [],
        count: 0,
        sum: 0,
        native: {
          schema: -4,
          zeroThreshold: 0,
          zeroCount: 0,
          positiveSpans: [],
          positiveDeltas: [],
          negativeSpans: [],
          negativeDeltas: [],
        },
      },
    ],
  },
  {
    name: 'queue_items',
    help: 'Queue.',
    type: 'gaugehistogram',
    points: [{ labels: ls(), upperBounds: [10], cumulativeCounts: [2], count: 5, sum: 30, timestampMs: -5 }],
  },
];

describe('renderProtobuf bytes', () => {
  test('writes a gauge family as a varint length and MetricFamily{name, help, type, metric{gauge{value}}}', () => {
    const bytes = renderProtobuf([
      { name: 'g', help: 'h', type: 'gauge', points: [{ labels: ls(), value: 1 }] },
    ]);
    // Gauge{value=1.0}: tag 1/fixed64 = 09, then 1.0 little-endian = 00 00 00 00 00 00 f0 3f (9 bytes).
    // Metric{gauge=2}: tag 2/len = 12, length 09 (11 bytes). MetricFamily: name 0a 01 'g'; help 12 01 'h';
    // type GAUGE=1: 18 01; metric 4/len = 22 0b + 11 bytes. 3+3+2+2+11 = 21 = 0x15 is the delimiting prefix.
    assert.equal(hex(bytes), hex(bytesOf('15 0a0167 120168 1801 220b 1209 09 000000000000f03f')));
  });

  test('writes a counter with labels and a created timestamp, in field order as client_golang does', () => {
    const bytes = renderProtobuf([
      {
        name: 'c_total',
        help: '',
        type: 'counter',
        points: [{ labels: ls({ a: 'b' }), value: 2, created: 1.5 }],
      },
    ]);
    // LabelPair{name 'a', value 'b'} = 0a0161 120162 (6 bytes) in Metric.label: 0a 06 ...
    // Timestamp{seconds 1, nanos 500000000}: 08 01, 10 + varint(500000000) = 80 ca b5 ee 01 → 8 bytes.
    // Counter: value 09 + 2.0 = 00..00 40, then created (field 3) 1a 08 + 8 bytes → 19 = 0x13 bytes.
    // Metric: 8 (label) + 2 + 19 = 29 = 0x1d. Family: 0a 07 'c_total' (9) + 12 00 + 18 00 (COUNTER) + 22 1d + 29 = 44 = 0x2c.
    const expected = bytesOf(`2c 0a07${Buffer.from('c_total').toString('hex')} 1200 1800 221d
      0a06 0a0161 120162  1a13 09 0000000000000040  1a08 0801 1080cab5ee01`);
    assert.equal(hex(bytes), hex(expected));
  });

  test('writes a classic histogram without the +Inf bucket', () => {
    const bytes = renderProtobuf([
      {
        name: 'h',
        help: '',
        type: 'histogram',
        points: [{ labels: ls(), upperBounds: [1], cumulativeCounts: [1], count: 2, sum: 3.5 }],
      },
    ]);
    // Histogram: sample_count 08 02; sample_sum 11 + 3.5 (00..0c40); bucket 1a 0b {08 01, 11 + 1.0} → 24 bytes.
    // Metric: histogram is field 7 → 3a 18. Family: 0a0168 1200 1804 (HISTOGRAM) 221a + 26 = 35 = 0x23.
    const expected = bytesOf(`23 0a0168 1200 1804 221a 3a18 0802 11 0000000000000c40
      1a0b 0801 11 000000000000f03f`);
    assert.equal(hex(bytes), hex(expected));
  });

  test('gives an empty native histogram with zero threshold 0 a no-op span, and zigzags schema and deltas', () => {
    const native = (positiveDeltas: number[]) => ({
      schema: 3,
      zeroThreshold: 0,
      zeroCount: 0,
      positiveSpans: positiveDeltas.length === 0 ? [] : [{ offset: -1, length: positiveDeltas.length }],
      positiveDeltas,
      negativeSpans: [],
      negativeDeltas: [],
    });
    const family = (deltas: number[]): MetricFamily[] => [
      {
        name: 'n',
        help: '',
        type: 'histogram',
        points: [
          { labels: ls(), upperBounds: [], cumulativeCounts: [], count: 0, sum: 0, native: native(deltas) },
        ],
      },
    ];
    // Histogram: 08 00; 11 + 0.0; schema (5, sint32) 28 + zigzag(3)=06; zero_threshold (6, double) 31 + 0.0;
    // zero_count (7) 38 00; positive_span (12, len → 0x62) 04 {offset 08 00, length 10 00} → 30 bytes.
    // Metric 3a 1e (32 bytes); family 0a016e 1200 1804 2220 + 32 = 41 = 0x29.
    const empty = bytesOf(`29 0a016e 1200 1804 2220 3a1e 0800 11 0000000000000000 2806
      31 0000000000000000 3800 6204 0800 1000`);
    assert.equal(hex(renderProtobuf(family([]))), hex(empty));
    // A span {offset -1 → zigzag 01, length 2} and deltas 1, -2 (field 13 → tag 68; zigzag 02, 03), unpacked.
    const two = bytesOf(`2d 0a016e 1200 1804 2224 3a22 0800 11 0000000000000000 2806
      31 0000000000000000 3800 6204 0801 1002 6802 6803`);
    assert.equal(hex(renderProtobuf(family([1, -2]))), hex(two));
  });

  test('leaves out families without series', () => {
    assert.equal(renderProtobuf([{ name: 'x', help: '', type: 'gauge', points: [] }]).length, 0);
  });

  test('adds the +Inf bucket only when it carries an exemplar, as client_golang does', () => {
    const [family] = oracle(renderProtobuf([everyType[4]!]));
    const buckets = (family!.metric as JsonObject[]).map(
      (m) => ((m.histogram as JsonObject).bucket ?? []) as JsonObject[],
    );
    assert.deepEqual(
      buckets.map((b) => b.map((x) => x.upperBound)),
      [[0.5, 1, 2.5, 'Infinity'], [1], []],
    );
    assert.equal(buckets[0]![3]!.cumulativeCount, '4');
  });
});

describe('renderProtobuf read by an independent decoder', () => {
  test('protobuf-es reflection sees every field as written', () => {
    const json = oracle(renderProtobuf(everyType));
    assert.deepEqual(
      json.map((f) => [f.name, f.type, (f.metric as unknown[]).length]),
      [
        ['requests_total', 'COUNTER', 3],
        ['temperature_celsius', 'GAUGE', 3],
        ['legacy', 'UNTYPED', 1],
        ['latency_seconds', 'SUMMARY', 1],
        ['size_bytes', 'HISTOGRAM', 3],
        ['queue_items', 'GAUGE_HISTOGRAM', 1],
      ],
    );
    assert.deepEqual(json[0]!.metric, [
      {
        label: [
          { name: 'code', value: '200' },
          { name: 'method', value: 'GET' },
        ],
        counter: { value: 42, createdTimestamp: '2023-11-14T22:13:20.250Z' },
      },
      {
        label: [
          { name: 'code', value: '500' },
          { name: 'method', value: 'GET' },
        ],
        counter: {
          value: 1.5,
          exemplar: {
            label: [{ name: 'trace_id', value: 'abc' }],
            value: 1,
            timestamp: '2023-11-14T22:13:22.500Z',
          },
          createdTimestamp: '2023-11-14T22:13:21Z',
        },
      },
      {
        label: [
          { name: 'code', value: '404' },
          { name: 'method', value: 'PUT' },
        ],
        counter: { value: 0 },
        timestampMs: '1700000000123',
      },
    ]);
    assert.equal(json[1]!.unit, 'celsius');
    assert.deepEqual(
      (json[1]!.metric as JsonObject[]).map((m) => [
        (m.label as JsonObject[])[0]!.value,
        (m.gauge as JsonObject).value,
      ]),
      [
        ['a "quoted"\\ name\nwith newline', -3.25],
        ['', 'NaN'],
        ['Björn 佖佥', 'Infinity'],
      ],
    );
    assert.deepEqual((json[3]!.metric as JsonObject[])[0]!.summary, {
      sampleCount: '12',
      sampleSum: 6.5,
      quantile: [
        { quantile: 0.5, value: 0.25 },
        { quantile: 0.99, value: 1.75 },
      ],
      createdTimestamp: '2020-09-13T12:26:40.500Z',
    });
    const native = ((json[4]!.metric as JsonObject[])[1]!.histogram as JsonObject) ?? {};
    assert.deepEqual(
      [native.schema, native.zeroCount, native.positiveSpan, native.positiveDelta, native.negativeDelta],
      [
        3,
        '1',
        [
          { offset: -2, length: 2 },
          { offset: 2, length: 1 },
        ],
        ['3', '-1', '-1'],
        ['1'],
      ],
    );
    assert.equal((json[5]!.metric as JsonObject[])[0]!.timestampMs, '-5');
  });
});

describe('parseProtobuf', () => {
  test('round-trips every metric type, exemplars and native histograms', () => {
    const decoded = parseProtobuf(renderProtobuf(everyType));
    assert.deepEqual(decoded, everyType);
  });

  test('reads counts that are not integers from the float fields', () => {
    const point: HistogramPoint = {
      labels: ls(),
      upperBounds: [1],
      cumulativeCounts: [0.5],
      count: 2.5,
      sum: 1,
    };
    const families: MetricFamily[] = [{ name: 'f', help: '', type: 'histogram', points: [point] }];
    const [json] = oracle(renderProtobuf(families));
    const h = (json!.metric as JsonObject[])[0]!.histogram as JsonObject;
    assert.equal(h.sampleCountFloat, 2.5);
    assert.equal(h.sampleCount, undefined);
    assert.deepEqual(parseProtobuf(renderProtobuf(families)), families);
  });

  test('reads prometheus/common testdata/protobuf: 37 families, as its text twin lists them', () => {
    const dir = EXPFMT;
    const families = parseProtobuf(readFileSync(`${dir}/protobuf`));
    const text = readFileSync(`${dir}/text`, 'utf8');
    const typeLines = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    assert.equal(families.length, 37);
    assert.deepEqual(families.map((f) => `${f.name} ${f.type}`).sort(), typeLines);
    const byName = new Map(families.map((f) => [f.name, f]));
    // Values checked against the text file's lines.
    assert.deepEqual(byName.get('process_virtual_memory_bytes')!.points, [
      { labels: ls(), value: 5.41478912e8 },
    ]);
    assert.deepEqual(
      byName
        .get('prometheus_local_storage_chunk_ops_total')!
        .points.map((p) => [p.labels.values[0], 'value' in p && p.value]),
      [
        ['create', 598],
        ['persist', 174],
        ['pin', 920],
        ['transcode', 415],
        ['unpin', 920],
      ],
    );
    assert.deepEqual(byName.get('prometheus_local_storage_persist_latency_microseconds')!.points, [
      {
        labels: ls(),
        quantiles: [
          { quantile: 0.5, value: 30.377 },
          { quantile: 0.9, value: 203.539 },
          { quantile: 0.99, value: 2626.463 },
        ],
        count: 174,
        sum: 20424.415,
      },
    ]);
    assert.deepEqual(byName.get('http_requests_total')!.points[0], {
      labels: ls({ code: '200', handler: 'prometheus', method: 'get' }),
      value: 119,
    });
    // Every summary series of the text file is there.
    assert.equal(byName.get('http_request_duration_microseconds')!.points.length, 11);
  });

  test('reads prometheus/common testdata/protobuf-multimessage: 6 Telegraf families', () => {
    const families = parseProtobuf(readFileSync(`${EXPFMT}/protobuf-multimessage`));
    assert.deepEqual(
      families.map((f) => `${f.name} ${f.type} ${f.points.length}`),
      [
        'swap_free gauge 1',
        'swap_in counter 1',
        'swap_out counter 1',
        'swap_total gauge 1',
        'swap_used gauge 1',
        'swap_used_percent gauge 1',
      ],
    );
    for (const f of families) {
      assert.equal(f.help, 'Telegraf collected metric');
      assert.deepEqual(f.points[0]!.labels, ls({ host: 'omsk' }));
    }
    // swap_free's value bytes are 00 00 00 00 e0 24 cd 41: exponent 0x41c - 1023 = 29, so 2^29 * 0x1.d24e0p0.
    assert.equal((families[0]!.points[0] as { value: number }).value, 2 ** 29 * (1 + 0xd24e0 / 2 ** 20));
  });

  test('re-encodes the testdata stream byte for byte', () => {
    // client_golang writes fields in number order, as we do for everything but counters' created timestamps.
    const original = readFileSync(`${EXPFMT}/protobuf-multimessage`);
    assert.equal(hex(renderProtobuf(parseProtobuf(original))), hex(original));
  });

  test('rejects a truncated stream with a ProtobufDecodeError naming the offset', () => {
    const full = renderProtobuf(everyType);
    for (const cut of [1, 10, full.length - 1]) {
      assert.throws(
        () => parseProtobuf(full.subarray(0, cut)),
        (e) => isProtobufDecodeError(e) && e.name === 'ProtobufDecodeError' && typeof e.offset === 'number',
      );
    }
  });

  test('rejects malformed input: a bad wire type, a metric of the wrong type, a missing name', () => {
    // MetricFamily whose name (field 1) is sent as a varint.
    assert.throws(() => parseProtobuf(bytesOf('02 0801')), /field 1 has wire type 0, expected 2/);
    // A GAUGE family whose metric holds a counter.
    assert.throws(
      () => parseProtobuf(bytesOf('12 0a0167 1801 220b 1a09 09 000000000000f03f')),
      /gauge family "g" has no gauge value/,
    );
    assert.throws(() => parseProtobuf(bytesOf('02 1801')), /has no name/);
    // A varint that never ends.
    assert.throws(() => parseProtobuf(bytesOf('ffffffff')), isProtobufDecodeError);
  });
});

describe('renderProtobuf errors', () => {
  test('refuses a summary count that is not a non-negative integer, naming the metric', () => {
    const families: MetricFamily[] = [
      { name: 's', help: '', type: 'summary', points: [{ labels: ls(), quantiles: [], count: 1.5, sum: 0 }] },
    ];
    assert.throws(
      () => renderProtobuf(families),
      (e) => isInvalidValueError(e) && /metric "s"/.test(e.message),
    );
    // The shared writer is left clean for the next render.
    assert.deepEqual(parseProtobuf(renderProtobuf([everyType[2]!])), [everyType[2]]);
  });
});

describe('render() negotiates protobuf', () => {
  test('returns a Uint8Array body with the delimited Content-Type', async () => {
    const registry = new Registry();
    registry.register({ collect: () => [everyType[1]!] });
    const out = await render(
      registry,
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    );
    assert.equal(out.format.kind, 'protobuf');
    assert.equal(
      out.contentType,
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores',
    );
    assert.ok(out.body instanceof Uint8Array);
    assert.deepEqual(parseProtobuf(out.body as Uint8Array), [everyType[1]]);
  });
});

describe('round trip properties', () => {
  /**
   * The input as the protobuf format can hold it:
   * - a family without series is not written (as in the text formats);
   * - a summary's sketch state has no protobuf field (only its quantiles, count and sum travel).
   * Everything else travels exactly: UTF-8 names (with the allow-utf-8 escaping), NaN, ±Inf and
   * -0 in every double field, non-integer histogram counts (the `_float` fields), exemplars in
   * every bucket including +Inf, created times and timestamps at millisecond precision, native
   * buckets.
   */
  const whatProtobufCarries = (families: readonly MetricFamily[]): MetricFamily[] =>
    families
      .filter((f) => f.points.length > 0)
      .map((f) => (f.type === 'summary' ? { ...f, points: f.points.map(withoutSketch) } : f));
  const withoutSketch = ({ sketch: _dropped, ...point }: SummaryPoint): SummaryPoint => point;

  test('parseProtobuf(renderProtobuf(families)) equals all that protobuf carries of the families', (t) => {
    const seed = snapshotSeed();
    t.diagnostic(`seed ${seed} (replay with SNAPSHOT_SEED=${seed})`);
    fc.assert(
      fc.property(snapshotArbitrary(), (families) => {
        const bytes = renderProtobuf(families, 'allow-utf-8');
        const carried = whatProtobufCarries(families);
        assert.deepStrictEqual(parseProtobuf(bytes), carried);
        assert.equal(oracle(bytes).length, carried.length);
      }),
      { seed, numRuns: 500 },
    );
  });
});

test('protobuf and text render the same registry with the same series', async () => {
  const registry = new Registry();
  registry.register({ collect: () => everyType.slice(0, 4) });
  const families = await registry.collect();
  const reparsed = parseProtobuf(renderProtobuf(families));
  assert.equal(renderText(reparsed), renderText(families));
});
