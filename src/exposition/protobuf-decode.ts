/**
 * The delimited protobuf exposition reader: the inverse of `renderProtobuf`, for tests and for
 * merging expositions (the cluster aggregator). It reads any producer's stream of
 * `io.prometheus.client.MetricFamily` messages (docs/formats.md §3) into the snapshot model.
 *
 * @example
 * ```ts
 * import { PROTOBUF_CONTENT_TYPE } from 'aioprometheus';
 * import { parseProtobuf } from 'aioprometheus/exposition';
 *
 * const response = await fetch('http://127.0.0.1:8000/metrics', { headers: { Accept: PROTOBUF_CONTENT_TYPE } });
 * const families = parseProtobuf(new Uint8Array(await response.arrayBuffer()));
 * ```
 */
import { ProtobufDecodeError } from '../errors.js';
import { compareUtf8 } from '../model/byte-order.js';
import type {
  BucketSpan,
  CounterPoint,
  Exemplar,
  GaugePoint,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  MetricType,
  NativeHistogramData,
  Quantile,
  SummaryPoint,
} from '../model/family.js';
import { labelSet } from '../model/family.js';
import { ProtobufReader, WireType } from './protobuf-reader.js';
import {
  BucketField,
  CounterField,
  ExemplarField,
  FamilyField,
  HistogramField,
  LabelPairField,
  MetricField,
  QuantileField,
  SpanField,
  SummaryField,
  TimestampField,
  TYPE_BY_CODE,
  ValueField,
} from './protobuf-schema.js';

/**
 * Decodes a delimited protobuf exposition into metric families, in stream order.
 *
 * Classic buckets become `upperBounds`/`cumulativeCounts`; an explicit +Inf bucket is dropped
 * (its count is `count`) and its exemplar kept in the last exemplar slot. Native histogram
 * exemplars (Histogram field 16) go to the slot of the classic bucket holding their value, the
 * newest one winning. A no-op span that only marks an empty histogram as native is removed.
 * Unknown fields are skipped.
 *
 * @throws {ProtobufDecodeError} on truncated or malformed input, on a metric whose value does not
 *   match its family's type, on duplicate label names, and on float native histograms (absolute
 *   bucket counts), which the model cannot hold; the error names the byte offset.
 */
export function parseProtobuf(bytes: Uint8Array): MetricFamily[] {
  const r = new ProtobufReader(bytes);
  const families: MetricFamily[] = [];
  try {
    while (r.pos < r.len) {
      const end = readLength(r, r.len, 'MetricFamily');
      families.push(readFamily(r, end));
    }
  } catch (error) {
    if (error instanceof ProtobufDecodeError) throw error;
    // The reader's own errors ("premature EOF", "invalid varint") carry no position.
    throw new ProtobufDecodeError(
      Math.min(r.pos, r.len),
      error instanceof Error ? error.message : String(error),
    );
  }
  return families;
}

/** Reads a length prefix and returns where that value ends, checking it fits inside `limit`. */
function readLength(r: ProtobufReader, limit: number, what: string): number {
  const at = r.pos;
  const length = r.uint32();
  const end = r.pos + length;
  if (end > limit) {
    throw new ProtobufDecodeError(
      at,
      `${what} of ${length} bytes runs past the end of its container (truncated input?)`,
    );
  }
  return end;
}

interface Field {
  readonly no: number;
  readonly wire: WireType;
  readonly at: number;
}

function nextField(r: ProtobufReader): Field {
  const at = r.pos;
  const [no, wire] = r.tag();
  return { no, wire, at };
}

function expect(field: Field, wire: WireType, message: string): void {
  if (field.wire !== wire) {
    throw new ProtobufDecodeError(
      field.at,
      `${message} field ${field.no} has wire type ${field.wire}, expected ${wire}`,
    );
  }
}

function checkEnd(r: ProtobufReader, end: number, message: string): void {
  if (r.pos > end)
    throw new ProtobufDecodeError(end, `a field of ${message} runs past the end of the message`);
}

interface RawMetric {
  labels: LabelSet;
  timestampMs?: number;
  /** The value message: its field number in Metric and where its bytes are. */
  valueField?: number;
  valueStart: number;
  valueEnd: number;
}

