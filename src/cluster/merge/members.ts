/**
 * The shared grouping of a merge: every worker's family of one name, in contribution order, and
 * the check that they agree on the type, which gives the per-type merges typed families.
 */
import type {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  MetricFamily,
  MetricType,
  SummaryFamily,
  UntypedFamily,
} from '../../model/family.js';
import { AggregationError } from '../errors.js';

/** One worker's families. The merge takes contributions in order: `first` means the first one. */
export interface Contribution {
  readonly worker: string;
  readonly families: readonly MetricFamily[];
}

/** One worker's family of the name being merged. */
export interface Member<F = MetricFamily> {
  readonly worker: string;
  readonly family: F;
}

interface FamilyByType {
  counter: CounterFamily;
  gauge: GaugeFamily;
  untyped: UntypedFamily;
  histogram: HistogramFamily;
  gaugehistogram: HistogramFamily;
  summary: SummaryFamily;
}

/** Every family by name, each name's members in contribution order. */
export function groupByName(contributions: readonly Contribution[]): Map<string, Member[]> {
  const groups = new Map<string, Member[]>();
  for (const { worker, families } of contributions) {
    for (const family of families) {
      const members = groups.get(family.name);
      if (members === undefined) groups.set(family.name, [{ worker, family }]);
      else members.push({ worker, family });
    }
  }
  return groups;
}

/**
 * The members as families of `type`, the first member's type.
 *
 * @throws {AggregationError} when a worker has the family with another type.
 */
export function membersOfType<T extends MetricType>(
  name: string,
  members: readonly Member[],
  type: T,
): Member<FamilyByType[T]>[] {
  const typed: Member<FamilyByType[T]>[] = [];
  for (const { worker, family } of members) {
    if (!isOfType(family, type)) {
      throw new AggregationError(
        name,
        `workers disagree on its type: worker ${members[0]!.worker} has ${type}, worker ${worker} has ${family.type}`,
      );
    }
    typed.push({ worker, family });
  }
  return typed;
}

function isOfType<T extends MetricType>(family: MetricFamily, type: T): family is FamilyByType[T] {
  return family.type === type;
}
