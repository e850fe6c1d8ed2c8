/**
 * Decodes the cluster wire form (layout in `layout.ts`) back into families. Each step reads one
 * model type and returns it, so the compiler checks every family and point the decoder builds.
 */
import type {
  BucketSpan,
  CounterPoint,
  Exemplar,
  GaugePoint,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  NativeHistogramData,
  Quantile,
  SketchState,
  SummaryPoint,
} from '../../model/family.js';
import { WireCursor } from './cursor.js';
import { WireFormatError } from './errors.js';
import {
  HAS_CREATED,
  HAS_EXEMPLAR,
  HAS_NATIVE,
  HAS_SKETCH,
  HAS_TIMESTAMP,
  HEADER_BYTES,
  HEADER_INTS,
  MAGIC,
  SAME_BOUNDS,
  SAME_NAMES,
  TYPES,
  WIRE_VERSION,
} from './layout.js';

/** Makes the label set for decoded names and values; the aggregator passes an interner. */
export type LabelSetFactory = (names: readonly string[], values: readonly string[]) => LabelSet;

/**
 * Decodes a snapshot. Label sets come from `makeLabels` (default: a fresh frozen set), so a
 * caller can intern them.
 *
 * @throws {WireFormatError} when the bytes are not a snapshot of this wire version, or are
 *   truncated or corrupt; the message names the field and the family where decoding stopped.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  makeLabels: LabelSetFactory = freezeLabels,
): MetricFamily[] {
  if (bytes.byteLength < HEADER_BYTES) throw new WireFormatError('snapshot shorter than its header');
  // A Float64Array view needs an 8-aligned offset; IPC buffers from a pool may not have one.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const header = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_INTS);
  const [magic = 0, version = 0, floatCount = 0, intBytes = 0, stringCount = 0, stringBytes = 0] =
    Array.from(header);
  if (magic !== MAGIC || version !== WIRE_VERSION) {
    throw new WireFormatError(
      `not an aioprometheus snapshot of wire version ${WIRE_VERSION} (magic ${magic}, version ${version})`,
    );
  }
  const floatsAt = aligned.byteOffset + HEADER_BYTES;
  const intsAt = floatsAt + floatCount * 8;
  const stringsAt = intsAt + intBytes;
  if (stringsAt - aligned.byteOffset + stringBytes !== aligned.byteLength) {
    throw new WireFormatError(`snapshot length ${aligned.byteLength} does not match its header`);
  }
  // Every string's length takes at least one byte of integers.
  if (stringCount > intBytes)
    throw new WireFormatError(`snapshot announces ${stringCount} strings but is shorter`);
  const text = Buffer.from(aligned.buffer, stringsAt, stringBytes).toString('utf8');
  const strings = new Array<string>(stringCount);
  const cursor = new WireCursor(
    new Float64Array(aligned.buffer, floatsAt, floatCount),
    new Uint8Array(aligned.buffer, intsAt, intBytes),
    strings,
  );
  let at = 0;
  for (let i = 0; i < stringCount; i++) {
    const end = at + cursor.int('string length');
    strings[i] = text.slice(at, end);
    at = end;
  }
  if (at !== text.length) throw new WireFormatError('snapshot string table does not match its text');
  return new SnapshotDecoder(cursor, strings, makeLabels).families();
}

function freezeLabels(names: readonly string[], values: readonly string[]): LabelSet {
  return Object.freeze({ names: Object.freeze(names), values: Object.freeze(values) });
}

/** What every point starts with: its flags, label set, and optional creation time and timestamp. */
interface PointHead {
  readonly flags: number;
  readonly labels: LabelSet;
  readonly created: number | undefined;
  readonly timestampMs: number | undefined;
}

const SPAN_FIELDS = {
  positive: { count: 'positive span count', offset: 'positive span offset', length: 'positive span length' },
  negative: { count: 'negative span count', offset: 'negative span offset', length: 'negative span length' },
} as const;

class SnapshotDecoder {
  /** The label names of the previous point, which a point flagged SAME_NAMES reuses. */
  #names: readonly string[] = [];
  /** The bounds of the previous histogram point, which a point flagged SAME_BOUNDS reuses. */
  #bounds: readonly number[] = [];