function readFamily(r: ProtobufReader, end: number): MetricFamily {
  const start = r.pos;
  let name: string | undefined;
  let help = '';
  let unit: string | undefined;
  let typeCode = 0; // proto2 default: COUNTER
  const metrics: RawMetric[] = [];
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case FamilyField.name:
        expect(f, WireType.LengthDelimited, 'MetricFamily');
        name = r.string();
        break;
      case FamilyField.help:
        expect(f, WireType.LengthDelimited, 'MetricFamily');
        help = r.string();
        break;
      case FamilyField.type:
        expect(f, WireType.Varint, 'MetricFamily');
        typeCode = r.int32();
        break;
      case FamilyField.metric:
        expect(f, WireType.LengthDelimited, 'MetricFamily');
        metrics.push(readMetric(r, readLength(r, end, 'Metric')));
        break;
      case FamilyField.unit:
        expect(f, WireType.LengthDelimited, 'MetricFamily');
        unit = r.string();
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'MetricFamily');
  }
  if (name === undefined || name === '') throw new ProtobufDecodeError(start, 'a MetricFamily has no name');
  const type = TYPE_BY_CODE[typeCode];
  if (type === undefined)
    throw new ProtobufDecodeError(start, `MetricFamily "${name}" has unknown type ${typeCode}`);
  const family = {
    name,
    help,
    type,
    points: metrics.map((m) => readPoint(r, name, type, m)),
  } as MetricFamily;
  r.pos = end;
  return unit === undefined || unit === '' ? family : { ...family, unit };
}

function readMetric(r: ProtobufReader, end: number): RawMetric {
  const names: string[] = [];
  const values: string[] = [];
  const metric: RawMetric = { labels: labelSet(), valueStart: 0, valueEnd: 0 };
  const start = r.pos;
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case MetricField.label:
        expect(f, WireType.LengthDelimited, 'Metric');
        readLabelPair(r, readLength(r, end, 'LabelPair'), names, values);
        break;
      case MetricField.timestampMs:
        expect(f, WireType.Varint, 'Metric');
        metric.timestampMs = Number(r.int64());
        break;
      case MetricField.gauge:
      case MetricField.counter:
      case MetricField.summary:
      case MetricField.untyped:
      case MetricField.histogram: {
        expect(f, WireType.LengthDelimited, 'Metric');
        const valueEnd = readLength(r, end, 'a metric value');
        // Kept as a position: how to read it depends on the family type, which may come later.
        metric.valueField = f.no;
        metric.valueStart = r.pos;
        metric.valueEnd = valueEnd;
        r.pos = valueEnd;
        break;
      }
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Metric');
  }
  metric.labels = toLabelSet(names, values, start);
  return metric;
}

function readLabelPair(r: ProtobufReader, end: number, names: string[], values: string[]): void {
  let name = '';
  let value = '';
  while (r.pos < end) {
    const f = nextField(r);
    if (f.no === LabelPairField.name && f.wire === WireType.LengthDelimited) name = r.string();
    else if (f.no === LabelPairField.value && f.wire === WireType.LengthDelimited) value = r.string();
    else r.skip(f.wire, f.no);
    checkEnd(r, end, 'LabelPair');
  }
  names.push(name);
  values.push(value);
}

function toLabelSet(names: string[], values: string[], at: number): LabelSet {
  if (names.length === 0) return labelSet();
  const order = names.map((_, i) => i).sort((a, b) => compareUtf8(names[a]!, names[b]!));
  const sortedNames = order.map((i) => names[i]!);
  for (let i = 1; i < sortedNames.length; i++) {
    if (sortedNames[i] === sortedNames[i - 1]) {
      throw new ProtobufDecodeError(at, `a metric has the label "${sortedNames[i]}" twice`);
    }
  }
  return Object.freeze({
    names: Object.freeze(sortedNames),
    values: Object.freeze(order.map((i) => values[i]!)),
  });
}

const FIELD_OF_TYPE: Readonly<Record<MetricType, number>> = {
  counter: MetricField.counter,
  gauge: MetricField.gauge,
  untyped: MetricField.untyped,
  summary: MetricField.summary,
  histogram: MetricField.histogram,
  gaugehistogram: MetricField.histogram,
};

type Point = CounterPoint | GaugePoint | SummaryPoint | HistogramPoint;

