/**
 * The delimited protobuf exposition writer (docs/formats.md §3): `io.prometheus.client.MetricFamily`
 * messages, each preceded by its byte length as a varint. Prometheus asks for it when it scrapes
 * native histograms. Fields are written in field-number order and repeated scalars unpacked, as
 * client_golang does, so the bytes match its output for the same data. Nothing is kept per
 * series between scrapes: a cache of encoded labels would outweigh the series it describes, and
 * every render has its own writer, so a sliced render may be interleaved with others.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { renderProtobuf } from 'aioprometheus/exposition';
 * const bytes = renderProtobuf(await new Registry().collect());
 * ```
 */
import { InvalidValueError } from '../errors.js';
import { columnsOf, type SeriesColumns, seriesCount } from '../model/columns.js';
import type {
  BucketSpan,
  CounterPoint,
  Exemplar,
  GaugePoint,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  NativeHistogramData,
  SummaryPoint,
} from '../model/family.js';
import {
  allLegacyLabelNames,
  type EscapingScheme,
  exposedLabelName,
  exposedMetricName,
} from '../model/names.js';
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
  TYPE_CODE,
  tag,
  ValueField,
  WireType,
} from './protobuf-schema.js';
import { ProtoWriter } from './protobuf-writer.js';

const { Varint, Bit64, LengthDelimited: Len } = WireType;

const FAMILY_NAME = tag(FamilyField.name, Len);
const FAMILY_HELP = tag(FamilyField.help, Len);
const FAMILY_TYPE = tag(FamilyField.type, Varint);
const FAMILY_METRIC = tag(FamilyField.metric, Len);
const FAMILY_UNIT = tag(FamilyField.unit, Len);
const METRIC_LABEL = tag(MetricField.label, Len);
const METRIC_GAUGE = tag(MetricField.gauge, Len);
const METRIC_COUNTER = tag(MetricField.counter, Len);
const METRIC_SUMMARY = tag(MetricField.summary, Len);
const METRIC_UNTYPED = tag(MetricField.untyped, Len);
const METRIC_TIMESTAMP_MS = tag(MetricField.timestampMs, Varint);
const METRIC_HISTOGRAM = tag(MetricField.histogram, Len);
const PAIR_NAME = tag(LabelPairField.name, Len);
const PAIR_VALUE = tag(LabelPairField.value, Len);
const VALUE = tag(ValueField.value, Bit64);
const COUNTER_EXEMPLAR = tag(CounterField.exemplar, Len);
const COUNTER_CREATED = tag(CounterField.created, Len);
const QUANTILE_QUANTILE = tag(QuantileField.quantile, Bit64);
const QUANTILE_VALUE = tag(QuantileField.value, Bit64);
const SUMMARY_COUNT = tag(SummaryField.sampleCount, Varint);
const SUMMARY_SUM = tag(SummaryField.sampleSum, Bit64);
const SUMMARY_QUANTILE = tag(SummaryField.quantile, Len);
const SUMMARY_CREATED = tag(SummaryField.created, Len);
const H_COUNT = tag(HistogramField.sampleCount, Varint);
const H_SUM = tag(HistogramField.sampleSum, Bit64);
const H_BUCKET = tag(HistogramField.bucket, Len);
const H_COUNT_FLOAT = tag(HistogramField.sampleCountFloat, Bit64);
const H_SCHEMA = tag(HistogramField.schema, Varint);
const H_ZERO_THRESHOLD = tag(HistogramField.zeroThreshold, Bit64);
const H_ZERO_COUNT = tag(HistogramField.zeroCount, Varint);
const H_ZERO_COUNT_FLOAT = tag(HistogramField.zeroCountFloat, Bit64);
const H_NEGATIVE_SPAN = tag(HistogramField.negativeSpan, Len);
const H_NEGATIVE_DELTA = tag(HistogramField.negativeDelta, Varint);
const H_POSITIVE_SPAN = tag(HistogramField.positiveSpan, Len);
const H_POSITIVE_DELTA = tag(HistogramField.positiveDelta, Varint);
const H_CREATED = tag(HistogramField.created, Len);
const BUCKET_COUNT = tag(BucketField.cumulativeCount, Varint);
const BUCKET_UPPER_BOUND = tag(BucketField.upperBound, Bit64);
const BUCKET_EXEMPLAR = tag(BucketField.exemplar, Len);
const BUCKET_COUNT_FLOAT = tag(BucketField.cumulativeCountFloat, Bit64);
const SPAN_OFFSET = tag(SpanField.offset, Varint);
const SPAN_LENGTH = tag(SpanField.length, Varint);
const EXEMPLAR_VALUE = tag(ExemplarField.value, Bit64);
const EXEMPLAR_TIMESTAMP = tag(ExemplarField.timestamp, Len);
const TIMESTAMP_SECONDS = tag(TimestampField.seconds, Varint);
const TIMESTAMP_NANOS = tag(TimestampField.nanos, Varint);

