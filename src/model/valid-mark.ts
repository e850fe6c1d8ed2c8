/**
 * The mark the library's metric classes put on the families they build, so the registry can
 * tell them from families user collectors return.
 */
import type { MetricFamily, MetricType } from './family.js';
import { FieldHost } from './field-host.js';
import { sampleNames } from './sample-names.js';

/**
 * On a family built by the library's metric classes, which is valid by construction: names,
 * labels and values were checked when the metric was defined and updated. Checking them again
 * would cost a third of a 10,000-series render, so the registry skips them. The mark also
 * leads to the family's sample names, which the metric computed once, so the registry's clash
 * check does not build them on every collection.
 */
class ValidMark extends FieldHost {
  /** One field, not three: each is a property the family grows by on every collection. */
  readonly #built: BuiltFamily;

  constructor(family: MetricFamily, built: BuiltFamily) {
    super(family);
    this.#built = built;
  }

  static isOn(value: object): boolean {
    return #built in value;
  }

  /**
   * The sample names of a marked family whose name and type are still those it was built with
   * (families are plain objects, which a collector could change before returning them).
   */
  static sampleNamesOf(value: object): readonly string[] | undefined {
    if (!(#built in value)) return undefined;
    const built = value.#built;
    const family = value as unknown as MetricFamily;
    return family.name === built.name && family.type === built.type ? built.sampleNames : undefined;
  }
}

/** What a metric's families are built as, made once per metric (see `builtFamily`). */
export interface BuiltFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly sampleNames: readonly string[];
}

/** The name, type and sample names of the families a metric builds, frozen. */
export function builtFamily(type: MetricType, name: string): BuiltFamily {
  return Object.freeze({ name, type, sampleNames: Object.freeze(sampleNames(type, name)) });
}

/** Marks a family built valid by construction, as `built`; the registry does not check it again. */
export function markValid<F extends MetricFamily>(family: F, built: BuiltFamily): F {
  if (!ValidMark.isOn(family)) new ValidMark(family, built);
  return family;
}

/**
 * The sample names of a family `markValid` marked, when it is unchanged since; undefined for any
 * other value, which the registry then checks in full.
 */
export function validSampleNames(value: unknown): readonly string[] | undefined {
  return typeof value === 'object' && value !== null ? ValidMark.sampleNamesOf(value) : undefined;
}
