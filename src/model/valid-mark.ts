/**
 * The mark the library's metric classes put on the families they build, so the registry can
 * tell them from families user collectors return.
 */
import type { MetricFamily } from './family.js';

/**
 * Families built by the library's metric classes, which are valid by construction: names, labels
 * and values were checked when the metric was defined and updated. Checking them again would
 * cost a third of a 10,000-series render, so the registry skips them (see `markValid`; the checks live with the registry).
 */
const builtValid = new WeakSet<MetricFamily>();

/** Marks a family its maker built valid by construction; the registry does not check it again. */
export function markValid<F extends MetricFamily>(family: F): F {
  builtValid.add(family);
  return family;
}

/** Whether `markValid` marked this very object. */
export function isMarkedValid(value: unknown): boolean {
  return typeof value === 'object' && value !== null && builtValid.has(value as MetricFamily);
}