const UINT32_LIMIT = 2 ** 32;
const UINT64_LIMIT = 2 ** 64;
const INT64_LIMIT = 2 ** 63;

/** The escaping scheme of the write in progress (each write call is synchronous and sets it). */
let escaping: EscapingScheme = 'underscores';

/**
 * Renders families as a delimited protobuf stream (`application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited`). Families without series are
 * left out, as in the text formats. Counter family names are written as they are, with `_total`.
 *
 * Histograms: cumulative classic buckets in increasing order, without the +Inf bucket unless an
 * exemplar sits in it (what client_golang writes); counts that are not integers go to the
 * `*_float` fields; `native` adds schema, zero bucket, spans and deltas, with client_golang's
 * no-op span when an empty native histogram would otherwise look classic.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { PROTOBUF_CONTENT_TYPE, REGISTRY } from 'aioprometheus';
 * import { renderProtobuf } from 'aioprometheus/exposition';
 *
 * createServer(async (_request, response) => {
 *   const body = renderProtobuf(await REGISTRY.collect());
 *   response.setHeader('Content-Type', PROTOBUF_CONTENT_TYPE);
 *   response.end(body);
 * });
 * ```
 *
 * @throws {InvalidValueError} when a value has no protobuf form: a summary count that is not a
 *   non-negative integer, a non-integer native delta or span, a non-finite timestamp.
 */
export function renderProtobuf(
  families: readonly MetricFamily[],
  scheme: EscapingScheme = 'underscores',
): Uint8Array {
  const w = new ProtoWriter();
  let total = 0;
  for (const family of families) total += seriesCount(family);
  let sampled = 0;
  for (const family of families) {
    const count = seriesCount(family);
    if (count === 0) continue;
    const at = openProtobufFamily(w, family, scheme);
    // A large render reserves the room for its rest once, at the bytes per row of its first rows,
    // rather than letting the writer double its way there (see ProtoWriter.reserve).
    const sample = total > SAMPLE_ROWS ? Math.min(count, SAMPLE_ROWS - sampled) : 0;
    if (sample > 0) {
      writeProtobufRows(w, family, scheme, 0, sample);
      sampled += sample;
      if (sampled === SAMPLE_ROWS) reserveRest(w, sampled, total - sampled);
    }
    writeProtobufRows(w, family, scheme, sample, count);
    closeProtobufFamily(w, family, at);
  }
  return w.detach();
}

/** Rows written before the size of the rest is estimated from them. */
const SAMPLE_ROWS = 1024;
/** The estimate's margin: later rows tend to be a little longer (label values count up). */
const SIZE_MARGIN = 1.25;

/**
 * Reserves room in `w` for `left` more rows, at the bytes per row of the `written` rows it holds
 * (a header's few bytes included), with a margin; the writer doubles past it if that is short.
 */