function readPoint(r: ProtobufReader, family: string, type: MetricType, m: RawMetric): Point {
  if (m.valueField !== FIELD_OF_TYPE[type]) {
    throw new ProtobufDecodeError(
      m.valueStart,
      `a metric of ${type} family "${family}" has no ${type} value`,
    );
  }
  r.pos = m.valueStart;
  const base: { labels: LabelSet; timestampMs?: number } = { labels: m.labels };
  if (m.timestampMs !== undefined) base.timestampMs = m.timestampMs;
  let point: Point;
  switch (type) {
    case 'counter':
      point = readCounter(r, m.valueEnd, base);
      break;
    case 'gauge':
    case 'untyped':
      point = readSimple(r, m.valueEnd, base);
      break;
    case 'summary':
      point = readSummary(r, m.valueEnd, base);
      break;
    case 'histogram':
    case 'gaugehistogram':
      point = readHistogram(r, m.valueEnd, base);
      break;
  }
  r.pos = m.valueEnd;
  return point;
}

function readSimple(r: ProtobufReader, end: number, base: { labels: LabelSet }): GaugePoint {
  let value = 0;
  while (r.pos < end) {
    const f = nextField(r);
    if (f.no === ValueField.value) {
      expect(f, WireType.Bit64, 'Gauge/Untyped');
      value = r.double();
    } else r.skip(f.wire, f.no);
    checkEnd(r, end, 'Gauge/Untyped');
  }
  return { ...base, value };
}

function readCounter(r: ProtobufReader, end: number, base: { labels: LabelSet }): CounterPoint {
  const point: { -readonly [K in keyof CounterPoint]: CounterPoint[K] } = { ...base, value: 0 };
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case CounterField.value:
        expect(f, WireType.Bit64, 'Counter');
        point.value = r.double();
        break;
      case CounterField.exemplar:
        expect(f, WireType.LengthDelimited, 'Counter');
        point.exemplar = readExemplar(r, readLength(r, end, 'Exemplar'));
        break;
      case CounterField.created:
        expect(f, WireType.LengthDelimited, 'Counter');
        point.created = readTimestamp(r, readLength(r, end, 'Timestamp'));
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Counter');
  }
  return { ...point };
}

function readSummary(r: ProtobufReader, end: number, base: { labels: LabelSet }): SummaryPoint {
  const quantiles: Quantile[] = [];
  const point: { -readonly [K in keyof SummaryPoint]: SummaryPoint[K] } = {
    ...base,
    quantiles,
    count: 0,
    sum: 0,
  };
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case SummaryField.sampleCount:
        expect(f, WireType.Varint, 'Summary');
        point.count = Number(r.uint64());
        break;
      case SummaryField.sampleSum:
        expect(f, WireType.Bit64, 'Summary');
        point.sum = r.double();
        break;
      case SummaryField.quantile:
        expect(f, WireType.LengthDelimited, 'Summary');
        quantiles.push(readQuantile(r, readLength(r, end, 'Quantile')));
        break;
      case SummaryField.created:
        expect(f, WireType.LengthDelimited, 'Summary');
        point.created = readTimestamp(r, readLength(r, end, 'Timestamp'));
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Summary');
  }
  return { ...point };
}

function readQuantile(r: ProtobufReader, end: number): Quantile {
  let quantile = 0;
  let value = 0;
  while (r.pos < end) {
    const f = nextField(r);
    if (f.no === QuantileField.quantile && f.wire === WireType.Bit64) quantile = r.double();
    else if (f.no === QuantileField.value && f.wire === WireType.Bit64) value = r.double();
    else r.skip(f.wire, f.no);
    checkEnd(r, end, 'Quantile');
  }
  return { quantile, value };
}

interface RawBucket {
  count: number;
  upperBound: number;
  exemplar?: Exemplar;
}

