/**
 * Encodes collected families into the cluster wire form (layout in `layout.ts`).
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { decodeSnapshot, encodeSnapshot } from 'aioprometheus/cluster';
 *
 * const registry = new Registry();
 * const bytes = encodeSnapshot(await registry.collect());
 * const families = decodeSnapshot(bytes);
 * ```
 */
import type { Exemplar, MetricFamily, NativeHistogramData } from '../../model/family.js';
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

/** Encodes collected families into the compact wire form; never throws for a valid family. */
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

/** The three sections being filled, and the string table that deduplicates every string. */
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
    const out = new Uint8Array(HEADER_BYTES + floatBytes + intBytes + utf8.length);
    new Uint32Array(out.buffer, 0, HEADER_INTS).set([
      MAGIC,
      WIRE_VERSION,
      this.floats.length,
      intBytes,
      this.strings.length,
      utf8.length,
    ]);
    new Float64Array(out.buffer, HEADER_BYTES, this.floats.length).set(
      this.floats.data.subarray(0, this.floats.length),
    );
    let at = HEADER_BYTES + floatBytes;
    out.set(lengths.data.subarray(0, lengths.length), at);
    at += lengths.length;
    out.set(this.ints.data.subarray(0, this.ints.length), at);
    out.set(utf8, at + this.ints.length);
    return out;
  }
}