export function reserveRest(w: ProtoWriter, written: number, left: number): void {
  w.reserve(Math.ceil((w.length / written) * left * SIZE_MARGIN));
}

/** Opens the delimited MetricFamily message of a family; returns where it starts, for closing it. */
export function openProtobufFamily(w: ProtoWriter, family: MetricFamily, scheme: EscapingScheme): number {
  const at = w.fork();
  w.uint32(FAMILY_NAME).string(exposedMetricName(family.name, scheme));
  w.uint32(FAMILY_HELP).string(family.help);
  w.uint32(FAMILY_TYPE).uint32(TYPE_CODE[family.type]);
  return at;
}

/** Writes the unit (which follows the metrics in field order) and the message length. */
export function closeProtobufFamily(w: ProtoWriter, family: MetricFamily, at: number): void {
  if (family.unit !== undefined && family.unit !== '') w.uint32(FAMILY_UNIT).string(family.unit);
  w.join(at);
}

/** The Metric messages of the series `from` (inclusive) to `to` (exclusive) of a family. */
export function writeProtobufRows(
  w: ProtoWriter,
  family: MetricFamily,
  scheme: EscapingScheme,
  from: number,
  to: number,
): void {
  escaping = scheme;
  const name = exposedMetricName(family.name, scheme);
  const columns = columnsOf(family);
  if (columns !== undefined) {
    writeColumnRows(w, family, name, columns, from, to);
    return;
  }
  switch (family.type) {
    case 'counter':
      for (let i = from; i < to; i++) writeCounter(w, name, family.points[i]!);
      break;
    case 'gauge':
      for (let i = from; i < to; i++) writeSimple(w, name, METRIC_GAUGE, family.points[i]!);
      break;
    case 'untyped':
      for (let i = from; i < to; i++) writeSimple(w, name, METRIC_UNTYPED, family.points[i]!);
      break;
    case 'summary':
      for (let i = from; i < to; i++) writeSummary(w, name, family.points[i]!);
      break;
    case 'histogram':
    case 'gaugehistogram':
      for (let i = from; i < to; i++) writeHistogram(w, name, family.points[i]!);
      break;
  }
}

/**
 * The columnar fast path: the label pairs of a series are written from the columns, with the
 * exposed label names computed once per family; values and timestamps as for points.
 */
function writeColumnRows(
  w: ProtoWriter,
  family: MetricFamily,
  name: string,
  columns: SeriesColumns,
  from: number,
  to: number,
): void {
  const { rows, labelNames, labelValues, values, created, exemplars, histogram: h } = columns;
  // The bytes of each label pair up to its value are the same in every series: encoded once.
  const scratch = new ProtoWriter();
  const pairStarts = labelNames.map((n) =>
    scratch.uint32(PAIR_NAME).string(exposedLabelName(n, escaping)).uint32(PAIR_VALUE).finish(),
  );
  const openWithLabels = (slot: number): number => {
    const at = w.uint32(FAMILY_METRIC).fork();
    for (let k = 0; k < pairStarts.length; k++) {
      const column = labelValues[k]!;
      const pair = w.uint32(METRIC_LABEL).fork();
      w.raw(pairStarts[k]!);
      w.string(typeof column === 'string' ? column : column[slot]!);
      w.join(pair);
    }
    return at;
  };
  if (h !== undefined) {
    const { upperBounds, stride, cells } = h;
    const n = upperBounds.length;
    for (let i = from; i < to; i++) {
      const slot = rows[i]!;
      const base = slot * stride;
      const cumulativeCounts = new Array<number>(n);
      let running = 0;
      for (let b = 0; b < n; b++) {
        running += cells[base + b]!;
        cumulativeCounts[b] = running;
      }
      const metric = openWithLabels(slot);
      writeHistogramBody(w, name, {
        upperBounds,
        cumulativeCounts,
        count: cells[base + n + 2]!,
        sum: cells[base + n + 1]!,
        created: created?.[slot],
        exemplars: h.exemplars?.get(slot),
        native: h.native?.get(slot),
      });
      w.join(metric);
    }
    return;
  }
  const field = family.type === 'gauge' ? METRIC_GAUGE : METRIC_COUNTER;
  for (let i = from; i < to; i++) {
    const slot = rows[i]!;
    const metric = openWithLabels(slot);
    const value = w.uint32(field).fork();
    w.uint32(VALUE).double(values![slot]!);
    if (field === METRIC_COUNTER) {
      const exemplar = exemplars?.get(slot);
      if (exemplar !== undefined) writeExemplar(w, COUNTER_EXEMPLAR, name, exemplar);
      if (created !== undefined) w.raw(createdField(name, created[slot]!));
    }
    w.join(value);
    w.join(metric);
  }
}

