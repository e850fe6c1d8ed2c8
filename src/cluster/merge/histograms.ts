/**
 * Merges histograms (and gauge histograms) series by series: classic buckets add bucket-wise
 * when every worker uses the same bounds, native buckets add through `NativeSum`.
 */
import type {
  Exemplar,
  HistogramFamily,
  HistogramPoint,
  LabelSet,
  NativeHistogramData,
} from '../../model/family.js';
import type { Aggregation } from '../aggregation.js';
import { AggregationError } from '../errors.js';
import type { LabelInterner } from '../label-interner.js';
import { checkSumOrFirst, maxDefined, minDefined, newerExemplar, sortedPoints } from './combine.js';
import type { Member } from './members.js';
import { NativeSum } from './native.js';

interface HistogramAcc {
  readonly labels: LabelSet;
  readonly upperBounds: readonly number[];
  readonly counts: number[];
  count: number;
  sum: number;
  created: number | undefined;
  timestampMs: number | undefined;
  exemplars: (Exemplar | undefined)[] | undefined;
  /** The first worker's native buckets, and the worker, until a second worker's are added. */
  readonly native: NativeHistogramData | undefined;
  readonly nativeWorker: string;
  nativeSum: NativeSum | undefined;
}

/**
 * The merged series of every worker's histogram points.
 *
 * @throws {AggregationError} for an aggregation other than sum or first, for workers whose
 *   bucket bounds differ, or whose native buckets cannot be added.
 */
export function mergeHistograms(
  name: string,
  aggregation: Aggregation,
  members: readonly Member<HistogramFamily>[],
  interner: LabelInterner,
): HistogramPoint[] {
  const mode = checkSumOrFirst(name, aggregation, 'histogram');
  const accs = new Map<LabelSet, HistogramAcc>();
  for (const { worker, family } of members) {
    for (const point of family.points) {
      const labels = interner.canonical(point.labels);
      const acc = accs.get(labels);
      if (acc === undefined) {
        accs.set(labels, {
          labels,
          upperBounds: point.upperBounds,
          counts: [...point.cumulativeCounts],
          count: point.count,
          sum: point.sum,
          created: point.created,
          timestampMs: point.timestampMs,
          exemplars: point.exemplars === undefined ? undefined : [...point.exemplars],
          native: point.native,
          nativeWorker: worker,
          nativeSum: undefined,
        });
        continue;
      }
      if (mode === 'first') continue;
      if (!sameBounds(acc.upperBounds, point.upperBounds)) {
        throw new AggregationError(
          name,
          `workers use different bucket bounds, so buckets cannot be added: [${acc.upperBounds.join(', ')}] ` +
            `and worker ${worker}'s [${point.upperBounds.join(', ')}]`,
        );
      }
      addNative(name, acc, point.native, worker);
      const counts = point.cumulativeCounts;
      for (let i = 0; i < counts.length; i++) acc.counts[i]! += counts[i]!;
      acc.count += point.count;
      acc.sum += point.sum;
      acc.created = minDefined(acc.created, point.created);
      acc.timestampMs = maxDefined(acc.timestampMs, point.timestampMs);
      if (point.exemplars !== undefined) {
        if (acc.exemplars === undefined) acc.exemplars = new Array(point.exemplars.length).fill(undefined);
        const mine = acc.exemplars;
        point.exemplars.forEach((e, i) => {
          mine[i] = newerExemplar(mine[i], e);
        });
      }
    }
  }
  return sortedPoints(accs.values()).map((acc) => ({
    labels: acc.labels,
    upperBounds: acc.upperBounds,
    cumulativeCounts: acc.counts,
    count: acc.count,
    sum: acc.sum,
    ...(acc.created !== undefined ? { created: acc.created } : {}),
    ...(acc.timestampMs !== undefined ? { timestampMs: acc.timestampMs } : {}),
    ...(acc.exemplars !== undefined ? { exemplars: acc.exemplars } : {}),
    ...(acc.native !== undefined ? { native: acc.nativeSum?.data() ?? acc.native } : {}),
  }));
}

/** Adds a worker's native buckets; a series must have them from every worker or from none. */
function addNative(
  name: string,
  acc: HistogramAcc,
  native: NativeHistogramData | undefined,
  worker: string,
): void {
  if ((acc.native === undefined) !== (native === undefined)) {
    const [withNative, without] =
      acc.native === undefined ? [worker, acc.nativeWorker] : [acc.nativeWorker, worker];
    throw new AggregationError(
      name,
      `worker ${withNative} sends native buckets and worker ${without} does not, so they cannot be added`,
    );
  }
  if (acc.native === undefined || native === undefined) return;
  acc.nativeSum ??= new NativeSum(name, acc.native, acc.nativeWorker);
  acc.nativeSum.add(native, worker);
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
