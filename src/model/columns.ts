/**
 * The columnar form of a family the library's own metrics produce: the series as columns (label
 * values by slot, a copy of the values, the exposition order) instead of one point object per
 * series, so that collecting a million series is a few array copies. The encoders read the
 * columns directly; everyone else reads `points`, which are built from the columns on first
 * access and kept. Internal: not part of the package's exports.
 */
import { compareUtf8 } from './byte-order.js';
import type { Exemplar, LabelSet, MetricFamily, NativeHistogramData } from './family.js';
import { FieldHost } from './field-host.js';

/** The per-series data of a histogram family, one row of `stride` cells per slot. */
export interface HistogramColumns {
  /** Finite upper bounds, shared by every series. */
  readonly upperBounds: readonly number[];
  /** Cells per slot: the non-cumulative bucket counts (the last one +Inf), then sum, then count. */
  readonly stride: number;
  readonly cells: ArrayLike<number>;
  /** Exemplars per bucket of the slots that have one. */
  readonly exemplars: ReadonlyMap<number, readonly (Exemplar | undefined)[]> | undefined;
  /** Native buckets of the slots of a histogram with native buckets. */
  readonly native: ReadonlyMap<number, NativeHistogramData> | undefined;
}

export interface SeriesColumns {
  /** The slot of each series, in exposition order. */
  readonly rows: Int32Array;
  /** Every label name, constant ones included, sorted as label sets sort them. */
  readonly labelNames: readonly string[];
  /** For each label name: its values by slot, or the one value of a constant label. */
  readonly labelValues: readonly (readonly string[] | string)[];
  /** For each label name: whether some value may hold a character the text formats escape. */
  readonly special: readonly boolean[];
  /** Counter and gauge values by slot. */
  readonly values: ArrayLike<number> | undefined;
  /** Creation times in seconds by slot (counters, histograms). */
  readonly created: ArrayLike<number> | undefined;
  /** Counter exemplars of the slots that have one. */
  readonly exemplars: ReadonlyMap<number, Exemplar> | undefined;
  readonly histogram: HistogramColumns | undefined;
}

type Materialize = (columns: SeriesColumns) => MetricFamily['points'];

/**
 * What a columnar family carries besides its enumerable properties (see FieldHost). Few fields:
 * each one is a property the family object grows by on every collection.
 */
class ColumnarFields extends FieldHost {
  readonly #columns: SeriesColumns;
  readonly #materialize: Materialize;

  constructor(family: MetricFamily, columns: SeriesColumns, materialize: Materialize) {
    super(family);
    this.#columns = columns;
    this.#materialize = materialize;
  }

  static columnsOf(value: object): SeriesColumns | undefined {
    return #columns in value ? value.#columns : undefined;
  }

  static materializeOf(family: object): Materialize | undefined {
    return #materialize in family ? family.#materialize : undefined;
  }
}

/**
 * The getter of `points`, one function for every columnar family (a getter per family would
 * give each its own hidden class). It replaces itself by the built points on the family that
 * holds the columns, also when read through an object that inherits from it.
 */
function pointsOnFirstRead(this: object): MetricFamily['points'] {
  let family: object | null = this;
  while (family !== null && ColumnarFields.columnsOf(family) === undefined)
    family = Object.getPrototypeOf(family);
  if (family === null) throw new TypeError('points read from an object that is not a metric family');
  const columns = ColumnarFields.columnsOf(family)!;
  const points = Object.freeze(ColumnarFields.materializeOf(family)!(columns));
  Object.defineProperty(family, 'points', { value: points, enumerable: true, writable: false });
  return points;
}

const LAZY_POINTS: PropertyDescriptor = { enumerable: true, configurable: true, get: pointsOnFirstRead };

/** What a family has besides its points; a metric object is one. */
export interface FamilyHeader<T extends MetricFamily['type']> {
  readonly name: string;
  readonly help: string;
  readonly type: T;
  readonly unit: string | undefined;
}

/**
 * Makes a family whose `points` are built from `columns` on first access. `points` is an own
 * enumerable property (a spread or JSON copy reads it like any other); a copy does not carry the
 * columns, so an encoder given a modified copy reads the copy's points. The family has the
 * header's name, help, type and unit (when set), in that order.
 */
export function columnarFamily<F extends MetricFamily>(
  header: FamilyHeader<F['type']>,
  columns: SeriesColumns,
  materialize: (columns: SeriesColumns) => F['points'],
): F {
  const { name, help, type, unit } = header;
  const family = (unit === undefined ? { name, help, type } : { name, help, type, unit }) as F;
  new ColumnarFields(family, columns, materialize);
  Object.defineProperty(family, 'points', LAZY_POINTS);
  return family;
}

/** The columns of a family made by `columnarFamily`; undefined for any other family. */
export function columnsOf(family: MetricFamily): SeriesColumns | undefined {
  return ColumnarFields.columnsOf(family);
}

/** How many series a family has, without building its points. */
export function seriesCount(family: MetricFamily): number {
  return ColumnarFields.columnsOf(family)?.rows.length ?? family.points.length;
}

const SPECIAL = /[\\"\n]/;

/**
 * A columnar family with constant labels added to every series, where the series has no label of
 * that name (its own label wins); undefined for a family that is not columnar.
 */
export function withConstantLabels(family: MetricFamily, labels: LabelSet): MetricFamily | undefined {
  const columns = ColumnarFields.columnsOf(family);
  if (columns === undefined) return undefined;
  const entries = columns.labelNames.map((name, k) => ({
    name,
    values: columns.labelValues[k]!,
    special: columns.special[k]!,
  }));
  labels.names.forEach((name, k) => {
    if (!columns.labelNames.includes(name)) {
      const value = labels.values[k]!;
      entries.push({ name, values: value, special: SPECIAL.test(value) });
    }
  });
  entries.sort((a, b) => compareUtf8(a.name, b.name));
  const merged: SeriesColumns = {
    ...columns,
    labelNames: Object.freeze(entries.map((e) => e.name)),
    labelValues: entries.map((e) => e.values),
    special: entries.map((e) => e.special),
  };
  const { name, help, type, unit } = family;
  return columnarFamily({ name, help, type, unit }, merged, ColumnarFields.materializeOf(family)!);
}

/** The label set of one slot, built fresh (frozen, like every label set). */
export function slotLabels(columns: SeriesColumns, slot: number): LabelSet {
  const { labelNames, labelValues } = columns;
  const values = new Array<string>(labelNames.length);
  for (let k = 0; k < values.length; k++) {
    const column = labelValues[k]!;
    values[k] = typeof column === 'string' ? column : column[slot]!;
  }
  return Object.freeze({ names: labelNames, values: Object.freeze(values) });
}