/**
 * A counter's `created` field, encoded. Series created in the same millisecond share it, and
 * encoding a timestamp costs more than copying it, so recent ones are kept, in a Map bounded so
 * that it never grows with the number of series.
 */
function createdField(family: string, seconds: number): Uint8Array {
  let field = createdFields.get(seconds);
  if (field === undefined) {
    if (createdFields.size >= CREATED_FIELDS_MAX) createdFields.clear();
    const scratch = new ProtoWriter();
    writeTimestamp(scratch, COUNTER_CREATED, family, seconds);
    field = scratch.finish();
    createdFields.set(seconds, field);
  }
  return field;
}

const CREATED_FIELDS_MAX = 4096;
const createdFields = new Map<number, Uint8Array>();

/** Opens a Metric with its labels; returns where it starts, for `join`. */
function openMetric(w: ProtoWriter, labels: LabelSet): number {
  const at = w.uint32(FAMILY_METRIC).fork();
  writeLabelPairs(w, labels);
  return at;
}

function writeSimple(w: ProtoWriter, family: string, field: number, p: GaugePoint): void {
  const metric = openMetric(w, p.labels);
  const value = w.uint32(field).fork();
  w.uint32(VALUE).double(p.value).join(value);
  if (p.timestampMs !== undefined) writeTimestampMs(w, family, p.timestampMs);
  w.join(metric);
}

function writeCounter(w: ProtoWriter, family: string, p: CounterPoint): void {
  const metric = openMetric(w, p.labels);
  const counter = w.uint32(METRIC_COUNTER).fork();
  w.uint32(VALUE).double(p.value);
  if (p.exemplar !== undefined) writeExemplar(w, COUNTER_EXEMPLAR, family, p.exemplar);
  if (p.created !== undefined) writeTimestamp(w, COUNTER_CREATED, family, p.created);
  w.join(counter);
  if (p.timestampMs !== undefined) writeTimestampMs(w, family, p.timestampMs);
  w.join(metric);
}

function writeSummary(w: ProtoWriter, family: string, p: SummaryPoint): void {
  if (!isUint64(p.count)) {
    throw new InvalidValueError(
      family,
      p.count,
      'a summary count must be a non-negative integer in protobuf',
    );
  }
  const metric = openMetric(w, p.labels);
  const summary = w.uint32(METRIC_SUMMARY).fork();
  w.uint32(SUMMARY_COUNT).uint64(p.count);
  w.uint32(SUMMARY_SUM).double(p.sum);
  for (const q of p.quantiles) {
    const quantile = w.uint32(SUMMARY_QUANTILE).fork();
    w.uint32(QUANTILE_QUANTILE).double(q.quantile).uint32(QUANTILE_VALUE).double(q.value);
    w.join(quantile);
  }
  if (p.created !== undefined) writeTimestamp(w, SUMMARY_CREATED, family, p.created);
  w.join(summary);
  if (p.timestampMs !== undefined) writeTimestampMs(w, family, p.timestampMs);
  w.join(metric);
}