function readHistogram(r: ProtobufReader, end: number, base: { labels: LabelSet }): HistogramPoint {
  const start = r.pos;
  let count = 0;
  let countFloat: number | undefined;
  let sum = 0;
  let created: number | undefined;
  const buckets: RawBucket[] = [];
  const nativeExemplars: Exemplar[] = [];
  let schema: number | undefined;
  let zeroThreshold = 0;
  let zeroCount = 0;
  const negativeSpans: BucketSpan[] = [];
  const negativeDeltas: number[] = [];
  const positiveSpans: BucketSpan[] = [];
  const positiveDeltas: number[] = [];
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case HistogramField.sampleCount:
        expect(f, WireType.Varint, 'Histogram');
        count = Number(r.uint64());
        break;
      case HistogramField.sampleCountFloat:
        expect(f, WireType.Bit64, 'Histogram');
        countFloat = r.double();
        break;
      case HistogramField.sampleSum:
        expect(f, WireType.Bit64, 'Histogram');
        sum = r.double();
        break;
      case HistogramField.bucket:
        expect(f, WireType.LengthDelimited, 'Histogram');
        buckets.push(readBucket(r, readLength(r, end, 'Bucket')));
        break;
      case HistogramField.created:
        expect(f, WireType.LengthDelimited, 'Histogram');
        created = readTimestamp(r, readLength(r, end, 'Timestamp'));
        break;
      case HistogramField.schema:
        expect(f, WireType.Varint, 'Histogram');
        schema = r.sint32();
        break;
      case HistogramField.zeroThreshold:
        expect(f, WireType.Bit64, 'Histogram');
        zeroThreshold = r.double();
        break;
      case HistogramField.zeroCount:
        expect(f, WireType.Varint, 'Histogram');
        zeroCount = Number(r.uint64());
        break;
      case HistogramField.zeroCountFloat:
        expect(f, WireType.Bit64, 'Histogram');
        zeroCount = r.double();
        break;
      case HistogramField.negativeSpan:
        expect(f, WireType.LengthDelimited, 'Histogram');
        negativeSpans.push(readSpan(r, readLength(r, end, 'BucketSpan')));
        break;
      case HistogramField.positiveSpan:
        expect(f, WireType.LengthDelimited, 'Histogram');
        positiveSpans.push(readSpan(r, readLength(r, end, 'BucketSpan')));
        break;
      case HistogramField.negativeDelta:
        readDeltas(r, f, end, negativeDeltas);
        break;
      case HistogramField.positiveDelta:
        readDeltas(r, f, end, positiveDeltas);
        break;
      case HistogramField.negativeCount:
      case HistogramField.positiveCount:
        throw new ProtobufDecodeError(
          f.at,
          'float native histograms (absolute bucket counts) are not supported',
        );
      case HistogramField.exemplars:
        expect(f, WireType.LengthDelimited, 'Histogram');
        nativeExemplars.push(readExemplar(r, readLength(r, end, 'Exemplar')));
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Histogram');
  }
  if (countFloat !== undefined) count = countFloat;

  const upperBounds: number[] = [];
  const cumulativeCounts: number[] = [];
  const slots: (Exemplar | undefined)[] = [];
  let infExemplar: Exemplar | undefined;
  for (const b of buckets) {
    if (b.upperBound === Number.POSITIVE_INFINITY) {
      infExemplar = b.exemplar;
      continue;
    }
    upperBounds.push(b.upperBound);
    cumulativeCounts.push(b.count);
    slots.push(b.exemplar);
  }
  slots.push(infExemplar);
  for (const e of nativeExemplars) {
    let i = upperBounds.findIndex((bound) => e.value <= bound);
    if (i < 0) i = upperBounds.length;
    const held = slots[i];
    if (held === undefined || (e.timestamp ?? -Infinity) >= (held.timestamp ?? -Infinity)) slots[i] = e;
  }

  const point: { -readonly [K in keyof HistogramPoint]: HistogramPoint[K] } = {
    ...base,
    upperBounds,
    cumulativeCounts,
    count,
    sum,
  };
  if (created !== undefined) point.created = created;
  if (slots.some((e) => e !== undefined)) point.exemplars = slots;
  // Prometheus' rule for a native histogram: a span, a zero bucket, or (ours) a schema.
  const isNative =
    schema !== undefined ||
    positiveSpans.length > 0 ||
    negativeSpans.length > 0 ||
    zeroThreshold > 0 ||
    zeroCount > 0;
  if (isNative) {
    const noOpOnly =
      positiveSpans.length === 1 &&
      positiveSpans[0]!.offset === 0 &&
      positiveSpans[0]!.length === 0 &&
      negativeSpans.length === 0 &&
      positiveDeltas.length === 0;
    const native: NativeHistogramData = {
      schema: schema ?? 0,
      zeroThreshold,
      zeroCount,
      positiveSpans: noOpOnly ? [] : positiveSpans,
      positiveDeltas,
      negativeSpans,
      negativeDeltas,
    };
    checkSpans(native, start);
    point.native = native;
  }
  return { ...point };
}

