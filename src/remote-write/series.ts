/**
 * Turns collected families into the series remote write sends: one sample (or one native
 * histogram) per series, each with its full label set, `__name__` included and sorted by name
 * in byte order, as both protocol versions require. Histograms and summaries become their
 * classic series (`_bucket` with `le`, `_sum`, `_count`; quantiles with `quantile`), as
 * Prometheus stores them when it scrapes the text format; a native histogram is one series under
 * the family name, sent with its classic series only when it also has classic buckets.
 *
 * Labels with an empty value are left out: Prometheus treats an empty value as an absent
 * label, and remote write forbids empty values.
 */

import { formatFloat } from '../exposition/format-number.js';
import { compareUtf8 } from '../model/byte-order.js';
import type {
  Exemplar,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  MetricType,
  NativeHistogramData,
} from '../model/family.js';
import { RemoteWriteValidationError } from './errors.js';

/** What a receiver learns about a family: type, help and unit. Shared by the family's series. */
export interface FamilyMetadata {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

export interface SeriesExemplar {
  /** Label names and values, alternating, sorted by name. */
  readonly labels: readonly string[];
  readonly value: number;
  readonly timestampMs: number;
}

/** One series with its one sample: `value` for a float sample, `histogram` for a native one. */
export interface WriteSeries {
  /** Label names and values, alternating, sorted by name in byte order, `__name__` included. */
  readonly labels: readonly string[];
  readonly value: number;
  readonly histogram: NativeHistogramSample | undefined;
  readonly timestampMs: number;
  /** Creation (or last reset) time in ms, for counters, histograms and summaries that know it. */
  readonly createdMs: number | undefined;
  readonly exemplars: readonly SeriesExemplar[];
  readonly metadata: FamilyMetadata;
}

export interface NativeHistogramSample extends NativeHistogramData {
  readonly count: number;
  readonly sum: number;
  /** A gauge histogram may go down; receivers must not read that as a counter reset. */
  readonly gauge: boolean;
}

/** Family names the 1.0 protocol allows (the legacy Prometheus names). */
const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The result of flattening: the series, and one error per family that was refused. */
export interface Flattened {
  readonly series: WriteSeries[];
  readonly errors: RemoteWriteValidationError[];
  /** Samples of the refused families. */
  readonly refusedSamples: number;
}

/**
 * Flattens `families` collected at `nowMs`. Points that carry their own timestamp keep it. A
 * family that cannot be encoded is refused whole, with a RemoteWriteValidationError.
 */
export function flattenFamilies(families: readonly MetricFamily[], nowMs: number): Flattened {
  const series: WriteSeries[] = [];
  const errors: RemoteWriteValidationError[] = [];
  let refusedSamples = 0;
  for (const family of families) {
    const start = series.length;
    try {
      flattenFamily(family, nowMs, series);
    } catch (error) {
      if (!(error instanceof RemoteWriteValidationError)) throw error;
      series.length = start;
      errors.push(error);
      refusedSamples += samplesOf(family);
    }
  }
  return { series, errors, refusedSamples };
}

function flattenFamily(family: MetricFamily, nowMs: number, out: WriteSeries[]): void {
  const metadata: FamilyMetadata = {
    name: family.name,
    type: family.type,
    help: family.help,
    unit: family.unit ?? '',
  };
  const name = family.name;
  switch (family.type) {
    case 'counter':
      for (const p of family.points) {
        const ts = timestampOf(name, p.timestampMs, nowMs);
        const exemplars = p.exemplar === undefined ? [] : [exemplarOf(name, p.exemplar, ts)];
        out.push(
          series(labelsWith(p.labels, name), p.value, ts, createdOf(name, p.created), exemplars, metadata),
        );
      }
      return;
    case 'gauge':
    case 'untyped':
      for (const p of family.points) {
        const ts = timestampOf(name, p.timestampMs, nowMs);
        out.push(series(labelsWith(p.labels, name), p.value, ts, undefined, [], metadata));
      }
      return;
    case 'summary':
      for (const p of family.points) {
        const ts = timestampOf(name, p.timestampMs, nowMs);
        const created = createdOf(name, p.created);
        for (const q of p.quantiles) {
          const labels = labelsWith(p.labels, name, 'quantile', formatFloat(q.quantile));
          out.push(series(labels, q.value, ts, created, [], metadata));
        }
        out.push(series(labelsWith(p.labels, `${name}_sum`), p.sum, ts, created, [], metadata));
        out.push(series(labelsWith(p.labels, `${name}_count`), p.count, ts, created, [], metadata));
      }
      return;
    case 'histogram':
    case 'gaugehistogram':
      for (const p of family.points)
        flattenHistogram(name, p, family.type === 'gaugehistogram', nowMs, metadata, out);
      return;
  }
}

function flattenHistogram(
  name: string,
  p: HistogramPoint,
  gauge: boolean,
  nowMs: number,
  metadata: FamilyMetadata,
  out: WriteSeries[],
): void {
  const ts = timestampOf(name, p.timestampMs, nowMs);
  const created = createdOf(name, p.created);
  const exemplars = (p.exemplars ?? []).map((e) => (e === undefined ? undefined : exemplarOf(name, e, ts)));
  if (p.native !== undefined) {
    checkNative(name, p.native, p.count);
    const histogram: NativeHistogramSample = { ...p.native, count: p.count, sum: p.sum, gauge };
    const attached = exemplars.filter((e) => e !== undefined);
    out.push({ ...series(labelsWith(p.labels, name), 0, ts, created, attached, metadata), histogram });
    if (p.upperBounds.length === 0) return;
  }
  const bucket = `${name}_bucket`;
  const les = leValues(p.upperBounds);
  for (let i = 0; i < p.upperBounds.length; i++) {
    const labels = labelsWith(p.labels, bucket, 'le', les[i]!);
    out.push(series(labels, p.cumulativeCounts[i]!, ts, created, single(exemplars[i]), metadata));
  }
  const inf = labelsWith(p.labels, bucket, 'le', '+Inf');
  out.push(series(inf, p.count, ts, created, single(exemplars[p.upperBounds.length]), metadata));
  out.push(series(labelsWith(p.labels, `${name}_sum`), p.sum, ts, created, [], metadata));
  out.push(series(labelsWith(p.labels, `${name}_count`), p.count, ts, created, [], metadata));
}

/** The wire holds integer counts, a 32-bit schema and offsets, and 64-bit deltas. */
function checkNative(metric: string, n: NativeHistogramData, count: number): void {
  const fail = (what: string, v: number): never => {
    throw new RemoteWriteValidationError(
      metric,
      `a native histogram ${what} must be an integer in range (got ${v})`,
    );
  };
  if (!isUint64(count)) fail('count', count);
  if (!isUint64(n.zeroCount)) fail('zero count', n.zeroCount);
  if (!isInt32(n.schema)) fail('schema', n.schema);
  for (const span of [...n.positiveSpans, ...n.negativeSpans]) {
    if (!isInt32(span.offset)) fail('span offset', span.offset);
    if (!Number.isInteger(span.length) || span.length < 0 || span.length >= 2 ** 32)
      fail('span length', span.length);
  }
  for (const d of [...n.positiveDeltas, ...n.negativeDeltas]) {
    if (!Number.isInteger(d) || Math.abs(d) >= 2 ** 63) fail('bucket delta', d);
  }
}

function isUint64(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < 2 ** 64;
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}

function series(
  labels: readonly string[],
  value: number,
  timestampMs: number,
  createdMs: number | undefined,
  exemplars: readonly SeriesExemplar[],
  metadata: FamilyMetadata,
): WriteSeries {
  return { labels, value, histogram: undefined, timestampMs, createdMs, exemplars, metadata };
}

function single(e: SeriesExemplar | undefined): readonly SeriesExemplar[] {
  return e === undefined ? [] : [e];
}

/**
 * A point's labels sorted by name, without empty values; cached per label set, which a series
 * hands out unchanged on every collection.
 */
const sortedCache = new WeakMap<LabelSet, readonly string[]>();

function sortedPairs(set: LabelSet): readonly string[] {
  let pairs = sortedCache.get(set);
  if (pairs === undefined) {
    const order: number[] = [];
    for (let i = 0; i < set.names.length; i++) if (set.values[i] !== '') order.push(i);
    order.sort((a, b) => compareUtf8(set.names[a]!, set.names[b]!));
    pairs = order.flatMap((i) => [set.names[i]!, set.values[i]!]);
    sortedCache.set(set, pairs);
  }
  return pairs;
}

/**
 * The label set plus `__name__` (and one more label, `le` or `quantile`, which sort after it and
 * which the metrics reserve), in byte order. Cached per label set and name, so a series sends
 * the same array every collection and encoders can cache its bytes by identity.
 */
const labelsCache = new WeakMap<LabelSet, Map<string, readonly string[]>>();

function labelsWith(set: LabelSet, name: string, extraName?: string, extraValue?: string): readonly string[] {
  let perSet = labelsCache.get(set);
  if (perSet === undefined) {
    perSet = new Map();
    labelsCache.set(set, perSet);
  }
  const key = extraName === undefined ? name : `${name}\u0000${extraName}\u0000${extraValue}`;
  let labels = perSet.get(key);
  if (labels === undefined) {
    labels = buildLabels(sortedPairs(set), name, extraName, extraValue);
    perSet.set(key, labels);
  }
  return labels;
}

function buildLabels(
  pairs: readonly string[],
  name: string,
  extraName?: string,
  extraValue?: string,
): string[] {
  const out: string[] = [];
  let nameDone = false;
  let extraDone = extraName === undefined;
  for (let i = 0; i < pairs.length; i += 2) {
    const n = pairs[i]!;
    if (!nameDone && compareUtf8('__name__', n) < 0) {
      out.push('__name__', name);
      nameDone = true;
    }
    if (!extraDone && compareUtf8(extraName!, n) < 0) {
      out.push(extraName!, extraValue!);
      extraDone = true;
    }
    out.push(n, pairs[i + 1]!);
  }
  if (!nameDone) out.push('__name__', name);
  if (!extraDone) out.push(extraName!, extraValue!);
  return out;
}

/** `le` values per bounds array; a histogram's series share one bounds array. */
const leCache = new WeakMap<readonly number[], string[]>();

function leValues(bounds: readonly number[]): string[] {
  let les = leCache.get(bounds);
  if (les === undefined) {
    les = bounds.map(formatFloat);
    leCache.set(bounds, les);
  }
  return les;
}

function exemplarOf(metric: string, e: Exemplar, seriesTs: number): SeriesExemplar {
  const ts = e.timestamp === undefined ? seriesTs : msOf(metric, e.timestamp * 1000, 'exemplar timestamp');
  return { labels: sortedPairs(e.labels), value: e.value, timestampMs: ts };
}

function timestampOf(metric: string, ms: number | undefined, nowMs: number): number {
  return ms === undefined ? nowMs : msOf(metric, ms, 'timestamp');
}

function createdOf(metric: string, seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : msOf(metric, seconds * 1000, 'created timestamp');
}

function msOf(metric: string, ms: number, what: string): number {
  if (!Number.isFinite(ms)) throw new RemoteWriteValidationError(metric, `the ${what} ${ms} is not finite`);
  return Math.round(ms);
}

/**
 * Why Remote-Write 1.0 cannot carry this series (a metric or label name outside the legacy
 * character set, which 2.0 allows), or undefined when it can.
 */
export function legacyNameViolation(s: WriteSeries): string | undefined {
  for (let i = 0; i < s.labels.length; i += 2) {
    const name = s.labels[i]!;
    if (name === '__name__') {
      if (!LEGACY_METRIC_NAME.test(s.labels[i + 1]!)) {
        return `Remote-Write 1.0 allows only metric names matching [a-zA-Z_:][a-zA-Z0-9_:]* (got ${JSON.stringify(s.labels[i + 1])}); the receiver must take 2.0 for UTF-8 names`;
      }
    } else if (!LEGACY_LABEL_NAME.test(name)) {
      return `Remote-Write 1.0 allows only label names matching [a-zA-Z_][a-zA-Z0-9_]* (got ${JSON.stringify(name)}); the receiver must take 2.0 for UTF-8 names`;
    }
  }
  for (const e of s.exemplars) {
    for (let i = 0; i < e.labels.length; i += 2) {
      if (!LEGACY_LABEL_NAME.test(e.labels[i]!)) {
        return `Remote-Write 1.0 allows only exemplar label names matching [a-zA-Z_][a-zA-Z0-9_]* (got ${JSON.stringify(e.labels[i])})`;
      }
    }
  }
  return undefined;
}

/** How many series (one sample each) a family turns into. */
export function samplesOf(family: MetricFamily): number {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'untyped':
      return family.points.length;
    case 'summary':
      return family.points.reduce((n, p) => n + p.quantiles.length + 2, 0);
    case 'histogram':
    case 'gaugehistogram':
      return family.points.reduce((n, p) => {
        const classic = p.native === undefined || p.upperBounds.length > 0 ? p.upperBounds.length + 3 : 0;
        return n + classic + (p.native === undefined ? 0 : 1);
      }, 0);
  }
}