function writeHistogram(w: ProtoWriter, family: string, p: HistogramPoint): void {
  const metric = openMetric(w, p.labels);
  // timestamp_ms (6) precedes histogram (7) in field order.
  if (p.timestampMs !== undefined) writeTimestampMs(w, family, p.timestampMs);
  writeHistogramBody(w, family, p);
  w.join(metric);
}

/** What the Histogram message of one series needs, from a point or from columns. */
type HistogramBody = Pick<HistogramPoint, 'upperBounds' | 'cumulativeCounts' | 'count' | 'sum'> & {
  readonly created?: number | undefined;
  readonly exemplars?: readonly (Exemplar | undefined)[] | undefined;
  readonly native?: NativeHistogramData | undefined;
};

function writeHistogramBody(w: ProtoWriter, family: string, p: HistogramBody): void {
  const histogram = w.uint32(METRIC_HISTOGRAM).fork();
  const intCount = isUint64(p.count);
  if (intCount) w.uint32(H_COUNT).uint64(p.count);
  w.uint32(H_SUM).double(p.sum);
  const { upperBounds, cumulativeCounts, exemplars } = p;
  for (let i = 0; i < upperBounds.length; i++) {
    writeBucket(w, family, cumulativeCounts[i]!, upperBounds[i]!, exemplars?.[i]);
  }
  // client_golang leaves the +Inf bucket implicit (it equals sample_count) unless it carries an exemplar.
  const infExemplar = exemplars?.[upperBounds.length];
  if (infExemplar !== undefined) writeBucket(w, family, p.count, Number.POSITIVE_INFINITY, infExemplar);
  if (!intCount) w.uint32(H_COUNT_FLOAT).double(p.count);
  if (p.native !== undefined) writeNative(w, family, p.native);
  if (p.created !== undefined) writeTimestamp(w, H_CREATED, family, p.created);
  w.join(histogram);
}

function writeBucket(
  w: ProtoWriter,
  family: string,
  count: number,
  upperBound: number,
  exemplar: Exemplar | undefined,
): void {
  const bucket = w.uint32(H_BUCKET).fork();
  const intCount = isUint64(count);
  if (intCount) w.uint32(BUCKET_COUNT).uint64(count);
  w.uint32(BUCKET_UPPER_BOUND).double(upperBound);
  if (exemplar !== undefined) writeExemplar(w, BUCKET_EXEMPLAR, family, exemplar);
  if (!intCount) w.uint32(BUCKET_COUNT_FLOAT).double(count);
  w.join(bucket);
}

function writeNative(w: ProtoWriter, family: string, n: NativeHistogramData): void {
  if (!isInt32(n.schema)) {
    throw new InvalidValueError(family, n.schema, 'a native histogram schema must be a 32-bit integer');
  }
  w.uint32(H_SCHEMA).sint64(n.schema);
  w.uint32(H_ZERO_THRESHOLD).double(n.zeroThreshold);
  if (isUint64(n.zeroCount)) w.uint32(H_ZERO_COUNT).uint64(n.zeroCount);
  else w.uint32(H_ZERO_COUNT_FLOAT).double(n.zeroCount);
  writeSpans(w, H_NEGATIVE_SPAN, family, n.negativeSpans);
  writeDeltas(w, H_NEGATIVE_DELTA, family, n.negativeDeltas);
  // Prometheus takes a histogram for native only if it has a span or a zero bucket, so an empty
  // one with threshold 0 gets a no-op span (client_golang does the same).
  const empty =
    n.zeroThreshold === 0 &&
    n.zeroCount === 0 &&
    n.positiveSpans.length === 0 &&
    n.negativeSpans.length === 0;
  writeSpans(w, H_POSITIVE_SPAN, family, empty ? NO_OP_SPANS : n.positiveSpans);
  writeDeltas(w, H_POSITIVE_DELTA, family, n.positiveDeltas);
}

const NO_OP_SPANS: readonly BucketSpan[] = [{ offset: 0, length: 0 }];

