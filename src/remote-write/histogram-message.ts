/**
 * The native histogram message, which Remote-Write 1.0 and 2.0 share. Counts are integers
 * (this library's histograms count observations), so the integer variants and deltas are used.
 */

import type { ProtoWriter } from '../exposition/protobuf-writer.js';
import type { BucketSpan } from '../model/family.js';
import { HISTOGRAM, RESET_HINT_GAUGE } from './schema.js';
import type { NativeHistogramSample } from './series.js';

export function writeHistogram(
  w: ProtoWriter,
  field: number,
  h: NativeHistogramSample,
  timestampMs: number,
): void {
  const at = w.uint32(field).fork();
  // proto3: fields holding their default value may be left out, except members of a oneof,
  // whose presence is what tells the count kinds apart.
  w.uint32(HISTOGRAM.countInt).uint64(h.count);
  if (h.sum !== 0 || Object.is(h.sum, -0)) w.uint32(HISTOGRAM.sum).double(h.sum);
  if (h.schema !== 0) w.uint32(HISTOGRAM.schema).sint64(h.schema);
  if (h.zeroThreshold !== 0) w.uint32(HISTOGRAM.zeroThreshold).double(h.zeroThreshold);
  w.uint32(HISTOGRAM.zeroCountInt).uint64(h.zeroCount);
  writeSpans(w, HISTOGRAM.negativeSpan, h.negativeSpans);
  writePackedSint(w, HISTOGRAM.negativeDeltas, h.negativeDeltas);
  writeSpans(w, HISTOGRAM.positiveSpan, h.positiveSpans);
  writePackedSint(w, HISTOGRAM.positiveDeltas, h.positiveDeltas);
  if (h.gauge) w.uint32(HISTOGRAM.resetHint).uint32(RESET_HINT_GAUGE);
  w.uint32(HISTOGRAM.timestamp).int64(timestampMs);
  w.join(at);
}

function writeSpans(w: ProtoWriter, field: number, spans: readonly BucketSpan[]): void {
  for (const span of spans) {
    const at = w.uint32(field).fork();
    if (span.offset !== 0) w.uint32(HISTOGRAM.spanOffset).sint64(span.offset);
    if (span.length !== 0) w.uint32(HISTOGRAM.spanLength).uint32(span.length);
    w.join(at);
  }
}

function writePackedSint(w: ProtoWriter, field: number, values: readonly number[]): void {
  if (values.length === 0) return;
  const at = w.uint32(field).fork();
  for (const v of values) w.sint64(v);
  w.join(at);
}