  constructor(
    private readonly cursor: WireCursor,
    private readonly strings: readonly string[],
    private readonly makeLabels: LabelSetFactory,
  ) {}

  families(): MetricFamily[] {
    const count = this.cursor.count('family count');
    const out: MetricFamily[] = [];
    for (let k = 0; k < count; k++) out.push(this.family());
    this.cursor.finish();
    return out;
  }

  family(): MetricFamily {
    const c = this.cursor;
    c.family = undefined;
    const name = c.string('family name');
    c.family = name;
    const help = c.string('help');
    const unitIndex = c.int('unit');
    let unit: string | undefined;
    if (unitIndex > 0) {
      unit = this.strings[unitIndex - 1];
      if (unit === undefined) throw c.error(`refers to a missing string ${unitIndex - 1} for the unit`);
    }
    const typeIndex = c.int('type');
    const type = TYPES[typeIndex];
    if (type === undefined) throw c.error(`has an unknown type ${typeIndex}`);
    const base = unit === undefined ? { name, help } : { name, help, unit };
    const pointCount = c.count('point count');
    this.#bounds = [];
    switch (type) {
      case 'counter': {
        const points: CounterPoint[] = [];
        for (let p = 0; p < pointCount; p++) points.push(this.counterPoint());
        return { ...base, type, points };
      }
      case 'gauge':
      case 'untyped': {
        const points: GaugePoint[] = [];
        for (let p = 0; p < pointCount; p++) points.push(this.gaugePoint(type));
        return { ...base, type, points };
      }
      case 'histogram':
      case 'gaugehistogram': {
        const points: HistogramPoint[] = [];
        for (let p = 0; p < pointCount; p++) points.push(this.histogramPoint());
        return { ...base, type, points };
      }
      case 'summary': {
        const points: SummaryPoint[] = [];
        for (let p = 0; p < pointCount; p++) points.push(this.summaryPoint());
        return { ...base, type, points };
      }
    }
  }

