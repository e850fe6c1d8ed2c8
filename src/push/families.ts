/**
 * Checks on the families about to be pushed, and the label rewrite used when the target takes a
 * whole exposition (no grouping key in the URL).
 */
import { compareUtf8 } from '../model/byte-order.js';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { PushValidationError } from './errors.js';

/**
 * Refuses series that carry `job` or a grouping-key label (the gateway would silently overwrite
 * them with the grouping key), series with a timestamp (the gateway refuses the whole push), and
 * a family name given twice (in protobuf the gateway would keep only one of them).
 */
export function checkFamilies(families: readonly MetricFamily[], groupingNames: readonly string[]): void {
  const reserved = ['job', ...groupingNames];
  const seen = new Set<string>();
  for (const family of families) {
    if (seen.has(family.name)) throw new PushValidationError(family.name, 'the family is given twice');
    seen.add(family.name);
    for (const point of family.points) {
      for (let i = 0; i < point.labels.names.length; i++) {
        const name = point.labels.names[i]!;
        if (reserved.includes(name)) {
          throw new PushValidationError(
            family.name,
            `a series carries the label ${name}="${point.labels.values[i]}", which the ${name === 'job' ? 'job name' : 'grouping key'} sets; remove the label or change the grouping key`,
          );
        }
      }
      if (point.timestampMs !== undefined) {
        throw new PushValidationError(
          family.name,
          `a series has a timestamp (${point.timestampMs} ms); pushed metrics must not have timestamps`,
        );
      }
    }
  }
}

/**
 * Adds `extra` (the job and grouping key) to every series' labels, for targets that take a whole
 * exposition and therefore cannot read the grouping key from the URL. checkFamilies has already
 * made sure no series carries one of these names.
 */
export function withLabels(
  families: readonly MetricFamily[],
  extra: Readonly<Record<string, string>>,
): MetricFamily[] {
  const cache = new Map<LabelSet, LabelSet>();
  const merge = (labels: LabelSet): LabelSet => {
    let merged = cache.get(labels);
    if (merged === undefined) {
      const all = new Map(Object.entries(extra));
      for (let i = 0; i < labels.names.length; i++) all.set(labels.names[i]!, labels.values[i]!);
      const names = [...all.keys()].sort(compareUtf8);
      merged = Object.freeze({
        names: Object.freeze(names),
        values: Object.freeze(names.map((n) => all.get(n)!)),
      });
      cache.set(labels, merged);
    }
    return merged;
  };
  return families.map(
    (family) =>
      ({
        ...family,
        points: family.points.map((point) => ({ ...point, labels: merge(point.labels) })),
      }) as MetricFamily,
  );
}
