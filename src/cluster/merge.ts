/**
 * Combines the snapshots of several workers into one, family by family, and extracts the part of
 * a snapshot that must outlive its worker. Shared by the cluster and the worker_threads
 * aggregators; pure apart from the label interner.
 *
 * ```ts
 * const { families, errors } = mergeSnapshots(
 *   [{ worker: '1', families: a }, { worker: '2', families: b }],
 *   { modeOf: () => 'sum', workerLabel: 'worker', interner: new LabelInterner() },
 * );
 * ```
 */

import { DDSketch } from '../metrics/sketch.js';
import { compareUtf8 } from '../model/byte-order.js';
import type {
  CounterPoint,
  Exemplar,
  HistogramPoint,
  LabelSet,
  MetricFamily,
  MetricType,
  NativeHistogramData,
  Quantile,
  SketchState,
  SummaryPoint,
} from '../model/family.js';
import { compareLabelSets } from '../model/labels.js';
import type { Aggregation } from './aggregation.js';
import { AggregationError } from './errors.js';
import type { LabelInterner } from './label-interner.js';
import { NativeSum } from './native-merge.js';

/** One worker's families. The merge takes contributions in order: `first` means the first one. */
export interface Contribution {
  readonly worker: string;
  readonly families: readonly MetricFamily[];
}

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

interface Member {
  readonly worker: string;
  readonly family: MetricFamily;
}

