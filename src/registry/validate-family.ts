/**
 * The checks a collector's output passes before anything is written, as client_golang's `Gather`
 * does them. Collectors are user code and may hand over data read from anywhere (a database, a
 * config file, another process), so every field is checked as untrusted input.
 *
 * Contract: `familyProblem(value)` returns undefined exactly when `value` is a MetricFamily that
 * every encoder writes as a parseable exposition; otherwise it returns one sentence saying what is
 * wrong (the first problem found). It never throws and never changes `value`. Checks that span
 * families (two families writing the same sample name) need every family at once: they are in
 * `sampleNamesOf`, which the registry uses.
 */
import { compareUtf8 } from '../model/byte-order.js';
import type { LabelSet, MetricFamily, MetricType, NativeHistogramData } from '../model/family.js';
import { isValidLabelName, isValidMetricName } from '../model/labels.js';
import { sampleNames } from '../model/sample-names.js';

/** Why `value` cannot be exposed, or undefined when it is a valid metric family. */
export function familyProblem(value: unknown): string | undefined {
  try {
    checkFamily(value);
    return undefined;
  } catch (error) {
    if (error instanceof Problem) return error.message;
    throw error;
  }
}

/**
 * Every name a family's samples and metadata take in some format: a counter `x_total` also takes
 * `x` (its OpenMetrics family name) and `x_created`, a histogram `h` takes `h_bucket`, `h_count`,
 * `h_sum` and `h_created`. Two families that share one of these would write one series twice.
 */
export function sampleNamesOf(family: MetricFamily): string[] {
  return sampleNames(family.type, family.name);
}

/** A problem found while checking; only `familyProblem` sees it. */
class Problem extends Error {}

function fail(problem: string): never {
  throw new Problem(problem);
}

const TYPES: ReadonlySet<unknown> = new Set<MetricType>([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'untyped',
]);

const UNIT = /^[a-zA-Z0-9_]+$/;

/** OpenMetrics limits an exemplar's label names and values together to this many code points. */
const EXEMPLAR_LABEL_CODE_POINTS = 128;

/** Label names each type writes itself, so a series may not carry them. */
const RESERVED_LABEL: Readonly<Record<MetricType, string | undefined>> = {
  counter: undefined,
  gauge: undefined,
  untyped: undefined,
  histogram: 'le',
  gaugehistogram: 'le',
  summary: 'quantile',
};

type Fields = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

