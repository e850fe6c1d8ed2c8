/**
 * Checks on the families about to be pushed, and the label rewrite used when the target takes a
 * whole exposition (no grouping key in the URL).
 */
import { compareUtf8 } from '../model/byte-order.js';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { exposedLabelName, exposedMetricName } from '../model/names.js';
import { PUSH_ESCAPING } from './body.js';
import { PushValidationError } from './errors.js';
import { groupingPathName } from './grouping.js';

/**
 * Where the grouping key goes: in the URL path of a Pushgateway group, or into every series'
 * labels for a target that takes a whole exposition.
 */
export type GroupingPlace = 'path' | 'labels';

/**
 * Refuses series that carry `job` or a grouping-key label (the gateway would silently overwrite
 * them with the grouping key), series with a timestamp (the gateway refuses the whole push), and
 * a family name given twice (in protobuf the gateway would keep only one of them). Names are
 * compared as the body carries them too, escaped: `a.b` and `a_b` would reach the gateway as one
 * family or one label, and a label `a.b` would be overwritten by a grouping label `a_b`.
 */
export function checkFamilies(
  families: readonly MetricFamily[],
  groupingNames: readonly string[],
  grouping: GroupingPlace,
): void {
  const reserved = new Map<string, string>([['job', 'job']]);
  for (const name of groupingNames) {
    reserved.set(name, name);
    const sent = grouping === 'path' ? groupingPathName(name) : exposedLabelName(name, PUSH_ESCAPING);
    reserved.set(sent, name);
  }
  const seen = new Map<string, string>();
  for (const family of families) {
    const sent = exposedMetricName(family.name, PUSH_ESCAPING);
    const earlier = seen.get(sent);
    if (earlier === family.name) throw new PushValidationError(family.name, 'the family is given twice');
    if (earlier !== undefined) {
      throw new PushValidationError(
        family.name,
        `the family is pushed as "${sent}", and so is the family "${earlier}"; rename one of them`,
      );
    }
    seen.set(sent, family.name);
    const checkedNames = new Set<readonly string[]>();
    for (const point of family.points) {
      if (!checkedNames.has(point.labels.names)) {
        checkLabelNames(family.name, point.labels.names);
        checkedNames.add(point.labels.names);
      }
      for (let i = 0; i < point.labels.names.length; i++) {
        const name = point.labels.names[i]!;
        const sentName = exposedLabelName(name, PUSH_ESCAPING);
        const owner = reserved.get(name) ?? reserved.get(sentName);
        if (owner === name) {
          throw new PushValidationError(
            family.name,
            `a series carries the label ${name}="${point.labels.values[i]}", which the ${name === 'job' ? 'job name' : 'grouping key'} sets; remove the label or change the grouping key`,
          );
        }
        if (owner !== undefined) {
          throw new PushValidationError(
            family.name,
            `a series carries the label ${name}="${point.labels.values[i]}", which is pushed as "${sentName}" like the grouping label "${owner}", so the gateway would overwrite it; rename the label or change the grouping key`,
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

/** Two label names of one series that the escaping turns into one: the gateway refuses such a series. */
function checkLabelNames(metric: string, names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const sent = exposedLabelName(name, PUSH_ESCAPING);
    const earlier = seen.get(sent);
    if (earlier !== undefined) {
      throw new PushValidationError(
        metric,
        `the labels "${earlier}" and "${name}" of a series are both pushed as "${sent}"; rename one of them`,
      );
    }
    seen.set(sent, name);
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
