/**
 * Where each label of a metric's exposition comes from: the labels sorted by name (UTF-8 byte
 * order), constant ones merged in, each either a variable label's column of the series store or
 * one constant value.
 */
import { compareUtf8 } from '../model/byte-order.js';
import type { SeriesColumns } from '../model/columns.js';
import type { LabelSet } from '../model/family.js';
import type { Held, SeriesStore } from './series-store.js';
import { allBlank, identity, isIdentity } from './shared-arrays.js';

const SPECIAL = /[\\"\n]/;

export interface LabelLayout {
  /** Every label name, sorted. */
  readonly names: readonly string[];
  /** For each name: the index of the variable label, or -1 for a constant one. */
  readonly sources: readonly number[];
  /** For each name: the value of a constant label ('' for a variable one). */
  readonly constants: readonly string[];
  /**
   * Whether the sorted labels are exactly the variable ones in declaration order: a snapshot then
   * takes the store's label columns and escaping flags as they are, without building arrays.
   */
  readonly direct: boolean;
}

export function labelLayout(
  labelNames: readonly string[],
  constLabels: Readonly<Record<string, string>>,
): LabelLayout {
  const all = [
    ...labelNames.map((name, i) => ({ name, source: i, value: '' })),
    ...Object.entries(constLabels).map(([name, value]) => ({ name, source: -1, value })),
  ];
  all.sort((a, b) => compareUtf8(a.name, b.name));
  const sources = all.map((e) => e.source);
  if (isIdentity(sources)) {
    // The common case (labels declared sorted, no constant ones) shares its arrays.
    return Object.freeze({
      names: Object.isFrozen(labelNames) ? labelNames : Object.freeze([...labelNames]),
      sources: identity(sources.length),
      constants: allBlank(sources.length),
      direct: true,
    });
  }
  return Object.freeze({
    names: Object.freeze(all.map((e) => e.name)),
    sources,
    constants: all.map((e) => e.value),
    direct: false,
  });
}

/**
 * The label values of a snapshot's columns (see SeriesColumns.labelValues): the store's label
 * columns, shared (see `shareColumns`), with the constant labels between them.
 */
export function snapshotLabelValues(
  layout: LabelLayout,
  store: SeriesStore<Held>,
): SeriesColumns['labelValues'] {
  const columns = store.shareColumns();
  if (layout.direct) return columns;
  const { sources, constants } = layout;
  const values = new Array<readonly string[] | string>(sources.length);
  for (let k = 0; k < sources.length; k++) {
    const source = sources[k]!;
    values[k] = source < 0 ? constants[k]! : columns[source]!;
  }
  return values;
}

/** Which labels of a snapshot may need escaping (see SeriesColumns.special). */
export function snapshotSpecial(layout: LabelLayout, store: SeriesStore<Held>): SeriesColumns['special'] {
  // The store replaces its flags rather than change them, so a snapshot may keep them.
  if (layout.direct) return store.special;
  const { sources, constants } = layout;
  const special = new Array<boolean>(sources.length);
  for (let k = 0; k < sources.length; k++) {
    const source = sources[k]!;
    special[k] = source < 0 ? SPECIAL.test(constants[k]!) : store.special[source]!;
  }
  return special;
}

/** The label set of the series in `slot`, built from the store's columns. */
export function slotLabelSet(layout: LabelLayout, store: SeriesStore<Held>, slot: number): LabelSet {
  const values = layout.sources.map((source, k) =>
    source < 0 ? layout.constants[k]! : store.columns[source]![slot]!,
  );
  return Object.freeze({ names: layout.names, values: Object.freeze(values) });
}