/** A value for a message: strings quoted (so a newline cannot start a new log line) and cut short. */
function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function checkFamily(value: unknown): asserts value is MetricFamily {
  if (!isObject(value)) fail(`a metric family must be an object, got ${show(value)}`);
  const { name, help, unit, type, points } = value;
  if (typeof name !== 'string' || !name.isWellFormed() || !isValidMetricName(name)) {
    fail(`invalid metric family name ${show(name)}`);
  }
  if (!TYPES.has(type)) fail(`unknown metric type ${show(type)}`);
  const metricType = type as MetricType;
  // The OpenMetrics writer names a counter's family without `_total`; that name must be valid too.
  const familyName = metricType === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
  if (!isValidMetricName(familyName))
    fail(`the counter name without "_total" (${show(familyName)}) is not a valid name`);
  if (typeof help !== 'string') fail(`help must be a string, got ${show(help)}`);
  if (!help.isWellFormed()) fail('help text has a lone UTF-16 surrogate');
  if (unit !== undefined && unit !== '') {
    if (typeof unit !== 'string' || !UNIT.test(unit))
      fail(`invalid unit ${show(unit)}: it must match ${UNIT.source}`);
    // OpenMetrics parsers refuse a UNIT that is not the suffix of the family name.
    if (!familyName.endsWith(`_${unit}`))
      fail(`the name must end with "_${unit}" to carry the unit "${unit}"`);
  }
  if (!Array.isArray(points)) fail(`points must be an array, got ${show(points)}`);
  const reserved = RESERVED_LABEL[metricType];
  // One reused position marker: a failing check throws at once, so it never sees a stale one.
  const at = new Where();
  let previous: LabelSet | undefined;
  let keys: Set<string> | undefined;
  for (let i = 0; i < points.length; i++) {
    const point: unknown = points[i];
    at.point = i;
    at.labels = undefined;
    if (!isObject(point)) fail(`point ${i} must be an object, got ${show(point)}`);
    const labels = checkLabels(point.labels, at, reserved);
    at.labels = labels;
    // Metrics emit their series sorted, sharing one names array: then comparing each label set
    // with the one before finds every duplicate. Any other order switches to a set of keys.
    if (keys === undefined && previous !== undefined && !ascending(previous, labels)) {
      keys = new Set();
      for (let k = 0; k < i; k++) keys.add(keyOf((points[k] as { labels: LabelSet }).labels));
    }
    if (keys !== undefined) {
      const key = keyOf(labels);
      if (keys.has(key)) fail(`two points have the same labels ${describeLabels(labels)}`);
      keys.add(key);
    }
    previous = labels;
    optionalFinite(point.timestampMs, at, 'timestampMs');
    switch (metricType) {
      case 'counter':
        checkCounterPoint(point, at);
        break;
      case 'gauge':
      case 'untyped':
        if (typeof point.value !== 'number')
          fail(`${at}: the value must be a number, got ${show(point.value)}`);
        break;
      case 'histogram':
      case 'gaugehistogram':
        checkHistogramPoint(point, at, metricType === 'gaugehistogram');
        break;
      case 'summary':
        checkSummaryPoint(point, at);
        break;
    }
  }
}

function checkCounterPoint(point: Fields, at: Where): void {
  nonNegative(point.value, at, `the counter value`);
  optionalFinite(point.created, at, `created`);
  if (point.exemplar !== undefined) checkExemplar(point.exemplar, at.sub('exemplar'));
}

function checkHistogramPoint(point: Fields, at: Where, gauge: boolean): void {
  const { upperBounds, cumulativeCounts, exemplars } = point;
  if (!Array.isArray(upperBounds)) fail(`${at}: upperBounds must be an array, got ${show(upperBounds)}`);
  if (!Array.isArray(cumulativeCounts)) {
    fail(`${at}: cumulativeCounts must be an array, got ${show(cumulativeCounts)}`);
  }
  if (cumulativeCounts.length !== upperBounds.length) {
    fail(`${at}: ${upperBounds.length} upper bounds but ${cumulativeCounts.length} cumulative counts`);
  }
  let previousBound = Number.NEGATIVE_INFINITY;
  let previousCount = 0;
  for (let b = 0; b < upperBounds.length; b++) {
    const bound: unknown = upperBounds[b];
    // +Inf is the implicit last bucket (it always equals `count`), so a bound given here is finite.
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      fail(`${at}: upper bound ${b} must be a finite number, got ${show(bound)}`);
    }
    if (!(bound > previousBound))
      fail(`${at}: upper bounds must increase, but ${bound} follows ${previousBound}`);
    previousBound = bound;
    const count: unknown = cumulativeCounts[b];
    if (!isCount(count)) {
      fail(
        `${at}: the cumulative count of bucket le=${bound} must be a whole number >= 0, got ${show(count)}`,
      );
    }
    if (count < previousCount) {
      fail(
        `${at}: cumulative counts must not decrease, but bucket le=${bound} has ${count} after ${previousCount}`,
      );
    }
    previousCount = count;
  }
  const count = wholeCount(point.count, at);
  if (count < previousCount) {
    fail(
      `${at}: count ${count} (the +Inf bucket) is below the last bucket's cumulative count ${previousCount}`,
    );
  }
  const { sum } = point;
  if (typeof sum !== 'number') fail(`${at}: sum must be a number, got ${show(sum)}`);
  // A classic histogram's writer leaves out a sum that OpenMetrics cannot carry; a gauge
  // histogram's `_gsum` is always written, so it must be a number, negative only with a negative bucket.
  if (gauge && (Number.isNaN(sum) || (sum < 0 && !((upperBounds[0] as number) < 0)))) {
    fail(
      `${at}: a gauge histogram's sum must not be NaN, nor negative without a negative bucket, got ${sum}`,
    );
  }
  optionalFinite(point.created, at, `created`);
  if (exemplars !== undefined) {
    if (!Array.isArray(exemplars) || exemplars.length > upperBounds.length + 1) {
      fail(`${at}: exemplars must be an array of at most one per bucket (${upperBounds.length + 1})`);
    }
    for (let e = 0; e < exemplars.length; e++) {
      const exemplar: unknown = exemplars[e];
      if (exemplar === undefined) continue;
      const value = checkExemplar(exemplar, at.sub(`exemplar ${e}`));
      const low = e === 0 ? Number.NEGATIVE_INFINITY : (upperBounds[e - 1] as number);
      const high = e < upperBounds.length ? (upperBounds[e] as number) : Number.POSITIVE_INFINITY;
      if (!(value > low && value <= high)) {
        fail(`${at}: exemplar ${e} has the value ${value}, which is outside its bucket (${low}, ${high}]`);
      }
    }
  }
  if (point.native !== undefined) checkNative(point.native, count, at.sub('native histogram'));
}

