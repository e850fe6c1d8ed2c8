/**
 * The series of one labelled metric: the index from label values to bound children, the sorted
 * list the exposition walks, and the lifecycle rules (a cap on the number of series, expiry of
 * series not updated for a while, and revival of a held child whose series is gone).
 *
 * Lifecycle without cost on the hot path: the store counts collections in `tick`, and every
 * update of a child compares its `seen` with `tick` and calls `touch` only when they differ, which
 * happens once per series per collection, and only when a TTL is set (otherwise `tick` stays 0).
 * A child whose series is gone (expired, removed, reset) has `seen === DETACHED`, so its next
 * update goes through `touch` too, which puts the series back.
 */
import { LabelError } from '../errors.js';
import type { LabelSet } from '../model/family.js';
import { compareLabelSets, type LabelSetBuilder, labelValueString } from '../model/labels.js';
import { type IndexNode, LabelIndex } from './label-index.js';

/** `seen` of a child whose series is not in the exposition. */
export const DETACHED = -1;

/**
 * The value every variable label of the overflow series has: the one series that takes the updates
 * for new label sets once a metric has `maxSeries` series.
 */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/** What the store needs of a child. */
export interface StoredSeries {
  readonly labelSet: LabelSet;
  /** The collection count at the latest update, or DETACHED. */
  seen: number;
}

export interface SeriesLifecycle {
  /** The most series of label sets the caller chose (the overflow series is not counted); Infinity for no cap. */
  readonly maxSeries: number;
  /** Milliseconds without update after which a series leaves the exposition; Infinity for never. */
  readonly ttlMs: number;
  /** The time in milliseconds, read once per collection when a TTL is set. */
  readonly clock: () => number;
}

export interface SeriesHooks<S> {
  create(labels: LabelSet): S;
  /** Zeroes a child that `remove()` or `reset()` takes out, so that it comes back from zero. */
  zero(series: S): void;
  /** An update for a new label set went to the overflow series. */
  overflowed(): void;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Follows the index from `root` along the string or number values of `record`, without the
 * checks of the slow path; undefined when a value is missing, of another type or not in the index,
 * or when a label is not an own property of `record` (so a prototype never supplies one).
 */
type Walk = (root: IndexNode, record: Readonly<Record<string, unknown>>) => unknown;

/**
 * A walk for one metric's label names. Up to three labels it reads each value, and tests that it
 * is an own property, through a name held in its own variable: V8 then compiles the read as a
 * named property load and folds the `hasOwnProperty` test into a shape check, where a loop over a
 * names array makes every read and test a keyed, megamorphic lookup, several times slower.
 */
function makeWalk(names: readonly string[]): Walk {
  const [a, b, c] = names as [string, string, string];
  switch (names.length) {
    case 1:
      return (root, r) => {
        const v = r[a];
        return hasOwn.call(r, a) ? root.get(typeof v === 'string' ? v : key(v)) : undefined;
      };
    case 2:
      return (root, r) => {
        let v = r[a];
        const next = root.get(typeof v === 'string' ? v : key(v)) as IndexNode | undefined;
        if (next === undefined) return undefined;
        v = r[b];
        return hasOwn.call(r, a) && hasOwn.call(r, b)
          ? next.get(typeof v === 'string' ? v : key(v))
          : undefined;
      };
    case 3:
      return (root, r) => {
        let v = r[a];
        let next = root.get(typeof v === 'string' ? v : key(v)) as IndexNode | undefined;
        if (next === undefined) return undefined;
        v = r[b];
        next = next.get(typeof v === 'string' ? v : key(v)) as IndexNode | undefined;
        if (next === undefined) return undefined;
        v = r[c];
        return hasOwn.call(r, a) && hasOwn.call(r, b) && hasOwn.call(r, c)
          ? next.get(typeof v === 'string' ? v : key(v))
          : undefined;
      };
    default:
      return (root, r) => {
        let node: unknown = root;
        for (let i = 0; i < names.length && node !== undefined; i++) {
          const name = names[i]!;
          if (!hasOwn.call(r, name)) return undefined;
          const v = r[name];
          node = (node as IndexNode).get(typeof v === 'string' ? v : key(v));
        }
        return node;
      };
  }
}

/**
 * The index key of a value that is not a string: a number's canonical string, and for any other
 * type a symbol, a key no index holds, so the walk misses and the checked path reports the value.
 */
function key(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return NO_KEY as unknown as string;
}

const NO_KEY = Symbol('no label value');

export class SeriesStore<S extends StoredSeries> {
  /** Collections counted so far (only when a TTL is set); see the file comment. */
  tick = 0;
  readonly #names: readonly string[];
  readonly #walk: Walk;
  readonly #live: LabelIndex<S>;
  /**
   * Children whose series is gone, held weakly: while someone holds one, a lookup of its label set
   * brings back that same object rather than creating a second series for the same labels.
   */
  readonly #gone: LabelIndex<WeakRef<S>>;
  #series: S[] = [];
  #sorted = true;
  #overflow: S | undefined;
  /**
   * The end times of the collection epochs that ended less than the TTL ago, oldest first; the
   * first is that of epoch `#firstEpoch` (an epoch is the time between two collections).
   */
  readonly #epochEnds: number[] = [];
  #firstEpoch = 0;

  constructor(
    readonly metric: string,
    names: readonly string[],
    private readonly builder: LabelSetBuilder,
    private readonly lifecycle: SeriesLifecycle,
    private readonly hooks: SeriesHooks<S>,
  ) {
    this.#names = names;
    this.#walk = makeWalk(names);
    this.#live = new LabelIndex(names.length);
    this.#gone = new LabelIndex(names.length);
  }

