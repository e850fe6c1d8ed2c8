/**
 * The mark the library's metric classes put on the families they build, so the registry can
 * tell them from families user collectors return.
 */
import type { MetricFamily, MetricType } from './family.js';
import { FieldHost } from './field-host.js';

/**
 * On a family built by the library's metric classes, which is valid by construction: names,
 * labels and values were checked when the metric was defined and updated. Checking them again
 * would cost a third of a 10,000-series render, so the registry skips them. The mark also
 * carries the family's sample names, which the metric computed once, so the registry's clash
 * check does not build them on every collection.
 */
class ValidMark extends FieldHost {
  readonly #name: string;
  readonly #type: MetricType;
  readonly #sampleNames: readonly string[];

  constructor(family: MetricFamily, sampleNames: readonly string[]) {
    super(family);
    this.#name = family.name;
    this.#type = family.type;
    this.#sampleNames = sampleNames;
  }

  static isOn(value: object): boolean {
    return #name in value;
  }

  /**
   * The sample names of a marked family whose name and type are still those it was built with
   * (families are plain objects, which a collector could change before returning them).
   */
  static sampleNamesOf(value: object): readonly string[] | undefined {
    if (!(#name in value)) return undefined;
    const family = value as unknown as MetricFamily;
    return family.name === value.#name && family.type === value.#type ? value.#sampleNames : undefined;
  }
}

/**
 * Marks a family its maker built valid by construction, with its sample names (see
 * `sampleNames`); the registry does not check it again.
 */
export function markValid<F extends MetricFamily>(family: F, sampleNames: readonly string[]): F {
  if (!ValidMark.isOn(family)) new ValidMark(family, sampleNames);
  return family;
}

/**
 * The sample names `markValid` gave this very object, when it is unchanged since; undefined
 * for any other value, which the registry then checks in full.
 */
export function validSampleNames(value: unknown): readonly string[] | undefined {
  return typeof value === 'object' && value !== null ? ValidMark.sampleNamesOf(value) : undefined;
}