function checkSpans(n: NativeHistogramData, at: number): void {
  const sum = (spans: readonly BucketSpan[]) => spans.reduce((s, x) => s + x.length, 0);
  if (sum(n.positiveSpans) !== n.positiveDeltas.length || sum(n.negativeSpans) !== n.negativeDeltas.length) {
    throw new ProtobufDecodeError(
      at,
      'native histogram span lengths do not add up to the number of bucket deltas',
    );
  }
}

function readBucket(r: ProtobufReader, end: number): RawBucket {
  const bucket: RawBucket = { count: 0, upperBound: 0 };
  let countFloat: number | undefined;
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case BucketField.cumulativeCount:
        expect(f, WireType.Varint, 'Bucket');
        bucket.count = Number(r.uint64());
        break;
      case BucketField.cumulativeCountFloat:
        expect(f, WireType.Bit64, 'Bucket');
        countFloat = r.double();
        break;
      case BucketField.upperBound:
        expect(f, WireType.Bit64, 'Bucket');
        bucket.upperBound = r.double();
        break;
      case BucketField.exemplar:
        expect(f, WireType.LengthDelimited, 'Bucket');
        bucket.exemplar = readExemplar(r, readLength(r, end, 'Exemplar'));
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Bucket');
  }
  if (countFloat !== undefined) bucket.count = countFloat;
  return bucket;
}

function readSpan(r: ProtobufReader, end: number): BucketSpan {
  let offset = 0;
  let length = 0;
  while (r.pos < end) {
    const f = nextField(r);
    if (f.no === SpanField.offset && f.wire === WireType.Varint) offset = r.sint32();
    else if (f.no === SpanField.length && f.wire === WireType.Varint) length = r.uint32();
    else r.skip(f.wire, f.no);
    checkEnd(r, end, 'BucketSpan');
  }
  return { offset, length };
}

/** Repeated sint64, packed (one length-delimited run) or unpacked (one tag each). */
function readDeltas(r: ProtobufReader, f: Field, end: number, into: number[]): void {
  if (f.wire === WireType.LengthDelimited) {
    const runEnd = readLength(r, end, 'packed deltas');
    while (r.pos < runEnd) into.push(Number(r.sint64()));
    checkEnd(r, runEnd, 'packed deltas');
    return;
  }
  expect(f, WireType.Varint, 'Histogram');
  into.push(Number(r.sint64()));
}

function readExemplar(r: ProtobufReader, end: number): Exemplar {
  const names: string[] = [];
  const values: string[] = [];
  const start = r.pos;
  let value = 0;
  let timestamp: number | undefined;
  while (r.pos < end) {
    const f = nextField(r);
    switch (f.no) {
      case ExemplarField.label:
        expect(f, WireType.LengthDelimited, 'Exemplar');
        readLabelPair(r, readLength(r, end, 'LabelPair'), names, values);
        break;
      case ExemplarField.value:
        expect(f, WireType.Bit64, 'Exemplar');
        value = r.double();
        break;
      case ExemplarField.timestamp:
        expect(f, WireType.LengthDelimited, 'Exemplar');
        timestamp = readTimestamp(r, readLength(r, end, 'Timestamp'));
        break;
      default:
        r.skip(f.wire, f.no);
    }
    checkEnd(r, end, 'Exemplar');
  }
  const labels = toLabelSet(names, values, start);
  return timestamp === undefined ? { labels, value } : { labels, value, timestamp };
}

/** A google.protobuf.Timestamp as seconds since the epoch. */
function readTimestamp(r: ProtobufReader, end: number): number {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const f = nextField(r);
    if (f.no === TimestampField.seconds && f.wire === WireType.Varint) seconds = Number(r.int64());
    else if (f.no === TimestampField.nanos && f.wire === WireType.Varint) nanos = r.int32();
    else r.skip(f.wire, f.no);
    checkEnd(r, end, 'Timestamp');
  }
  return seconds + nanos / 1e9;
}