  /**
   * The child for a label set, found or created. The fast path takes a label's value only when it
   * is an own property, and needs as many enumerable keys as labels (inherited ones included, so a
   * polluted prototype makes it miss); anything else takes the checked path, which reads own
   * enumerable properties only and reports missing and unexpected labels.
   */
  lookup(record: Readonly<Record<string, unknown>>): S {
    const node = this.#walk(this.#live.root, record);
    if (node === undefined) return this.#miss(record);
    let count = 0;
    for (const _ in record) count++;
    if (count !== this.#names.length) return this.#miss(record);
    return node as S;
  }

  /** The child of a label set whose series is in the exposition; never creates one. */
  find(record: Readonly<Record<string, unknown>>): S | undefined {
    return this.#live.get(this.#values(record));
  }

  /** Takes a series out and zeroes it; returns whether it was in the exposition. */
  remove(record: Readonly<Record<string, unknown>>): boolean {
    const values = this.#values(record);
    const series = this.#live.get(values);
    if (series === undefined) {
      const gone = this.#gone.get(values)?.deref();
      if (gone !== undefined) this.hooks.zero(gone);
      return false;
    }
    this.#live.delete(values);
    this.#series.splice(this.#series.indexOf(series), 1);
    this.hooks.zero(series);
    this.#detach(series, values);
    return true;
  }

  /** Takes every series out, zeroed. */
  reset(): void {
    for (const series of this.#series) {
      this.hooks.zero(series);
      this.#detach(series, this.builder.variableValues(series.labelSet));
    }
    this.#live.clear();
    this.#series = [];
    this.#sorted = true;
  }

  /** Called by a child's update when its `seen` differs from `tick`: brings back a series that is gone. */
  touch(series: S): void {
    if (series.seen === DETACHED) this.#attach(series, this.builder.variableValues(series.labelSet));
    series.seen = this.tick;
  }

  /** The series of the exposition in label order, after expiring those whose TTL passed. */
  collect(): readonly S[] {
    if (this.lifecycle.ttlMs !== Number.POSITIVE_INFINITY) this.#expire();
    if (!this.#gone.empty) this.#gone.prune((ref) => ref.deref() === undefined);
    if (!this.#sorted) {
      this.#series.sort((a, b) => compareLabelSets(a.labelSet, b.labelSet));
      this.#sorted = true;
    }
    return this.#series;
  }

  /**
   * Ends the current collection epoch and detaches every series last updated in an epoch that
   * ended at least the TTL ago. An update is only known to lie before the end of its epoch, so a
   * series leaves between ttl and ttl plus one collection interval after its last update, never
   * earlier.
   */
  #expire(): void {
    const now = this.lifecycle.clock();
    this.#epochEnds.push(now);
    this.tick++;
    const cutoff = now - this.lifecycle.ttlMs;
    let drop = 0;
    while (drop < this.#epochEnds.length && this.#epochEnds[drop]! <= cutoff) drop++;
    if (drop === 0) return;
    this.#epochEnds.splice(0, drop);
    this.#firstEpoch += drop;
    const expiredBefore = this.#firstEpoch;
    const kept: S[] = [];
    for (const series of this.#series) {
      if (series.seen >= expiredBefore) {
        kept.push(series);
        continue;
      }
      const values = this.builder.variableValues(series.labelSet);
      this.#live.delete(values);
      this.#detach(series, values);
    }
    this.#series = kept;
  }

  #detach(series: S, values: readonly string[]): void {
    series.seen = DETACHED;
    this.#gone.set(values, new WeakRef(series));
  }

  #attach(series: S, values: readonly string[]): void {
    this.#gone.delete(values);
    this.#live.set(values, series);
    this.#series.push(series);
    this.#sorted = false;
  }

  /** The checked path: a new series, a held child coming back, the overflow series, or a LabelError. */
  #miss(record: Readonly<Record<string, unknown>>): S {
    const values = this.#values(record);
    const live = this.#live.get(values);
    if (live !== undefined) return live;
    const gone = this.#gone.get(values)?.deref();
    if (gone !== undefined) {
      this.touch(gone);
      return gone;
    }
    if (this.#countedSeries() >= this.lifecycle.maxSeries) return this.#overflowSeries();
    return this.#create(values);
  }

  #create(values: readonly string[]): S {
    const series = this.hooks.create(this.builder.build(values));
    series.seen = this.tick;
    this.#attach(series, values);
    return series;
  }

  #countedSeries(): number {
    const overflowIn = this.#overflow !== undefined && this.#overflow.seen !== DETACHED;
    return this.#series.length - (overflowIn ? 1 : 0);
  }

  #overflowSeries(): S {
    this.hooks.overflowed();
    if (this.#overflow === undefined) {
      const values = this.#names.map(() => OVERFLOW_LABEL_VALUE);
      this.#overflow = this.#live.get(values) ?? this.#gone.get(values)?.deref() ?? this.#create(values);
    }
    if (this.#overflow.seen === DETACHED) this.touch(this.#overflow);
    return this.#overflow;
  }

  /** The canonical values of a label set whose own enumerable keys must be exactly the label names. */
  #values(record: Readonly<Record<string, unknown>>): string[] {
    const given = Object.keys(record);
    const names = this.#names;
    if (given.length !== names.length || !given.every((key) => names.includes(key))) {
      const missing = names.filter((n) => !given.includes(n));
      const extra = given.filter((n) => !names.includes(n));
      const parts = [
        missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
        extra.length > 0 ? `unexpected ${extra.map((n) => `"${n}"`).join(', ')}` : '',
      ].filter(Boolean);
      throw new LabelError(
        this.metric,
        `wrong label set {${given.join(', ')}}: ${parts.join('; ')}; expected {${names.join(', ')}}`,
      );
    }
    return names.map((name) => labelValueString(this.metric, name, record[name]));
  }
}
