/**
 * Native (sparse, exponential) histogram buckets, as docs/formats.md §4 and client_golang define them.
 *
 * With b = 2^(2^-schema), positive bucket i holds (b^(i-1), b^i] and negative bucket i holds
 * [-b^i, -b^(i-1)); values within [-zeroThreshold, zeroThreshold] go to the zero bucket. Only
 * populated buckets are stored, one `Map<key, count>` per sign: an observation into an existing
 * bucket allocates nothing, and memory grows with the number of populated buckets, not with the
 * range of keys between them (a typed array with an offset is about 7 ns faster per observation
 * but can need megabytes for two far-apart values at schema 8).
 */
import { MetricDefinitionError } from '../errors.js';
import type { BucketSpan, NativeHistogramData } from '../model/family.js';
import { checkOptionKeys } from '../options.js';
import { NATIVE_HISTOGRAM_BOUNDS } from './native-bounds.js';

/**
 * Settings of a native histogram. Every field is optional; `native: true` takes all defaults.
 *
 * @example
 * ```ts
 * import { Histogram } from 'aioprometheus';
 *
 * new Histogram({ name: 'rpc_seconds', help: 'RPC latency.', native: { bucketFactor: 1.1, maxBuckets: 160 } });
 * ```
 */
export interface NativeHistogramOptions {
  /**
   * The largest allowed ratio between the upper and lower bound of a bucket, > 1. The schema
   * picked is the coarsest one whose factor 2^(2^-schema) does not exceed it, within [-4, 8].
   * Default 1.1 (schema 3, factor 1.0905).
   */
  readonly bucketFactor?: number;
  /** Values within [-zeroThreshold, zeroThreshold] count in the zero bucket; 0 means exact zeros only. Default 2^-128. */
  readonly zeroThreshold?: number;
  /**
   * The most populated buckets (positive and negative together) a series keeps; 0 means no
   * limit. Going over it resets the series (see `minResetDurationSeconds`), or else widens the
   * zero bucket (see `maxZeroThreshold`), or else halves the resolution. Default 160.
   */
  readonly maxBuckets?: number;
  /**
   * When the bucket limit is hit at least this long after the last reset, the series is reset
   * (keeping only the current observation) instead of losing resolution; a series that had to
   * lose resolution is reset by the first collection at or after this time since its last reset.
   * 0 never resets. Default 0; one hour is a sensible setting.
   */
  readonly minResetDurationSeconds?: number;
  /** The largest zero threshold the bucket limit may widen the zero bucket to. Default 0: never widen. */
  readonly maxZeroThreshold?: number;
}

/** The default zero threshold, 2^-128, a bucket boundary at every schema. */
export const DEFAULT_NATIVE_ZERO_THRESHOLD = 2 ** -128;

/** Validated native histogram settings. */
export interface NativeConfig {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly maxBuckets: number;
  readonly minResetDurationMs: number;
  readonly maxZeroThreshold: number;
}

const MIN_SCHEMA = -4;
const MAX_SCHEMA = 8;

