/**
 * The byte layout of a cluster snapshot: the compact binary form in which a worker sends its
 * families to the aggregating process. The encoder and the decoder both read it from here.
 *
 * JSON of every sample would repeat each label name and value per series and print every number
 * as text. Here every distinct string (names, help, label values) is sent once in a string table,
 * the structure is a run of unsigned LEB128 varints (mostly one byte) that index it, a series
 * whose label names equal the previous series' sends only its values, and every number is a raw
 * float64, so NaN, ±Inf and -0 travel exactly. Float64 and header are in the platform's byte
 * order: both ends share a machine.
 *
 * ```
 * header   6 × u32: magic, version, float count, varint bytes, string count, string bytes
 * floats   float64 × float count          (offset 24, so a Float64Array can view it in place)
 * varints  string lengths in UTF-16 units, then the structure
 * strings  UTF-8 of all strings concatenated
 * ```
 *
 * The structure, in the order it is written (ints are varints, floats are float64 entries):
 *
 * ```
 * snapshot   int family count, then each family
 * family     int name, int help, int unit (0: none, else string index + 1), int type (TYPES),
 *            int point count, then each point
 * point      int flags; unless SAME_NAMES: int label count and a name per label; a value per
 *            label; float created if HAS_CREATED; float timestamp if HAS_TIMESTAMP; then
 *   counter, gauge, untyped: float value, an exemplar if HAS_EXEMPLAR
 *   histogram: float count, float sum; unless SAME_BOUNDS: int bound count, a float per bound;
 *              a float cumulative count per bound; int exemplar count and per exemplar int slot
 *              and the exemplar; native buckets if HAS_NATIVE
 *   summary:   float count, float sum, int quantile count, floats quantile and value per
 *              quantile; the sketch if HAS_SKETCH
 * exemplar   int label count, a name and a value per label, float value, float timestamp (NaN: none)
 * native     floats schema, zero threshold, zero count; positive then negative side: int span
 *            count, per span float offset and int length, int delta count, a float per delta
 * sketch     floats relative accuracy, zero count, positive offset, negative offset; ints
 *            positive and negative length; a float per positive, then per negative count
 * ```
 */
import type { MetricType } from '../../model/family.js';

/** "AIOP" in the first header word. */
export const MAGIC = 0x41494f50;
/** Bumped whenever the layout changes; a receiver refuses other versions. 2: native buckets travel. */
export const WIRE_VERSION = 2;
export const HEADER_INTS = 6;
export const HEADER_BYTES = HEADER_INTS * 4;

/** A family's type travels as its index here. */
export const TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'untyped',
];

/** Bits of a point's flags. */
export const HAS_CREATED = 1;
export const HAS_TIMESTAMP = 2;
export const HAS_EXEMPLAR = 4;
export const HAS_SKETCH = 8;
export const HAS_NATIVE = 16;
/** The histogram point shares its bounds array with the previous point of its family. */
export const SAME_BOUNDS = 32;
/** The point's label names equal the previous point's; only the values follow. */
export const SAME_NAMES = 64;