function checkNative(value: unknown, count: number, at: Where): void {
  if (!isObject(value)) fail(`${at} must be an object, got ${show(value)}`);
  const native = value as Partial<Record<keyof NativeHistogramData, unknown>>;
  if (!Number.isInteger(native.schema) || (native.schema as number) < -4 || (native.schema as number) > 8) {
    fail(`${at}: schema must be an integer from -4 to 8, got ${show(native.schema)}`);
  }
  const threshold = nonNegative(native.zeroThreshold, at, `zeroThreshold`);
  if (!Number.isFinite(threshold)) fail(`${at}: zeroThreshold must be finite, got ${threshold}`);
  let total = nonNegative(native.zeroCount, at, `zeroCount`);
  total += checkBuckets(native.positiveSpans, native.positiveDeltas, at.sub('positive buckets'));
  total += checkBuckets(native.negativeSpans, native.negativeDeltas, at.sub('negative buckets'));
  if (total > count) fail(`${at}: its buckets hold ${total} observations, more than the count ${count}`);
}

/** Checks spans and deltas of one side; returns the observations they hold. */
function checkBuckets(spans: unknown, deltas: unknown, at: Where): number {
  if (!Array.isArray(spans)) fail(`${at}: spans must be an array, got ${show(spans)}`);
  if (!Array.isArray(deltas)) fail(`${at}: deltas must be an array, got ${show(deltas)}`);
  let buckets = 0;
  for (let s = 0; s < spans.length; s++) {
    const span: unknown = spans[s];
    if (!isObject(span)) fail(`${at}: span ${s} must be an object, got ${show(span)}`);
    const { offset, length } = span;
    // Only the first span may start before bucket 0; later ones say how many empty buckets they skip.
    if (!Number.isSafeInteger(offset) || (s > 0 && (offset as number) < 0)) {
      fail(`${at}: span ${s} has an invalid offset ${show(offset)}`);
    }
    if (!Number.isSafeInteger(length) || (length as number) < 0) {
      fail(`${at}: span ${s} has an invalid length ${show(length)}`);
    }
    buckets += length as number;
  }
  if (deltas.length !== buckets)
    fail(`${at}: the spans cover ${buckets} buckets but there are ${deltas.length} deltas`);
  let bucket = 0;
  let total = 0;
  for (let d = 0; d < deltas.length; d++) {
    const delta: unknown = deltas[d];
    if (!Number.isSafeInteger(delta)) fail(`${at}: delta ${d} must be an integer, got ${show(delta)}`);
    bucket += delta as number;
    if (bucket < 0) fail(`${at}: bucket ${d} has a negative count ${bucket}`);
    total += bucket;
  }
  return total;
}

