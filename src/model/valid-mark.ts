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
 * leads to the family's sample names, which the metric computed once, so the registry's clash
 * check does not build them on every collection.
 */
class ValidMark extends FieldHost {
  /** One field, not three: each is a property the family grows by on every collection. */
  readonly #maker: FamilyMaker;

  constructor(family: MetricFamily, maker: FamilyMaker) {
    super(family);
    this.#maker = maker;
  }

  static isOn(value: object): boolean {
    return #maker in value;
  }

  /**
   * The sample names of a marked family whose name and type are still those it was built with
   * (families are plain objects, which a collector could change before returning them).
   */
  static sampleNamesOf(value: object): readonly string[] | undefined {
    if (!(#maker in value)) return undefined;
    const maker = value.#maker;
    const family = value as unknown as MetricFamily;
    return family.name === maker.name && family.type === maker.type ? maker.describe() : undefined;
  }
}

/** What builds valid families: a metric, whose `describe()` gives its families' sample names. */
export interface FamilyMaker {
  readonly name: string;
  readonly type: MetricType;
  /** The sample names (see `sampleNames`), the same array on every call. */
  describe(): readonly string[];
}

/** Marks a family `maker` built valid by construction; the registry does not check it again. */
export function markValid<F extends MetricFamily>(family: F, maker: FamilyMaker): F {
  if (!ValidMark.isOn(family)) new ValidMark(family, maker);
  return family;
}

/**
 * The sample names of a family `markValid` marked, when it is unchanged since; undefined for any
 * other value, which the registry then checks in full.
 */
export function validSampleNames(value: unknown): readonly string[] | undefined {
  return typeof value === 'object' && value !== null ? ValidMark.sampleNamesOf(value) : undefined;
}
