/**
 * The remote-write protobuf schemas as field tags. Remote-Write 1.0 (`prometheus.WriteRequest`,
 * proto3, prompb `remote.proto` and `types.proto`):
 *
 * ```proto
 * message WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                      repeated Histogram histograms = 4; }
 * message Label { string name = 1; string value = 2; }
 * message Sample { double value = 1; int64 timestamp = 2; }
 * message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * message MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * ```
 *
 * Remote-Write 2.0 (`io.prometheus.write.v2.Request`), where every string is an index into
 * `symbols`, whose first entry is the empty string:
 *
 * ```proto
 * message Request { reserved 1 to 3; repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * message TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
 *                      repeated Exemplar exemplars = 4; Metadata metadata = 5; int64 created_timestamp = 6; }
 * message Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * message Sample { double value = 1; int64 timestamp = 2; }
 * message Metadata { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * ```
 *
 * Both share the native histogram message and the metric type numbers:
 *
 * ```proto
 * message Histogram { oneof count { uint64 count_int = 1; double count_float = 2; } double sum = 3; sint32 schema = 4;
 *   double zero_threshold = 5; oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *   repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9; repeated double negative_counts = 10;
 *   repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
 *   ResetHint reset_hint = 14; int64 timestamp = 15; repeated double custom_values = 16; }
 * enum ResetHint { UNKNOWN = 0; YES = 1; NO = 2; GAUGE = 3; }
 * message BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
 * ```
 */
import type { MetricType } from '../model/family.js';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

const tag = (field: number, wire: number): number => (field << 3) | wire;

export const V1 = {
  requestTimeseries: tag(1, LEN),
  requestMetadata: tag(3, LEN),
  seriesLabel: tag(1, LEN),
  seriesSample: tag(2, LEN),
  seriesExemplar: tag(3, LEN),
  seriesHistogram: tag(4, LEN),
  labelName: tag(1, LEN),
  labelValue: tag(2, LEN),
  exemplarLabel: tag(1, LEN),
  metadataType: tag(1, VARINT),
  metadataFamilyName: tag(2, LEN),
  metadataHelp: tag(4, LEN),
  metadataUnit: tag(5, LEN),
} as const;

export const V2 = {
  requestSymbol: tag(4, LEN),
  requestTimeseries: tag(5, LEN),
  seriesLabelRefs: tag(1, LEN),
  seriesSample: tag(2, LEN),
  seriesHistogram: tag(3, LEN),
  seriesExemplar: tag(4, LEN),
  seriesMetadata: tag(5, LEN),
  seriesCreated: tag(6, VARINT),
  exemplarLabelRefs: tag(1, LEN),
  metadataType: tag(1, VARINT),
  metadataHelpRef: tag(3, VARINT),
  metadataUnitRef: tag(4, VARINT),
} as const;

/** Sample and Exemplar carry value and timestamp under the same numbers in both versions. */
export const POINT = {
  value: tag(2, FIXED64),
  sampleValue: tag(1, FIXED64),
  sampleTimestamp: tag(2, VARINT),
  exemplarTimestamp: tag(3, VARINT),
} as const;

export const HISTOGRAM = {
  countInt: tag(1, VARINT),
  sum: tag(3, FIXED64),
  schema: tag(4, VARINT),
  zeroThreshold: tag(5, FIXED64),
  zeroCountInt: tag(6, VARINT),
  negativeSpan: tag(8, LEN),
  negativeDeltas: tag(9, LEN),
  positiveSpan: tag(11, LEN),
  positiveDeltas: tag(12, LEN),
  resetHint: tag(14, VARINT),
  timestamp: tag(15, VARINT),
  spanOffset: tag(1, VARINT),
  spanLength: tag(2, VARINT),
} as const;

export const RESET_HINT_GAUGE = 3;

export const METRIC_TYPE: Readonly<Record<MetricType, number>> = {
  untyped: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
};
