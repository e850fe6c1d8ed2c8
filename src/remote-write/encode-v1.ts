/**
 * Encodes a batch of series as a Remote-Write 1.0 `prometheus.WriteRequest`, with one
 * MetricMetadata entry per family in the batch.
 */
import { ProtoWriter } from '../exposition/protobuf-writer.js';
import type { EncodedBatch } from './batch.js';
import { writeHistogram } from './histogram-message.js';
import { METRIC_TYPE, POINT, V1 } from './schema.js';
import type { FamilyMetadata, WriteSeries } from './series.js';

const series = new ProtoWriter();
const metadata = new ProtoWriter();
const scratch = new ProtoWriter();
/** The encoded Label fields of a series' label array, which the series hands out every collection. */
const labelBytes = new WeakMap<readonly string[], Uint8Array>();

/**
 * Encodes `items[from..to)`, stopping before the series that would make the request larger than
 * `maxBytes` (the first series is always taken, so a batch makes progress).
 */
export function encodeV1(
  items: readonly WriteSeries[],
  from: number,
  to: number,
  maxBytes: number,
): EncodedBatch {
  series.reset();
  metadata.reset();
  const seen = new Set<FamilyMetadata>();
  let i = from;
  let exemplars = 0;
  for (; i < to; i++) {
    const s = items[i]!;
    const seriesMark = series.length;
    const metadataMark = metadata.length;
    writeSeries(s);
    const isNewFamily = !seen.has(s.metadata);
    if (isNewFamily) writeMetadata(s.metadata);
    if (i > from && series.length + metadata.length > maxBytes) {
      series.drop(series.length - seriesMark);
      metadata.drop(metadata.length - metadataMark);
      break;
    }
    if (isNewFamily) seen.add(s.metadata);
    exemplars += s.exemplars.length;
  }
  const seriesLength = series.length;
  const body = new Uint8Array(seriesLength + metadata.length);
  body.set(series.finish(), 0);
  body.set(metadata.finish(), seriesLength);
  return { body, taken: i - from, exemplars };
}

function writeSeries(s: WriteSeries): void {
  const at = series.uint32(V1.requestTimeseries).fork();
  let labels = labelBytes.get(s.labels);
  if (labels === undefined) {
    writeLabels(scratch, V1.seriesLabel, s.labels);
    labels = scratch.finish();
    labelBytes.set(s.labels, labels);
  }
  series.raw(labels);
  if (s.histogram === undefined) {
    const sample = series.uint32(V1.seriesSample).fork();
    series.uint32(POINT.sampleValue).double(s.value);
    series.uint32(POINT.sampleTimestamp).int64(s.timestampMs);
    series.join(sample);
  }
  for (const e of s.exemplars) {
    const ex = series.uint32(V1.seriesExemplar).fork();
    writeLabels(series, V1.exemplarLabel, e.labels);
    series.uint32(POINT.value).double(e.value);
    series.uint32(POINT.exemplarTimestamp).int64(e.timestampMs);
    series.join(ex);
  }
  if (s.histogram !== undefined) writeHistogram(series, V1.seriesHistogram, s.histogram, s.timestampMs);
  series.join(at);
}

function writeLabels(w: ProtoWriter, field: number, labels: readonly string[]): void {
  for (let i = 0; i < labels.length; i += 2) {
    const at = w.uint32(field).fork();
    w.uint32(V1.labelName).string(labels[i]!);
    w.uint32(V1.labelValue).string(labels[i + 1]!);
    w.join(at);
  }
}

function writeMetadata(m: FamilyMetadata): void {
  const at = metadata.uint32(V1.requestMetadata).fork();
  const type = METRIC_TYPE[m.type];
  if (type !== 0) metadata.uint32(V1.metadataType).uint32(type);
  metadata.uint32(V1.metadataFamilyName).string(m.name);
  if (m.help !== '') metadata.uint32(V1.metadataHelp).string(m.help);
  if (m.unit !== '') metadata.uint32(V1.metadataUnit).string(m.unit);
  metadata.join(at);
}