  pointHead(): PointHead {
    const c = this.cursor;
    const flags = c.int('point flags');
    if (!(flags & SAME_NAMES)) this.#names = this.labelNames();
    const labels = this.labels(this.#names);
    const created = flags & HAS_CREATED ? c.float('created time') : undefined;
    const timestampMs = flags & HAS_TIMESTAMP ? c.float('timestamp') : undefined;
    return { flags, labels, created, timestampMs };
  }

  counterPoint(): CounterPoint {
    const { flags, labels, created, timestampMs } = this.pointHead();
    const value = this.cursor.float('value');
    const exemplar = flags & HAS_EXEMPLAR ? this.exemplar() : undefined;
    return {
      labels,
      value,
      ...(created !== undefined ? { created } : {}),
      ...(timestampMs !== undefined ? { timestampMs } : {}),
      ...(exemplar !== undefined ? { exemplar } : {}),
    };
  }

  gaugePoint(type: 'gauge' | 'untyped'): GaugePoint {
    const { flags, labels, timestampMs } = this.pointHead();
    const value = this.cursor.float('value');
    // Only counters carry an exemplar; a flag saying otherwise is not from our encoder.
    if (flags & HAS_EXEMPLAR) throw this.cursor.error(`has an exemplar on a ${type}`);
    return { labels, value, ...(timestampMs !== undefined ? { timestampMs } : {}) };
  }

  histogramPoint(): HistogramPoint {
    const c = this.cursor;
    const { flags, labels, created, timestampMs } = this.pointHead();
    const count = c.float('histogram count');
    const sum = c.float('histogram sum');
    if (!(flags & SAME_BOUNDS)) {
      this.#bounds = Object.freeze(c.floats(c.count('bucket bound count'), 'bucket bounds'));
    }
    const upperBounds = this.#bounds;
    const cumulativeCounts = c.floats(upperBounds.length, 'cumulative bucket counts');
    const exemplars = this.bucketExemplars(upperBounds.length + 1);
    const native = flags & HAS_NATIVE ? this.native() : undefined;
    return {
      labels,
      upperBounds,
      cumulativeCounts,
      count,
      sum,
      ...(created !== undefined ? { created } : {}),
      ...(timestampMs !== undefined ? { timestampMs } : {}),
      ...(exemplars !== undefined ? { exemplars } : {}),
      ...(native !== undefined ? { native } : {}),
    };
  }

  /** The exemplars of `slots` buckets (the last is +Inf), or undefined when none has one. */
  bucketExemplars(slots: number): (Exemplar | undefined)[] | undefined {
    const c = this.cursor;
    const present = c.count('exemplar count');
    if (present === 0) return undefined;
    const exemplars = new Array<Exemplar | undefined>(slots).fill(undefined);
    for (let e = 0; e < present; e++) {
      const slot = c.int('exemplar bucket');
      if (slot >= slots) throw c.error(`has an exemplar past its buckets (bucket ${slot} of ${slots})`);
      exemplars[slot] = this.exemplar();
    }
    return exemplars;
  }

  summaryPoint(): SummaryPoint {
    const c = this.cursor;
    const { flags, labels, created, timestampMs } = this.pointHead();
    const count = c.float('summary count');
    const sum = c.float('summary sum');
    const quantiles: Quantile[] = [];
    for (let q = c.count('quantile count'); q > 0; q--)
      quantiles.push({ quantile: c.float('quantile'), value: c.float('quantile value') });
    const sketch = flags & HAS_SKETCH ? this.sketch() : undefined;
    return {
      labels,
      quantiles,
      count,
      sum,
      ...(created !== undefined ? { created } : {}),
      ...(timestampMs !== undefined ? { timestampMs } : {}),
      ...(sketch !== undefined ? { sketch } : {}),
    };
  }

  labelNames(): readonly string[] {
    const n = this.cursor.count('label count');
    const names = new Array<string>(n);
    for (let k = 0; k < n; k++) names[k] = this.cursor.string('label name');
    return names;
  }

  labels(names: readonly string[]): LabelSet {
    const values = new Array<string>(names.length);
    for (let k = 0; k < names.length; k++) values[k] = this.cursor.string('label value');
    return this.makeLabels(names, values);
  }

  exemplar(): Exemplar {
    const labels = this.labels(this.labelNames());
    const value = this.cursor.float('exemplar value');
    const timestamp = this.cursor.float('exemplar timestamp');
    return Number.isNaN(timestamp) ? { labels, value } : { labels, value, timestamp };
  }

  native(): NativeHistogramData {
    const c = this.cursor;
    const schema = c.float('native schema');
    const zeroThreshold = c.float('native zero threshold');
    const zeroCount = c.float('native zero count');
    const positiveSpans = this.spans('positive');
    const positiveDeltas = c.floats(c.count('positive delta count'), 'positive deltas');
    const negativeSpans = this.spans('negative');
    const negativeDeltas = c.floats(c.count('negative delta count'), 'negative deltas');
    return {
      schema,
      zeroThreshold,
      zeroCount,
      positiveSpans,
      positiveDeltas,
      negativeSpans,
      negativeDeltas,
    };
  }

  spans(side: 'positive' | 'negative'): BucketSpan[] {
    const c = this.cursor;
    const field = SPAN_FIELDS[side];
    const spans: BucketSpan[] = [];
    for (let n = c.count(field.count); n > 0; n--)
      spans.push({ offset: c.float(field.offset), length: c.int(field.length) });
    return spans;
  }

  sketch(): SketchState {
    const c = this.cursor;
    const relativeAccuracy = c.float('sketch relative accuracy');
    const zeroCount = c.float('sketch zero count');
    const positiveOffset = c.float('sketch positive offset');
    const negativeOffset = c.float('sketch negative offset');
    const positiveLength = c.count('sketch positive length');
    const negativeLength = c.count('sketch negative length');
    return {
      relativeAccuracy,
      zeroCount,
      positiveOffset,
      positive: c.floats(positiveLength, 'sketch positive counts'),
      negativeOffset,
      negative: c.floats(negativeLength, 'sketch negative counts'),
    };
  }
}
