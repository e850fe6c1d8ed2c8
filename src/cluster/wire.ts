/**
 * The compact binary form in which a worker sends its snapshot to the aggregating process.
 *
 * ```ts
 * const bytes = encodeSnapshot(await registry.collect());
 * const families = decodeSnapshot(bytes);
 * ```
 *
 * JSON of every sample would repeat each label name and value per series and print every number
 * as text. Here every distinct string (names, help, label values) is sent once in a string table,
 * the structure is a run of unsigned LEB128 varints (mostly one byte) that index it, a series
 * whose label names equal the previous series' sends only its values, and every number is a raw
 * float64, so NaN, ±Inf and -0 travel exactly. Layout (float64 and header in the platform's byte
 * order; both ends share a machine):
 *
 * ```
 * header   6 × u32: magic, version, float count, varint bytes, string count, string bytes
 * floats   float64 × float count          (offset 24, so a Float64Array can view it in place)
 * varints  string lengths in UTF-16 units, then the structure
 * strings  UTF-8 of all strings concatenated
 * ```
 *
 * Sketch states travel with summary points and native buckets (schema, zero bucket, spans and
 * deltas) with histogram points, so the receiver can merge both.
 */
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
  SketchState,
  SummaryPoint,
} from '../model/family.js';

const MAGIC = 0x41494f50;
/** Bumped whenever the layout changes; a receiver refuses other versions. 2: native buckets travel. */
export const WIRE_VERSION = 2;
const HEADER_INTS = 6;

const TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'untyped',
];

const HAS_CREATED = 1;
const HAS_TIMESTAMP = 2;
const HAS_EXEMPLAR = 4;
const HAS_SKETCH = 8;
const HAS_NATIVE = 16;
const SAME_BOUNDS = 32;
const SAME_NAMES = 64;

/** Makes the label set for decoded names and values; the aggregator passes an interner. */
export type LabelSetFactory = (names: readonly string[], values: readonly string[]) => LabelSet;

/** A growable float64 array. */
class Floats {
  length = 0;
  data = new Float64Array(1024);

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/** A growable byte array of unsigned LEB128 varints. */
class Varints {
  length = 0;
  data = new Uint8Array(4096);

