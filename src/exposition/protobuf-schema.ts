/**
 * The `io.prometheus.client` protobuf schema (client_model `metrics.proto`, proto2), as the
 * field numbers the protobuf writer and reader share. Written from the table in docs/formats.md §3:
 *
 * ```proto
 * syntax = "proto2";
 * package io.prometheus.client;
 * enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
 * message MetricFamily { optional string name = 1; optional string help = 2; optional MetricType type = 3;
 *                        repeated Metric metric = 4; optional string unit = 5; }
 * message Metric { repeated LabelPair label = 1; optional Gauge gauge = 2; optional Counter counter = 3;
 *                  optional Summary summary = 4; optional Untyped untyped = 5; optional int64 timestamp_ms = 6;
 *                  optional Histogram histogram = 7; }
 * message LabelPair { optional string name = 1; optional string value = 2; }
 * message Gauge { optional double value = 1; }
 * message Untyped { optional double value = 1; }
 * message Counter { optional double value = 1; optional Exemplar exemplar = 2;
 *                   optional google.protobuf.Timestamp created_timestamp = 3; }
 * message Quantile { optional double quantile = 1; optional double value = 2; }
 * message Summary { optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Quantile quantile = 3;
 *                   optional google.protobuf.Timestamp created_timestamp = 4; }
 * message Histogram { optional uint64 sample_count = 1; optional double sample_count_float = 4;
 *   optional double sample_sum = 2; repeated Bucket bucket = 3; optional google.protobuf.Timestamp created_timestamp = 15;
 *   optional sint32 schema = 5; optional double zero_threshold = 6; optional uint64 zero_count = 7;
 *   optional double zero_count_float = 8; repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10;
 *   repeated double negative_count = 11; repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13;
 *   repeated double positive_count = 14; repeated Exemplar exemplars = 16; }
 * message Bucket { optional uint64 cumulative_count = 1; optional double cumulative_count_float = 4;
 *                  optional double upper_bound = 2; optional Exemplar exemplar = 3; }
 * message BucketSpan { optional sint32 offset = 1; optional uint32 length = 2; }
 * message Exemplar { repeated LabelPair label = 1; optional double value = 2; optional google.protobuf.Timestamp timestamp = 3; }
 * // google.protobuf.Timestamp (proto3): int64 seconds = 1; int32 nanos = 2;
 * ```
 */
import type { MetricType } from '../model/family.js';
import { WireType } from './protobuf-reader.js';

export const FamilyField = { name: 1, help: 2, type: 3, metric: 4, unit: 5 } as const;
export const MetricField = {
  label: 1,
  gauge: 2,
  counter: 3,
  summary: 4,
  untyped: 5,
  timestampMs: 6,
  histogram: 7,
} as const;
export const LabelPairField = { name: 1, value: 2 } as const;
/** Gauge, Untyped and Counter all keep their value in field 1. */
export const ValueField = { value: 1 } as const;
export const CounterField = { value: 1, exemplar: 2, created: 3 } as const;
export const QuantileField = { quantile: 1, value: 2 } as const;
export const SummaryField = { sampleCount: 1, sampleSum: 2, quantile: 3, created: 4 } as const;
export const HistogramField = {
  sampleCount: 1,
  sampleSum: 2,
  bucket: 3,
  sampleCountFloat: 4,
  schema: 5,
  zeroThreshold: 6,
  zeroCount: 7,
  zeroCountFloat: 8,
  negativeSpan: 9,
  negativeDelta: 10,
  negativeCount: 11,
  positiveSpan: 12,
  positiveDelta: 13,
  positiveCount: 14,
  created: 15,
  exemplars: 16,
} as const;
export const BucketField = {
  cumulativeCount: 1,
  upperBound: 2,
  exemplar: 3,
  cumulativeCountFloat: 4,
} as const;
export const SpanField = { offset: 1, length: 2 } as const;
export const ExemplarField = { label: 1, value: 2, timestamp: 3 } as const;
export const TimestampField = { seconds: 1, nanos: 2 } as const;

/** The MetricType enum. Gauge histograms use the `histogram` field of Metric. */
export const TYPE_CODE: Readonly<Record<MetricType, number>> = {
  counter: 0,
  gauge: 1,
  summary: 2,
  untyped: 3,
  histogram: 4,
  gaugehistogram: 5,
};

export const TYPE_BY_CODE: readonly MetricType[] = [
  'counter',
  'gauge',
  'summary',
  'untyped',
  'histogram',
  'gaugehistogram',
];

/** A field's tag: its number and wire type, as written before its value. */
export function tag(field: number, wireType: WireType): number {
  return ((field << 3) | wireType) >>> 0;
}

export { WireType };