function checkSummaryPoint(point: Fields, at: Where): void {
  const { quantiles } = point;
  if (!Array.isArray(quantiles)) fail(`${at}: quantiles must be an array, got ${show(quantiles)}`);
  let previous = Number.NEGATIVE_INFINITY;
  for (let q = 0; q < quantiles.length; q++) {
    const entry: unknown = quantiles[q];
    if (!isObject(entry)) fail(`${at}: quantile ${q} must be an object, got ${show(entry)}`);
    const { quantile, value } = entry;
    if (typeof quantile !== 'number' || !(quantile >= 0 && quantile <= 1)) {
      fail(`${at}: quantile ${q} must be a number from 0 to 1, got ${show(quantile)}`);
    }
    // Sorted and unique, or one quantile would be written as two series with one label set.
    if (!(quantile > previous)) fail(`${at}: quantiles must increase, but ${quantile} follows ${previous}`);
    previous = quantile;
    // OpenMetrics refuses negative quantile values; NaN (no observations yet) is allowed.
    if (typeof value !== 'number' || value < 0) {
      fail(`${at}: the value of quantile ${quantile} must be a number >= 0 or NaN, got ${show(value)}`);
    }
  }
  wholeCount(point.count, at);
  // A summary's `_sum` is counter-like in OpenMetrics, so it must not go negative.
  nonNegative(point.sum, at, 'sum');
  optionalFinite(point.created, at, `created`);
  if (point.sketch !== undefined) checkSketch(point.sketch, at.sub('sketch'));
}

function checkSketch(value: unknown, at: Where): void {
  if (!isObject(value)) fail(`${at} must be an object, got ${show(value)}`);
  const accuracy = value.relativeAccuracy;
  if (typeof accuracy !== 'number' || !(accuracy > 0 && accuracy < 1)) {
    fail(`${at}: relativeAccuracy must be between 0 and 1, got ${show(accuracy)}`);
  }
  nonNegative(value.zeroCount, at, `zeroCount`);
  for (const side of ['positive', 'negative'] as const) {
    const offset = value[`${side}Offset`];
    if (!Number.isSafeInteger(offset)) fail(`${at}: ${side}Offset must be an integer, got ${show(offset)}`);
    const counts = value[side];
    if (!Array.isArray(counts)) fail(`${at}: ${side} must be an array, got ${show(counts)}`);
    for (let c = 0; c < counts.length; c++) nonNegative(counts[c], at, `${side} bucket ${c}`);
  }
}

/** Checks an exemplar; returns its value. */
function checkExemplar(value: unknown, at: Where): number {
  if (!isObject(value)) fail(`${at} must be an object, got ${show(value)}`);
  const labels = checkLabels(value.labels, at, undefined);
  let codePoints = 0;
  for (const text of [...labels.names, ...labels.values]) for (const _ of text) codePoints++;
  if (codePoints > EXEMPLAR_LABEL_CODE_POINTS) {
    fail(
      `${at}: its labels have ${codePoints} code points, more than the ${EXEMPLAR_LABEL_CODE_POINTS} allowed`,
    );
  }
  if (typeof value.value !== 'number' || Number.isNaN(value.value)) {
    fail(`${at}: the value must be a number, got ${show(value.value)}`);
  }
  optionalFinite(value.timestamp, at, `timestamp`);
  return value.value;
}

/**
 * Label name arrays already found valid. Metrics share one frozen names array across all their
 * series, so each is checked once, not once per series per scrape.
 */
const checkedNames = new WeakMap<readonly string[], string | undefined>();