/** Checks native histogram options and fills in the defaults; throws MetricDefinitionError naming `metric`. */
export function resolveNativeOptions(metric: string, options: true | NativeHistogramOptions): NativeConfig {
  if (options !== true && (typeof options !== 'object' || options === null)) {
    throw new MetricDefinitionError(metric, 'native must be true, false or an options object');
  }
  const o: NativeHistogramOptions = options === true ? {} : options;
  checkOptionKeys(
    'native histogram',
    o,
    ['bucketFactor', 'zeroThreshold', 'maxBuckets', 'minResetDurationSeconds', 'maxZeroThreshold'],
    // client_golang's option names, as Go programmers write them.
    {
      NativeHistogramBucketFactor: 'bucketFactor',
      NativeHistogramZeroThreshold: 'zeroThreshold',
      NativeHistogramMaxBucketNumber: 'maxBuckets',
      NativeHistogramMinResetDuration: 'minResetDurationSeconds',
      NativeHistogramMaxZeroThreshold: 'maxZeroThreshold',
    },
    (message) => new MetricDefinitionError(metric, message),
  );
  const factor = o.bucketFactor ?? 1.1;
  if (typeof factor !== 'number' || !(factor > 1) || !Number.isFinite(factor)) {
    throw new MetricDefinitionError(metric, `native bucketFactor must be a finite number > 1, got ${factor}`);
  }
  const maxBuckets = o.maxBuckets ?? 160;
  if (!Number.isInteger(maxBuckets) || maxBuckets < 0) {
    throw new MetricDefinitionError(metric, `native maxBuckets must be an integer >= 0, got ${maxBuckets}`);
  }
  return {
    schema: pickSchema(factor),
    zeroThreshold: nonNegative(metric, 'zeroThreshold', o.zeroThreshold ?? DEFAULT_NATIVE_ZERO_THRESHOLD),
    maxBuckets,
    minResetDurationMs: nonNegative(metric, 'minResetDurationSeconds', o.minResetDurationSeconds ?? 0) * 1000,
    maxZeroThreshold: nonNegative(metric, 'maxZeroThreshold', o.maxZeroThreshold ?? 0),
  };
}