/** Merges contributions family by family; a family that cannot be merged is reported, not thrown. */
export function mergeSnapshots(contributions: readonly Contribution[], options: MergeOptions): MergeResult {
  const groups = new Map<string, Member[]>();
  for (const { worker, families } of contributions) {
    for (const family of families) {
      const members = groups.get(family.name);
      if (members === undefined) groups.set(family.name, [{ worker, family }]);
      else members.push({ worker, family });
    }
  }
  const families: MetricFamily[] = [];
  const errors: AggregationError[] = [];
  for (const [name, members] of groups) {
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

/**
 * The part of a snapshot that keeps totals from going backwards once its worker is gone or
 * silent: counters, histograms, and summaries' `_count`/`_sum` (with an empty sketch, since an
 * old quantile window says nothing about now) of the families aggregated by `sum`. Gauges,
 * untyped metrics, gauge histograms and every family aggregated another way are dropped.
 */
export function monotonicPart(
  families: readonly MetricFamily[],
  modeOf: (name: string, type: MetricType) => Aggregation,
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const family of families) {
    if (modeOf(family.name, family.type) !== 'sum') continue;
    if (family.type === 'counter' || family.type === 'histogram') out.push(family);
    else if (family.type === 'summary') {
      out.push({ ...family, points: family.points.map(withEmptySketch) });
    }
  }
  return out;
}

function withEmptySketch(point: SummaryPoint): SummaryPoint {
  const quantiles = point.quantiles.map((q) => ({ quantile: q.quantile, value: Number.NaN }));
  const kept: SummaryPoint = { labels: point.labels, quantiles, count: point.count, sum: point.sum };
  const sketch = point.sketch;
  return {
    ...kept,
    ...(point.created !== undefined ? { created: point.created } : {}),
    ...(sketch !== undefined ? { sketch: new DDSketch(sketch.relativeAccuracy).state() } : {}),
  };
}

function mergeFamily(
  name: string,
  members: readonly Member[],
  options: MergeOptions,
): MetricFamily | undefined {
  const first = members[0]!.family;
  for (const m of members) {
    if (m.family.type !== first.type) {
      throw new AggregationError(
        name,
        `workers disagree on its type: worker ${members[0]!.worker} has ${first.type}, worker ${m.worker} has ${m.family.type}`,
      );
    }
  }
  const mode = options.modeOf(name, first.type);
  if (mode === 'omit') return undefined;
  let points: readonly object[];
  if (mode === 'perWorker') points = perWorker(name, members, options);
  else if (first.type === 'histogram' || first.type === 'gaugehistogram')
    points = mergeHistograms(name, mode, members, options.interner);
  else if (first.type === 'summary') points = mergeSummaries(name, mode, members, options.interner);
  else points = mergeScalars(mode, members, options.interner);
  const family = { name, help: first.help, type: first.type, points } as MetricFamily;
  return first.unit === undefined ? family : { ...family, unit: first.unit };
}

function sortedPoints<P extends { readonly labels: LabelSet }>(points: Iterable<P>): P[] {
  return [...points].sort((a, b) => compareLabelSets(a.labels, b.labels));
}

interface ScalarAcc {
  readonly labels: LabelSet;
  value: number;
  n: number;
  created: number | undefined;
  timestampMs: number | undefined;
  exemplar: Exemplar | undefined;
}

function mergeScalars(mode: Aggregation, members: readonly Member[], interner: LabelInterner): object[] {
  const accs = new Map<LabelSet, ScalarAcc>();
  for (const { family } of members) {
    for (const point of family.points as readonly CounterPoint[]) {
      const labels = interner.canonical(point.labels);
      const acc = accs.get(labels);
      if (acc === undefined) {
        accs.set(labels, {
          labels,
          value: point.value,
          n: 1,
          created: point.created,
          timestampMs: point.timestampMs,
          exemplar: point.exemplar,
        });
        continue;
      }
      if (mode === 'first') continue;
      acc.n++;
      if (mode === 'min') acc.value = Math.min(acc.value, point.value);
      else if (mode === 'max') acc.value = Math.max(acc.value, point.value);
      else acc.value += point.value;
      acc.created = minDefined(acc.created, point.created);
      acc.timestampMs = maxDefined(acc.timestampMs, point.timestampMs);
      acc.exemplar = newerExemplar(acc.exemplar, point.exemplar);
    }
  }
  return sortedPoints(accs.values()).map((acc) => ({
    labels: acc.labels,
    value: mode === 'average' ? acc.value / acc.n : acc.value,
    ...(acc.created !== undefined ? { created: acc.created } : {}),
    ...(acc.timestampMs !== undefined ? { timestampMs: acc.timestampMs } : {}),
    ...(acc.exemplar !== undefined ? { exemplar: acc.exemplar } : {}),
  }));
}

function checkSumOrFirst(name: string, mode: Aggregation, kind: string): void {
  if (mode !== 'sum' && mode !== 'first') {
    throw new AggregationError(
      name,
      `aggregation "${mode}" does not apply to a ${kind}; use sum, first, omit or perWorker`,
    );
  }
}

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

function mergeHistograms(
  name: string,
  mode: Aggregation,
  members: readonly Member[],
  interner: LabelInterner,
): object[] {
  checkSumOrFirst(name, mode, 'histogram');
  const accs = new Map<LabelSet, HistogramAcc>();
  for (const { worker, family } of members) {
    for (const point of family.points as readonly HistogramPoint[]) {
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

interface SummaryAcc {
  readonly labels: LabelSet;
  readonly sketch: DDSketch;
  quantiles: readonly Quantile[];
  count: number;
  sum: number;
  created: number | undefined;
  timestampMs: number | undefined;
}

function mergeSummaries(
  name: string,
  mode: Aggregation,
  members: readonly Member[],
  interner: LabelInterner,
): SummaryPoint[] {
  checkSumOrFirst(name, mode, 'summary');
  if (mode === 'first') {
    const firsts = new Map<LabelSet, SummaryPoint>();
    for (const { family } of members) {
      for (const point of family.points as readonly SummaryPoint[]) {
        const labels = interner.canonical(point.labels);
        if (!firsts.has(labels)) firsts.set(labels, relabel(point, labels));
      }
    }
    return sortedPoints(firsts.values());
  }
  const accs = new Map<LabelSet, SummaryAcc>();
  for (const { worker, family } of members) {
    for (const point of family.points as readonly SummaryPoint[]) {
      const state = point.sketch;
      if (state === undefined) {
        throw new AggregationError(
          name,
          `worker ${worker} sent a summary series without its sketch state, so quantiles cannot be ` +
            'merged (adding quantiles would be wrong); aggregate this family with first or perWorker',
        );
      }
      const labels = interner.canonical(point.labels);
      let acc = accs.get(labels);
      if (acc === undefined) {
        acc = {
          labels,
          sketch: new DDSketch(state.relativeAccuracy),
          quantiles: point.quantiles,
          count: 0,
          sum: 0,
          created: point.created,
          timestampMs: point.timestampMs,
        };
        accs.set(labels, acc);
      } else {
        acc.created = minDefined(acc.created, point.created);
        acc.timestampMs = maxDefined(acc.timestampMs, point.timestampMs);
        if (acc.quantiles.length === 0) acc.quantiles = point.quantiles;
      }
      if (state.relativeAccuracy !== acc.sketch.relativeAccuracy) {
        throw new AggregationError(
          name,
          `workers use different relative accuracies (${acc.sketch.relativeAccuracy} and worker ${worker}'s ` +
            `${state.relativeAccuracy}), so their sketches cannot be merged`,
        );
      }
      acc.sketch.merge(state);
      acc.count += point.count;
      acc.sum += point.sum;
    }
  }
  return sortedPoints(accs.values()).map((acc) => new MergedSummaryPoint(acc));
}

/** A merged summary point: quantiles recomputed from the merged sketch, its state read lazily. */
class MergedSummaryPoint implements SummaryPoint {
  readonly labels: LabelSet;
  readonly quantiles: readonly Quantile[];
  readonly count: number;
  readonly sum: number;
  readonly created?: number;
  readonly timestampMs?: number;
  readonly #sketch: DDSketch;

  constructor(acc: SummaryAcc) {
    this.labels = acc.labels;
    this.count = acc.count;
    this.sum = acc.sum;
    if (acc.created !== undefined) this.created = acc.created;
    if (acc.timestampMs !== undefined) this.timestampMs = acc.timestampMs;
    this.#sketch = acc.sketch;
    this.quantiles = acc.quantiles.map(({ quantile }) => ({
      quantile,
      value: acc.sketch.quantile(quantile),
    }));
  }

  /** Kept so that an aggregate can itself be aggregated (threads inside cluster workers). */
  get sketch(): SketchState {
    return this.#sketch.state();
  }
}

function relabel<P extends { readonly labels: LabelSet }>(point: P, labels: LabelSet): P {
  const copy = { ...point, labels };
  // Spreading skips prototype getters, such as a lazily computed summary sketch.
  if ('quantiles' in point) {
    const sketch = (point as unknown as SummaryPoint).sketch;
    if (sketch !== undefined) (copy as unknown as { sketch: SketchState }).sketch = sketch;
  }
  return copy;
}

function perWorker(name: string, members: readonly Member[], options: MergeOptions): object[] {
  const label = options.workerLabel;
  const out: { readonly labels: LabelSet }[] = [];
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
      const labels = options.interner.intern(
        [...names.slice(0, at), label, ...names.slice(at)],
        [...values.slice(0, at), worker, ...values.slice(at)],
      );
      out.push(relabel(point, labels));
    }
  }
  return sortedPoints(out);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** The exemplar with the later timestamp; the one already kept when neither has a timestamp. */
function newerExemplar(kept: Exemplar | undefined, other: Exemplar | undefined): Exemplar | undefined {
  if (kept === undefined) return other;
  if (other === undefined) return kept;
  return (other.timestamp ?? Number.NEGATIVE_INFINITY) > (kept.timestamp ?? Number.NEGATIVE_INFINITY)
    ? other
    : kept;
}
