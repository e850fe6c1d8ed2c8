/**
 * Registry-wide constant labels: one label set merged into every series a registry collects.
 * A series' own label of the same name wins, so a metric can still override the default.
 */
import { MetricDefinitionError } from '../errors.js';
import { withConstantLabels } from '../model/columns.js';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { validateLabelNames } from '../model/labels.js';

export class DefaultLabels {
  readonly #labels: LabelSet;
  /**
   * The label sets of a user collector's series are often the same objects on every collection,
   * so the merged set is kept per label set. Families of the library's metrics take the default
   * labels as constant columns instead.
   */
  readonly #merged = new WeakMap<LabelSet, LabelSet>();

  constructor(labels: Readonly<Record<string, string>>) {
    if (typeof labels !== 'object' || labels === null) {
      throw new MetricDefinitionError('(default labels)', 'default labels must be an object of strings');
    }
    validateLabelNames('(default labels)', [], labels, []);
    this.#labels = labelSet(labels);
  }

  get empty(): boolean {
    return this.#labels.names.length === 0;
  }

  apply(families: MetricFamily[]): MetricFamily[] {
    if (this.empty) return families;
    return families.map(
      (family) =>
        withConstantLabels(family, this.#labels) ??
        ({
          ...family,
          points: family.points.map((point) => ({ ...point, labels: this.#merge(point.labels) })),
        } as MetricFamily),
    );
  }

  #merge(own: LabelSet): LabelSet {
    const cached = this.#merged.get(own);
    if (cached !== undefined) return cached;
    const record: Record<string, string> = {};
    this.#labels.names.forEach((name, i) => {
      record[name] = this.#labels.values[i]!;
    });
    own.names.forEach((name, i) => {
      record[name] = own.values[i]!;
    });
    const merged = labelSet(record);
    this.#merged.set(own, merged);
    return merged;
  }
}