function nonNegative(metric: string, option: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new MetricDefinitionError(metric, `native ${option} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/**
 * The schema for a bucket factor: clamp(-floor(log2(log2(factor))), -4, 8), as client_golang's
 * pickSchema. `pickSchema(1.1)` is 3.
 */
export function pickSchema(bucketFactor: number): number {
  const floor = Math.floor(Math.log2(Math.log2(bucketFactor)));
  return Math.min(MAX_SCHEMA, Math.max(MIN_SCHEMA, 0 - floor));
}

const BOUNDS: readonly Float64Array[] = NATIVE_HISTOGRAM_BOUNDS.map((b) => Float64Array.from(b));
const MAX_FLOAT64 = Number.MAX_VALUE;

/**
 * A float and its two 32-bit halves over one buffer, for frexp without allocation. Typed arrays use
 * the platform's byte order, so the index of the high half (sign, exponent, top of the mantissa)
 * is taken from a probe.
 */
const frexpFloat = new Float64Array(1);
const frexpWords = new Uint32Array(frexpFloat.buffer);
frexpFloat[0] = 1;
const HIGH = frexpWords[1] === 0x3ff00000 ? 1 : 0;
/** The binary exponent of the last `frexpFraction` call; a module variable so the call allocates nothing. */
let frexpExponent = 0;

/**
 * frexp of a finite, non-zero, positive v: returns the fraction in [0.5, 1) and leaves the
 * exponent in `frexpExponent`, so that v = fraction × 2^exponent exactly. Reads the IEEE 754
 * bits, scaling subnormals into the normal range first.
 */
function frexpFraction(v: number): number {
  frexpFloat[0] = v;
  let high = frexpWords[HIGH]!;
  let biased = high >>> 20;
  let scale = 0;
  if (biased === 0) {
    frexpFloat[0] = v * 2 ** 64;
    high = frexpWords[HIGH]!;
    biased = high >>> 20;
    scale = 64;
  }
  frexpExponent = biased - 1022 - scale;
  // Keep the mantissa and set the exponent field to that of [0.5, 1).
  frexpWords[HIGH] = (high & 0x000fffff) | 0x3fe00000;
  return frexpFloat[0]!;
}

/**
 * The bucket key of a non-zero value at a schema, by the sign-free magnitude: the i with
 * b^(i-1) < |v| ≤ b^i. ±Inf go one past the bucket of ±MaxFloat64 (key 262145 at schema 8).
 * NaN has no bucket; callers count it elsewhere.
 */
export function bucketKey(value: number, schema: number): number {
  let v = value < 0 ? -value : value;
  const infinite = v === Number.POSITIVE_INFINITY;
  if (infinite) v = MAX_FLOAT64;
  const frac = frexpFraction(v);
  const exp = frexpExponent;
  let key: number;
  if (schema > 0) {
    const bounds = BOUNDS[schema]!;
    // The first index whose boundary is >= frac.
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid]! < frac) lo = mid + 1;
      else hi = mid;
    }
    key = lo + (exp - 1) * (1 << schema);
  } else {
    key = frac === 0.5 ? exp - 1 : exp;
    const shift = -schema;
    key = (key + (1 << shift) - 1) >> shift;
  }
  return infinite ? key + 1 : key;
}

/**
 * The upper bound of bucket `key` (the lower bound of `key + 1`), as client_golang's getLe: the
 * bucket holding MaxFloat64 ends at MaxFloat64 rather than at a computed +Inf, and the key after
 * it (the ±Inf bucket) ends at +Inf.
 */
export function bucketUpperBound(key: number, schema: number): number {
  if (schema <= 0) {
    const exp = key * 2 ** -schema;
    return exp === 1024 ? MAX_FLOAT64 : ldexp(1, exp);
  }
  const frac = BOUNDS[schema]![key & ((1 << schema) - 1)]!;
  const exp = (key >> schema) + 1;
  return frac === 0.5 && exp === 1025 ? MAX_FLOAT64 : ldexp(frac, exp);
}

/** frac × 2^exp with a single rounding, also where 2^exp alone would overflow or underflow. */
function ldexp(frac: number, exp: number): number {
  if (exp > 1023) return frac * 2 ** 1023 * 2 ** (exp - 1023);
  if (exp < -1022) return exp < -1074 - 53 ? 0 : frac * 2 ** (exp + 1074) * 2 ** -1074;
  return frac * 2 ** exp;
}

/** Spans and deltas of one side of a native histogram (docs/formats.md §4). */
export interface SpansAndDeltas {
  readonly spans: BucketSpan[];
  readonly deltas: number[];
}

/**
 * Encodes populated buckets as spans and deltas, as client_golang's makeBuckets. A gap of at
 * most `maxFilledGap` empty buckets (client_golang: 2) is written as explicit zero buckets
 * rather than as a new span, which is shorter on the wire; 0 opens a span at every gap.
 *
 * @example
 * ```ts
 * import { nativeSpans } from './native-histogram.js';
 *
 * nativeSpans(new Map([[-2, 3], [-1, 5], [2, 1], [4, 3], [5, 2]]), 0);
 * // { spans: [{offset: -2, length: 2}, {offset: 2, length: 1}, {offset: 1, length: 2}], deltas: [3, 2, -4, 2, -1] }
 * ```
 */
export function nativeSpans(buckets: ReadonlyMap<number, number>, maxFilledGap = 2): SpansAndDeltas {
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  if (buckets.size === 0) return { spans, deltas };
  const keys = Array.from(buckets.keys()).sort((a, b) => a - b);
  let offset = keys[0]!;
  let length = 0;
  let previous = 0;
  let next = keys[0]!;
  for (const key of keys) {
    const gap = key - next;
    if (gap > maxFilledGap) {
      spans.push({ offset, length });
      offset = gap;
      length = 0;
    } else {
      for (let i = 0; i < gap; i++) {
        deltas.push(0 - previous);
        previous = 0;
      }
      length += gap;
    }
    const count = buckets.get(key)!;
    deltas.push(count - previous);
    previous = count;
    length++;
    next = key + 1;
  }
  spans.push({ offset, length });
  return { spans, deltas };
}

function increment(buckets: Map<number, number>, key: number, by: number): void {
  buckets.set(key, (buckets.get(key) ?? 0) + by);
}

/** The native buckets of one histogram series. */
export class NativeBuckets {
  schema: number;
  zeroThreshold: number;
  zeroCount = 0;
  readonly positive = new Map<number, number>();
  readonly negative = new Map<number, number>();
  /** Seconds since the epoch of the last reset: the series' created time. */
  lastReset: number;
  /** When (ms since the epoch) a collection should reset the series, after limiting lost resolution. */
  #resetDueMs: number | undefined;

  constructor(
    readonly config: NativeConfig,
    createdSeconds: number,
  ) {
    this.schema = config.schema;
    this.zeroThreshold = config.zeroThreshold;
    this.lastReset = createdSeconds;
  }

  /**
   * Counts a value other than NaN. Returns true when the bucket limit reset the series instead:
   * the native buckets then hold only this value, and the caller must reset its own counts and
   * count the value again.
   */
  observe(value: number): boolean {
    const threshold = this.zeroThreshold;
    if (value > threshold) increment(this.positive, bucketKey(value, this.schema), 1);
    else if (value < -threshold) increment(this.negative, bucketKey(value, this.schema), 1);
    else this.zeroCount++;
    // Like client_golang, the limit is checked after every observation, zero-bucket ones too: a
    // series left over the limit by an earlier step keeps shrinking until it fits.
    const max = this.config.maxBuckets;
    if (max === 0 || this.positive.size + this.negative.size <= max) return false;
    return this.#limit(value);
  }

  /** One limiting step (docs/formats.md §4): reset, or else widen the zero bucket, or else halve the resolution. */
  #limit(value: number): boolean {
    const minReset = this.config.minResetDurationMs;
    if (minReset > 0) {
      const now = Date.now();
      if (now - this.lastReset * 1000 >= minReset) {
        this.reset(now / 1000);
        this.observe(value);
        return true;
      }
      this.#resetDueMs ??= this.lastReset * 1000 + minReset;
    }
    if (!this.#widenZeroBucket()) this.#halveResolution();
    return false;
  }

  /** Merges the bucket closest to zero into the zero bucket, if its upper bound stays within maxZeroThreshold. */
  #widenZeroBucket(): boolean {
    const max = this.config.maxZeroThreshold;
    if (this.zeroThreshold >= max) return false;
    let smallest = Number.POSITIVE_INFINITY;
    for (const key of this.positive.keys()) if (key < smallest) smallest = key;
    for (const key of this.negative.keys()) if (key < smallest) smallest = key;
    if (smallest === Number.POSITIVE_INFINITY) return false;
    const threshold = bucketUpperBound(smallest, this.schema);
    if (threshold > max) return false;
    this.zeroThreshold = threshold;
    this.zeroCount += (this.positive.get(smallest) ?? 0) + (this.negative.get(smallest) ?? 0);
    this.positive.delete(smallest);
    this.negative.delete(smallest);
    return true;
  }

  /** Lowers the schema by one: buckets 2k-1 and 2k become bucket k. Nothing below schema -4. */
  #halveResolution(): void {
    if (this.schema <= MIN_SCHEMA) return;
    this.schema--;
    for (const buckets of [this.positive, this.negative]) {
      const old = Array.from(buckets);
      buckets.clear();
      for (const [key, count] of old) increment(buckets, Math.ceil(key / 2), count);
    }
  }

  /** Whether limiting lowered the resolution long enough ago that the series is due for a reset. */
  resetDue(nowMs: number): boolean {
    return this.#resetDueMs !== undefined && nowMs >= this.#resetDueMs;
  }

  /** Empties the buckets and restores the configured schema and zero threshold. */
  reset(nowSeconds: number): void {
    this.schema = this.config.schema;
    this.zeroThreshold = this.config.zeroThreshold;
    this.zeroCount = 0;
    this.positive.clear();
    this.negative.clear();
    this.lastReset = nowSeconds;
    this.#resetDueMs = undefined;
  }

  /** The snapshot form. */
  data(): NativeHistogramData {
    const positive = nativeSpans(this.positive);
    const negative = nativeSpans(this.negative);
    return {
      schema: this.schema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
    };
  }
}
