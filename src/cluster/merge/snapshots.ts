/**
 * Combines the snapshots of several workers into one, family by family. Shared by the cluster
 * and the worker_threads aggregators; pure apart from the label interner.
 *
 * @example
 * ```ts
 * import { labelSet, type MetricFamily } from 'aioprometheus';
 * import { LabelInterner } from '../label-interner.js';
 * import { mergeSnapshots } from './index.js';
 *
 * const family = (value: number): MetricFamily => ({
 *   name: 'jobs_total',
 *   help: 'Jobs done.',
 *   type: 'counter',
 *   points: [{ labels: labelSet(), value }],
 * });
 * const { families, errors } = mergeSnapshots(
 *   [
 *     { worker: '1', families: [family(2)] },
 *     { worker: '2', families: [family(3)] },
 *   ],
 *   { modeOf: () => 'sum', workerLabel: 'worker', interner: new LabelInterner() },
 * );
 * // families: jobs_total 5; errors: []
 * ```
 */
import { compareUtf8 } from '../../model/byte-order.js';
import type { LabelSet, MetricFamily, MetricType } from '../../model/family.js';
import type { Aggregation } from '../aggregation.js';
import { AggregationError } from '../errors.js';
import type { LabelInterner } from '../label-interner.js';
import { mergeHistograms } from './histograms.js';
import { type Contribution, groupByName, type Member, membersOfType } from './members.js';
import { perWorker } from './per-worker.js';
import { mergeScalars } from './scalars.js';
import { mergeSummaries, relabelSummary } from './summaries.js';

export interface MergeOptions {
  readonly modeOf: (name: string, type: MetricType) => Aggregation;
  /** The label that `perWorker` families get, valued with the contribution's `worker`. */
  readonly workerLabel: string;
  readonly interner: LabelInterner;
}

export interface MergeResult {
  /** The aggregate, sorted by name, without the families in `errors`. */
  readonly families: MetricFamily[];
  readonly errors: AggregationError[];
}

/** Merges contributions family by family; a family that cannot be merged is reported, not thrown. */
export function mergeSnapshots(contributions: readonly Contribution[], options: MergeOptions): MergeResult {
  const families: MetricFamily[] = [];
  const errors: AggregationError[] = [];
  for (const [name, members] of groupByName(contributions)) {
    try {
      const merged = mergeFamily(name, members, options);
      if (merged !== undefined) families.push(merged);
    } catch (error) {
      if (!(error instanceof AggregationError)) throw error;
      errors.push(error);
    }
  }
  families.sort((a, b) => compareUtf8(a.name, b.name));
  return { families, errors };
}

/** The merged family, or undefined when its aggregation is `omit`. */
function mergeFamily(
  name: string,
  members: readonly Member[],
  options: MergeOptions,
): MetricFamily | undefined {
  const first = members[0]!.family;
  const base =
    first.unit === undefined ? { name, help: first.help } : { name, help: first.help, unit: first.unit };
  const { workerLabel, interner } = options;
  switch (first.type) {
    case 'counter':
    case 'gauge':
    case 'untyped': {
      const typed = membersOfType(name, members, first.type);
      const mode = options.modeOf(name, first.type);
      if (mode === 'omit') return undefined;
      const points =
        mode === 'perWorker'
          ? perWorker(name, typed, workerLabel, interner, relabel)
          : mergeScalars(
              mode,
              typed.map((m) => m.family.points),
              interner,
            );
      return { ...base, type: first.type, points };
    }
    case 'histogram':
    case 'gaugehistogram': {
      const typed = membersOfType(name, members, first.type);
      const mode = options.modeOf(name, first.type);
      if (mode === 'omit') return undefined;
      const points =
        mode === 'perWorker'
          ? perWorker(name, typed, workerLabel, interner, relabel)
          : mergeHistograms(name, mode, typed, interner);
      return { ...base, type: first.type, points };
    }
    case 'summary': {
      const typed = membersOfType(name, members, first.type);
      const mode = options.modeOf(name, first.type);
      if (mode === 'omit') return undefined;
      const points =
        mode === 'perWorker'
          ? perWorker(name, typed, workerLabel, interner, relabelSummary)
          : mergeSummaries(name, mode, typed, interner);
      return { ...base, type: first.type, points };
    }
  }
}

function relabel<P extends { readonly labels: LabelSet }>(point: P, labels: LabelSet): P {
  return { ...point, labels };
}