function writeSpans(w: ProtoWriter, field: number, family: string, spans: readonly BucketSpan[]): void {
  for (const span of spans) {
    if (!isInt32(span.offset)) {
      throw new InvalidValueError(
        family,
        span.offset,
        'a native histogram span offset must be a 32-bit integer',
      );
    }
    if (!Number.isInteger(span.length) || span.length < 0 || span.length >= UINT32_LIMIT) {
      throw new InvalidValueError(
        family,
        span.length,
        'a native histogram span length must be a 32-bit unsigned integer',
      );
    }
    const at = w.uint32(field).fork();
    w.uint32(SPAN_OFFSET).sint64(span.offset).uint32(SPAN_LENGTH).uint32(span.length);
    w.join(at);
  }
}

/** Deltas are written unpacked, one tag each, as client_golang's proto2 output does. */
function writeDeltas(w: ProtoWriter, field: number, family: string, deltas: readonly number[]): void {
  for (const delta of deltas) {
    if (!Number.isInteger(delta) || Math.abs(delta) >= INT64_LIMIT) {
      throw new InvalidValueError(family, delta, 'a native histogram bucket delta must be a 64-bit integer');
    }
    w.uint32(field).sint64(delta);
  }
}

function writeExemplar(w: ProtoWriter, field: number, family: string, exemplar: Exemplar): void {
  const at = w.uint32(field).fork();
  writeLabelPairs(w, exemplar.labels);
  w.uint32(EXEMPLAR_VALUE).double(exemplar.value);
  if (exemplar.timestamp !== undefined) writeTimestamp(w, EXEMPLAR_TIMESTAMP, family, exemplar.timestamp);
  w.join(at);
}

/** A google.protobuf.Timestamp from seconds since the epoch; proto3, so zero fields are left out. */
function writeTimestamp(w: ProtoWriter, field: number, family: string, seconds: number): void {
  if (!Number.isFinite(seconds) || Math.abs(seconds) >= INT64_LIMIT) {
    throw new InvalidValueError(family, seconds, 'a timestamp must be a finite number of seconds');
  }
  let whole = Math.floor(seconds);
  // Epoch seconds in a double carry about 0.24 µs of precision, so digits below the microsecond
  // are noise: 1700000000.978 is 1700000000.97799992… Rounding to whole microseconds restores
  // the millisecond a timestamp was taken at (Date.now() / 1000), which Prometheus truncates to.
  let nanos = Math.round((seconds - whole) * 1e6) * 1000;
  if (nanos === 1e9) {
    whole += 1;
    nanos = 0;
  }
  const at = w.uint32(field).fork();
  if (whole !== 0) w.uint32(TIMESTAMP_SECONDS).int64(whole);
  if (nanos !== 0) w.uint32(TIMESTAMP_NANOS).uint32(nanos);
  w.join(at);
}

function writeTimestampMs(w: ProtoWriter, family: string, ms: number): void {
  if (!Number.isFinite(ms) || Math.abs(ms) >= INT64_LIMIT) {
    throw new InvalidValueError(family, ms, 'a sample timestamp must be a finite number of milliseconds');
  }
  w.uint32(METRIC_TIMESTAMP_MS).int64(Math.round(ms));
}

function isUint64(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < UINT64_LIMIT;
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}

/** The `label` fields (repeated LabelPair, field 1, in Metric and Exemplar alike). */
function writeLabelPairs(w: ProtoWriter, labels: LabelSet): void {
  const { names, values } = labels;
  const legacy = allLegacyLabelNames(names);
  for (let i = 0; i < names.length; i++) {
    const at = w.uint32(METRIC_LABEL).fork();
    const name = legacy ? names[i]! : exposedLabelName(names[i]!, escaping);
    w.uint32(PAIR_NAME).string(name).uint32(PAIR_VALUE).string(values[i]!);
    w.join(at);
  }
}