function checkLabels(value: unknown, at: Where, reserved: string | undefined): LabelSet {
  if (!isObject(value)) fail(`${at}: labels must be a label set (see labelSet()), got ${show(value)}`);
  const { names, values } = value;
  if (!Array.isArray(names) || !Array.isArray(values)) {
    fail(`${at}: labels must have the arrays names and values (see labelSet())`);
  }
  if (names.length !== values.length) fail(`${at}: ${names.length} label names but ${values.length} values`);
  let problem: string | undefined;
  if (checkedNames.has(names)) problem = checkedNames.get(names);
  else {
    problem = namesProblem(names);
    // Only a frozen array cannot change after it was checked.
    if (Object.isFrozen(names)) checkedNames.set(names, problem);
  }
  if (problem !== undefined) fail(`${at}: ${problem}`);
  if (reserved !== undefined && names.includes(reserved)) {
    fail(`${at}: the label name "${reserved}" is reserved for this metric type`);
  }
  for (let k = 0; k < values.length; k++) {
    const v: unknown = values[k];
    if (typeof v !== 'string') fail(`${at}: label "${names[k]}" must have a string value, got ${show(v)}`);
    if (!v.isWellFormed()) fail(`${at}: label "${names[k]}" has a value with a lone UTF-16 surrogate`);
  }
  return value as unknown as LabelSet;
}

/** Valid names, none internal, sorted by UTF-8 bytes (the order labelSet() gives) and unique. */
function namesProblem(names: readonly unknown[]): string | undefined {
  let previous = '';
  for (let k = 0; k < names.length; k++) {
    const n = names[k];
    if (typeof n !== 'string' || !n.isWellFormed() || !isValidLabelName(n))
      return `invalid label name ${show(n)}`;
    if (n.startsWith('__')) return `label name "${n}" is reserved: the "__" prefix is internal`;
    if (k > 0 && compareUtf8(n, previous) <= 0) {
      return n === previous
        ? `duplicate label name "${n}"`
        : `label names must be sorted (labelSet() sorts them), but "${n}" follows "${previous}"`;
    }
    previous = n;
  }
  return undefined;
}

/** Whether `b` sorts strictly after `a` and has the very same names array. */
function ascending(a: LabelSet, b: LabelSet): boolean {
  if (a.names !== b.names) return false;
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < av.length; i++) {
    if (av[i] !== bv[i]) return av[i]! < bv[i]!;
  }
  return false;
}

function keyOf(labels: LabelSet): string {
  let key = '';
  for (let k = 0; k < labels.names.length; k++) {
    const n = labels.names[k]!;
    const v = labels.values[k]!;
    key += `${n.length}:${n}${v.length}:${v}`;
  }
  return key;
}

function describeLabels(labels: LabelSet): string {
  const parts = labels.names.map((n, k) => `${n}=${JSON.stringify(labels.values[k])}`);
  const text = `{${parts.join(',')}}`;
  return text.length > 200 ? `${text.slice(0, 200)}…}` : text;
}

/**
 * Where in a family a problem is, spelled out only when a problem is reported: building the text
 * for every series would cost more than the checks themselves.
 */
class Where {
  point = 0;
  labels: LabelSet | undefined;
  part: string | undefined;

  sub(part: string): Where {
    const where = new Where();
    where.point = this.point;
    where.labels = this.labels;
    where.part = part;
    return where;
  }

  toString(): string {
    const series = this.labels === undefined ? '' : ` ${describeLabels(this.labels)}`;
    return `point ${this.point}${series}${this.part === undefined ? '' : `, ${this.part}`}`;
  }
}

/** Observation counts are written as integers, and OpenMetrics parsers refuse anything else. */
function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function wholeCount(value: unknown, at: Where): number {
  if (!isCount(value)) fail(`${at}: count must be a whole number >= 0, got ${show(value)}`);
  return value;
}

/** A count: a number, not NaN, not negative. Returns it. */
function nonNegative(value: unknown, at: Where, what: string): number {
  if (typeof value !== 'number' || !(value >= 0)) {
    fail(`${at}: ${what} must be a number >= 0 (not NaN), got ${show(value)}`);
  }
  return value;
}

function optionalFinite(value: unknown, at: Where, what: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    fail(`${at}: ${what} must be a finite number, got ${show(value)}`);
  }
}
