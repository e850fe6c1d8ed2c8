/**
 * Where each label of a metric's exposition comes from: the labels sorted by name (UTF-8 byte
 * order), constant ones merged in, each either a variable label's column of the series store or
 * one constant value.
 */
import { compareUtf8 } from '../model/byte-order.js';
import type { SeriesColumns } from '../model/columns.js';
import type { LabelSet } from '../model/family.js';
import type { Held, SeriesStore } from './series-store.js';

const SPECIAL = /[\\"\n]/;

export interface LabelLayout {
  /** Every label name, sorted. */
  readonly names: readonly string[];
  /** For each name: the index of the variable label, or -1 for a constant one. */
  readonly sources: readonly number[];
  /** For each name: the value of a constant label ('' for a variable one). */
  readonly constants: readonly string[];
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
  return Object.freeze({
    names: Object.freeze(all.map((e) => e.name)),
    sources: all.map((e) => e.source),
    constants: all.map((e) => e.value),
  });
}

/** The label part of a snapshot's columns: the store's label columns, shared (see `shareColumns`). */
export function labelColumns(
  layout: LabelLayout,
  store: SeriesStore<Held>,
): Pick<SeriesColumns, 'labelNames' | 'labelValues' | 'special'> {
  const columns = store.shareColumns();
  const labelValues = layout.sources.map((source, k) =>
    source < 0 ? layout.constants[k]! : columns[source]!,
  );
  const special = layout.sources.map((source, k) =>
    source < 0 ? SPECIAL.test(layout.constants[k]!) : store.special[source]!,
  );
  return { labelNames: layout.names, labelValues, special };
}

/** The label set of the series in `slot`, built from the store's columns. */
export function slotLabelSet(layout: LabelLayout, store: SeriesStore<Held>, slot: number): LabelSet {
  const values = layout.sources.map((source, k) =>
    source < 0 ? layout.constants[k]! : store.columns[source]![slot]!,
  );
  return Object.freeze({ names: layout.names, values: Object.freeze(values) });
}
