/** The `perWorker` aggregation: every worker's series kept apart under a worker label. */
import type { LabelSet } from '../../model/family.js';
import { AggregationError } from '../errors.js';
import type { LabelInterner } from '../label-interner.js';
import { sortedPoints } from './combine.js';
import type { Member } from './members.js';

/**
 * Every member's points with `label` set to its worker, via `relabel` (which must keep what a
 * plain spread would lose).
 *
 * @throws {AggregationError} when a series already has the worker label.
 */
export function perWorker<P extends { readonly labels: LabelSet }>(
  name: string,
  members: readonly Member<{ readonly points: readonly P[] }>[],
  label: string,
  interner: LabelInterner,
  relabel: (point: P, labels: LabelSet) => P,
): P[] {
  const out: P[] = [];
  for (const { worker, family } of members) {
    for (const point of family.points) {
      const { names, values } = point.labels;
      if (names.includes(label)) {
        throw new AggregationError(
          name,
          `its series already have a "${label}" label, so they cannot be told apart per worker; ` +
            'choose another workerLabel',
        );
      }
      let at = 0;
      while (at < names.length && names[at]! < label) at++;
      const labels = interner.intern(
        [...names.slice(0, at), label, ...names.slice(at)],
        [...values.slice(0, at), worker, ...values.slice(at)],
      );
      out.push(relabel(point, labels));
    }
  }
  return sortedPoints(out);
}