  push(value: number): void {
    if (this.length + 5 > this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    while (value >= 0x80) {
      this.data[this.length++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.data[this.length++] = value;
  }
}

class Writer {
  readonly floats = new Floats();
  readonly ints = new Varints();
  readonly strings: string[] = [];
  readonly #index = new Map<string, number>();

  string(s: string): number {
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.#index.set(s, i);
    }
    return i;
  }

  labelNames(names: readonly string[]): void {
    this.ints.push(names.length);
    for (const n of names) this.ints.push(this.string(n));
  }

  labelValues(values: readonly string[]): void {
    for (const v of values) this.ints.push(this.string(v));
  }

  exemplar(e: Exemplar): void {
    this.labelNames(e.labels.names);
    this.labelValues(e.labels.values);
    this.floats.push(e.value);
    this.floats.push(e.timestamp ?? Number.NaN);
  }

  finish(): Uint8Array {
    const utf8 = Buffer.from(this.strings.join(''), 'utf8');
    const lengths = new Varints();
    for (const s of this.strings) lengths.push(s.length);
    const floatBytes = this.floats.length * 8;
    const intBytes = lengths.length + this.ints.length;
    const out = new Uint8Array(HEADER_INTS * 4 + floatBytes + intBytes + utf8.length);
    new Uint32Array(out.buffer, 0, HEADER_INTS).set([
      MAGIC,
      WIRE_VERSION,
      this.floats.length,
      intBytes,
      this.strings.length,
      utf8.length,
    ]);
    new Float64Array(out.buffer, HEADER_INTS * 4, this.floats.length).set(
      this.floats.data.subarray(0, this.floats.length),
    );
    let at = HEADER_INTS * 4 + floatBytes;
    out.set(lengths.data.subarray(0, lengths.length), at);
    at += lengths.length;
    out.set(this.ints.data.subarray(0, this.ints.length), at);
    out.set(utf8, at + this.ints.length);
    return out;
  }
}

/** Encodes collected families into the compact wire form. */
export function encodeSnapshot(families: readonly MetricFamily[]): Uint8Array {
  const w = new Writer();
  const { ints, floats } = w;
  ints.push(families.length);
  for (const family of families) {
    ints.push(w.string(family.name));
    ints.push(w.string(family.help));
    ints.push(family.unit === undefined ? 0 : w.string(family.unit) + 1);
    ints.push(TYPES.indexOf(family.type));
    ints.push(family.points.length);
    let previousBounds: readonly number[] | undefined;
    let previousNames: readonly string[] | undefined;
    for (const point of family.points) {
      const names = point.labels.names;
      const sameNames = previousNames !== undefined && sameStrings(names, previousNames);
      previousNames = names;
      const created = 'created' in point ? point.created : undefined;
      const exemplar = 'exemplar' in point ? point.exemplar : undefined;
      const sketch = 'sketch' in point ? point.sketch : undefined;
      const native = 'native' in point ? point.native : undefined;
      const sameBounds = 'upperBounds' in point && point.upperBounds === previousBounds;
      const flags =
        (created !== undefined ? HAS_CREATED : 0) |
        (point.timestampMs !== undefined ? HAS_TIMESTAMP : 0) |
        (exemplar !== undefined ? HAS_EXEMPLAR : 0) |
        (sketch !== undefined ? HAS_SKETCH : 0) |
        (native !== undefined ? HAS_NATIVE : 0) |
        (sameBounds ? SAME_BOUNDS : 0) |
        (sameNames ? SAME_NAMES : 0);
      ints.push(flags);
      if (!sameNames) w.labelNames(names);
      w.labelValues(point.labels.values);
      if (created !== undefined) floats.push(created);
      if (point.timestampMs !== undefined) floats.push(point.timestampMs);
      if ('upperBounds' in point) {
        floats.push(point.count);
        floats.push(point.sum);
        if (!sameBounds) {
          ints.push(point.upperBounds.length);
          for (const b of point.upperBounds) floats.push(b);
          previousBounds = point.upperBounds;
        }
        for (const c of point.cumulativeCounts) floats.push(c);
        const exemplars = point.exemplars ?? [];
        let present = 0;
        for (const e of exemplars) if (e !== undefined) present++;
        ints.push(present);
        exemplars.forEach((e, slot) => {
          if (e === undefined) return;
          ints.push(slot);
          w.exemplar(e);
        });
        if (native !== undefined) writeNative(w, native);
      } else if ('quantiles' in point) {
        floats.push(point.count);
        floats.push(point.sum);
        ints.push(point.quantiles.length);
        for (const q of point.quantiles) {
          floats.push(q.quantile);
          floats.push(q.value);
        }
        if (sketch !== undefined) {
          floats.push(sketch.relativeAccuracy);
          floats.push(sketch.zeroCount);
          floats.push(sketch.positiveOffset);
          floats.push(sketch.negativeOffset);
          ints.push(sketch.positive.length);
          ints.push(sketch.negative.length);
          for (const c of sketch.positive) floats.push(c);
          for (const c of sketch.negative) floats.push(c);
        }
      } else {
        floats.push(point.value);
        if (exemplar !== undefined) w.exemplar(exemplar);
      }
    }
  }
  return w.finish();
}

/** Schema, zero bucket and span offsets as floats (they may be negative), span lengths as varints. */
function writeNative(w: Writer, native: NativeHistogramData): void {
  const { floats, ints } = w;
  floats.push(native.schema);
  floats.push(native.zeroThreshold);
  floats.push(native.zeroCount);
  for (const [spans, deltas] of [
    [native.positiveSpans, native.positiveDeltas],
    [native.negativeSpans, native.negativeDeltas],
  ] as const) {
    ints.push(spans.length);
    for (const span of spans) {
      floats.push(span.offset);
      ints.push(span.length);
    }
    ints.push(deltas.length);
    for (const d of deltas) floats.push(d);
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Thrown when bytes are not a snapshot of this wire version. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError' as const;
}

/**
 * Decodes a snapshot. Label sets come from `makeLabels` (default: a fresh frozen set), so a
 * caller can intern them. Throws WireFormatError on bytes of another version or a truncated body.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  makeLabels: LabelSetFactory = freezeLabels,
): MetricFamily[] {
  if (bytes.byteLength < HEADER_INTS * 4) throw new WireFormatError('snapshot shorter than its header');
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
  const floatsAt = aligned.byteOffset + HEADER_INTS * 4;
  const intsAt = floatsAt + floatCount * 8;
  const stringsAt = intsAt + intBytes;
  if (stringsAt - aligned.byteOffset + stringBytes !== aligned.byteLength) {
    throw new WireFormatError(`snapshot length ${aligned.byteLength} does not match its header`);
  }
  // Every string's length takes at least one byte of integers.
  if (stringCount > intBytes)
    throw new WireFormatError(`snapshot announces ${stringCount} strings but is shorter`);
  const floats = new Float64Array(aligned.buffer, floatsAt, floatCount);
  const ints = new Uint8Array(aligned.buffer, intsAt, intBytes);
  const text = Buffer.from(aligned.buffer, stringsAt, stringBytes).toString('utf8');
  const strings = new Array<string>(stringCount);
  const reader = new Reader(floats, ints, strings, makeLabels);
  let at = 0;
  for (let i = 0; i < stringCount; i++) {
    const end = at + reader.int();
    strings[i] = text.slice(at, end);
    at = end;
  }
  if (at !== text.length) throw new WireFormatError('snapshot string table does not match its text');
  return reader.families();
}

function freezeLabels(names: readonly string[], values: readonly string[]): LabelSet {
  return Object.freeze({ names: Object.freeze(names), values: Object.freeze(values) });
}

class Reader {
  #f = 0;
  #i = 0;
  #names: readonly string[] = [];

  constructor(
    private readonly floats: Float64Array,
    private readonly ints: Uint8Array,
    private readonly strings: readonly string[],
    private readonly makeLabels: LabelSetFactory,
  ) {}

  int(): number {
    const ints = this.ints;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.#i >= ints.length) throw new WireFormatError('snapshot truncated (integers)');
      const byte = ints[this.#i++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
      if (shift > 28) throw new WireFormatError('snapshot has an integer that is too long');
    }
  }

  float(): number {
    if (this.#f >= this.floats.length) throw new WireFormatError('snapshot truncated (numbers)');
    return this.floats[this.#f++]!;
  }

  string(): string {
    const s = this.strings[this.int()];
    if (s === undefined) throw new WireFormatError('snapshot refers to a missing string');
    return s;
  }

  labelNames(): readonly string[] {
    const n = this.count();
    const names = new Array<string>(n);
    for (let k = 0; k < n; k++) names[k] = this.string();
    return names;
  }

  labels(names: readonly string[]): LabelSet {
    const values = new Array<string>(names.length);
    for (let k = 0; k < names.length; k++) values[k] = this.string();
    return this.makeLabels(names, values);
  }

  exemplar(): Exemplar {
    const labels = this.labels(this.labelNames());
    const value = this.float();
    const timestamp = this.float();
    return Number.isNaN(timestamp) ? { labels, value } : { labels, value, timestamp };
  }

  families(): MetricFamily[] {
    const count = this.count();
    const out: MetricFamily[] = [];
    for (let k = 0; k < count; k++) out.push(this.family());
    this.finish();
    return out;
  }

  family(): MetricFamily {
    const name = this.string();
    const help = this.string();
    const unitIndex = this.int();
    let unit: string | undefined;
    if (unitIndex > 0) {
      unit = this.strings[unitIndex - 1];
      if (unit === undefined) throw new WireFormatError(`metric family "${name}" refers to a missing unit`);
    }
    const type = TYPES[this.int()];
    if (type === undefined) throw new WireFormatError(`metric family "${name}" has an unknown type`);
    const base = unit === undefined ? { name, help } : { name, help, unit };
    const pointCount = this.count();
    switch (type) {
      case 'counter': {
        const points: CounterPoint[] = [];
        for (let p = 0; p < pointCount; p++) {
          const { flags, labels, created, timestampMs } = this.pointHead();
          const value = this.float();
          const exemplar = flags & HAS_EXEMPLAR ? this.exemplar() : undefined;
          points.push({
            labels,
            value,
            ...(created !== undefined ? { created } : {}),
            ...(timestampMs !== undefined ? { timestampMs } : {}),
            ...(exemplar !== undefined ? { exemplar } : {}),
          });
        }
        return { ...base, type, points };
      }
      case 'gauge':
      case 'untyped': {
        const points: GaugePoint[] = [];
        for (let p = 0; p < pointCount; p++) {
          const { flags, labels, timestampMs } = this.pointHead();
          points.push({ labels, value: this.float(), ...(timestampMs !== undefined ? { timestampMs } : {}) });
          // Only counters carry an exemplar; a flag saying otherwise is not from our encoder.
          if (flags & HAS_EXEMPLAR)
            throw new WireFormatError(`metric family "${name}" has an exemplar on a ${type}`);
        }
        return { ...base, type, points };
      }
      case 'histogram':
      case 'gaugehistogram': {
        const points: HistogramPoint[] = [];
        let bounds: readonly number[] = [];
        for (let p = 0; p < pointCount; p++) {
          const { flags, labels, created, timestampMs } = this.pointHead();
          const count = this.float();
          const sum = this.float();
          if (!(flags & SAME_BOUNDS)) bounds = Object.freeze(this.floatRun(this.count()));
          const cumulativeCounts = this.floatRun(bounds.length);
          const present = this.count();
          let exemplars: (Exemplar | undefined)[] | undefined;
          if (present > 0) {
            exemplars = new Array<Exemplar | undefined>(bounds.length + 1).fill(undefined);
            for (let e = 0; e < present; e++) {
              const slot = this.int();
              if (slot > bounds.length)
                throw new WireFormatError(`metric family "${name}" has an exemplar past its buckets`);
              exemplars[slot] = this.exemplar();
            }
          }
          const native = flags & HAS_NATIVE ? this.native() : undefined;
          points.push({
            labels,
            upperBounds: bounds,
            cumulativeCounts,
            count,
            sum,
            ...(created !== undefined ? { created } : {}),
            ...(timestampMs !== undefined ? { timestampMs } : {}),
            ...(exemplars !== undefined ? { exemplars } : {}),
            ...(native !== undefined ? { native } : {}),
          });
        }
        return { ...base, type, points };
      }
      case 'summary': {
        const points: SummaryPoint[] = [];
        for (let p = 0; p < pointCount; p++) {
          const { flags, labels, created, timestampMs } = this.pointHead();
          const count = this.float();
          const sum = this.float();
          const quantiles: Quantile[] = [];
          for (let q = this.count(); q > 0; q--)
            quantiles.push({ quantile: this.float(), value: this.float() });
          const sketch = flags & HAS_SKETCH ? this.sketch() : undefined;
          points.push({
            labels,
            quantiles,
            count,
            sum,
            ...(created !== undefined ? { created } : {}),
            ...(timestampMs !== undefined ? { timestampMs } : {}),
            ...(sketch !== undefined ? { sketch } : {}),
          });
        }
        return { ...base, type, points };
      }
    }
  }

  /** What every point starts with: its flags, label set, and optional creation time and timestamp. */
  pointHead(): {
    flags: number;
    labels: LabelSet;
    created: number | undefined;
    timestampMs: number | undefined;
  } {
    const flags = this.int();
    if (!(flags & SAME_NAMES)) this.#names = this.labelNames();
    const labels = this.labels(this.#names);
    const created = flags & HAS_CREATED ? this.float() : undefined;
    const timestampMs = flags & HAS_TIMESTAMP ? this.float() : undefined;
    return { flags, labels, created, timestampMs };
  }

  /**
   * A count of items that follow. Each item takes at least one byte of integers or one number, so
   * a count above what is left is corrupt; checking first keeps a forged count from allocating.
   */
  count(): number {
    const n = this.int();
    if (n > this.ints.length - this.#i + this.floats.length - this.#f) {
      throw new WireFormatError(`snapshot announces ${n} items but is shorter`);
    }
    return n;
  }

  /** Throws unless every integer and number was read: trailing data means a different layout. */
  finish(): void {
    if (this.#i !== this.ints.length || this.#f !== this.floats.length) {
      throw new WireFormatError('snapshot has data after its last family');
    }
  }

  native(): NativeHistogramData {
    const schema = this.float();
    const zeroThreshold = this.float();
    const zeroCount = this.float();
    const positiveSpans = this.spans();
    const positiveDeltas = this.floatRun(this.count());
    const negativeSpans = this.spans();
    const negativeDeltas = this.floatRun(this.count());
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

  spans(): BucketSpan[] {
    const spans: BucketSpan[] = [];
    for (let n = this.count(); n > 0; n--) spans.push({ offset: this.float(), length: this.int() });
    return spans;
  }

  sketch(): SketchState {
    const relativeAccuracy = this.float();
    const zeroCount = this.float();
    const positiveOffset = this.float();
    const negativeOffset = this.float();
    const positiveLength = this.count();
    const negativeLength = this.count();
    return {
      relativeAccuracy,
      zeroCount,
      positiveOffset,
      positive: this.floatRun(positiveLength),
      negativeOffset,
      negative: this.floatRun(negativeLength),
    };
  }

  floatRun(n: number): number[] {
    if (this.#f + n > this.floats.length) throw new WireFormatError('snapshot truncated (numbers)');
    const out = Array.from(this.floats.subarray(this.#f, this.#f + n));
    this.#f += n;
    return out;
  }
}
