/**
 * The series of one metric, by slot: a slot table finds a label set's integer slot, the label
 * values live in one array per label (references to the caller's strings, never joined keys), and each
 * metric type keeps its values in typed-array columns indexed by the same slot (SlotData). No
 * object exists per series unless someone holds the series (`labels()`), so a million series cost
 * a few columns and the index entries.
 *
 * Lifecycle: a cap on the number of series (past it, updates go to one overflow series), expiry of
 * series not updated for a while, and revival of a held series whose series left. Expiry costs
 * the hot path one compare: the store counts collections in `tick` (only when a TTL is set,
 * otherwise it stays 0), and an update writes `seen[slot] = tick` when they differ.
 *
 * Slots are reused. A freed slot waits in `#retired` until the next collection takes it out of the
 * exposition order, and only then is handed out again; a held series whose slot was freed has
 * slot -1 and gets a new slot, with the state it kept, at its next update.
 */
import { LabelError } from '../errors.js';
import { compareUtf8 } from '../model/byte-order.js';
import { labelValueString } from '../model/labels.js';
import { slicer } from '../model/next-turn.js';
import { EMPTY_INT32, grown } from './grown.js';
import { LabelIndex } from './label-index.js';
import { merge, mergeInSlices, sortSlots, sortSlotsInSlices, toSlotArrayInSlices } from './label-sort.js';
import { makeWalk, type Walk } from './label-walk.js';
import { allFalse, identity, isIdentity } from './shared-arrays.js';
import { SlotList } from './slot-list.js';
import { hashValues, SlotTable } from './slot-table.js';
import { type Ref, refTo } from './weak-ref.js';

/**
 * The value every variable label of the overflow series has: the one series that takes the updates
 * for new label sets once a metric has `maxSeries` series.
 */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

export interface SeriesLifecycle {
  readonly maxSeries: number;
  readonly ttlMs: number;
  readonly clock: () => number;
  /** An update for a new label set went to the overflow series. */
  readonly overflowed: () => void;
}

/** The lifecycle of a store without a cap or a TTL, which most share. */
export const UNBOUNDED: SeriesLifecycle = Object.freeze({
  maxSeries: Number.POSITIVE_INFINITY,
  ttlMs: Number.POSITIVE_INFINITY,
  clock: Date.now,
  overflowed: () => {},
});

/** What the store knows of a held series (the object `labels()` returns). */
export interface Held {
  /** The slot of its series; -1 while the series is out of the exposition. */
  slot: number;
  /** The label values of the series while it is out, to put it back; else undefined. */
  outValues: readonly string[] | undefined;
}

/** A metric type's storage of its series, by slot. */
export interface SlotData<H extends Held> {
  /** Makes room for slots below `capacity`. */
  grow(capacity: number): void;
  /** Starts a new series in `slot`: zero, created now. */
  init(slot: number): void;
  /** Keeps the state of `slot` in `held`, whose series leaves the exposition (expiry). */
  save(slot: number, held: H): void;
  /** Puts the state `held` kept into `slot`, or starts a new series there if it kept none. */
  restore(slot: number, held: H): void;
  /** Forgets the state `held` kept, so that its series comes back from zero. */
  forget(held: H): void;
  /** Forgets every slot (`reset()` of a labelled metric): the columns start over, empty. */
  clear(): void;
  /** Zeroes the series in `slot` (`reset()` of a metric without labels); its created time becomes now. */
  zero(slot: number): void;
  /** Drops what `slot` holds outside the columns (exemplars, sketches). */
  release(slot: number): void;
  /** Makes the object `labels()` returns for the series in `slot`. */
  handle(slot: number): H;
}

/** A label value the text formats must escape (`\`, `"`, newline). */
const SPECIAL = /[\\"\n]/;
/** A UTF-16 surrogate: with none in a column, `<` on its values is UTF-8 byte order. */
const SURROGATE = /[\uD800-\uDFFF]/;
/** From this many new series on, `prepare` sorts them in slices. */
const SLICED_SORT_MIN = 20_000;
/** From this many series on, `prepare` expires series in slices. */
const SLICED_EXPIRY_MIN = 20_000;
/** Series looked at between two looks at the clock during an expiry in slices. */
const EXPIRY_CHECK_EVERY = 4096;
/** Slots of the order looked at between two looks at the clock when retired ones leave it. */
const COMPACT_BLOCK = 65_536;
/** The longest piece of a sort in slices before the event loop gets a turn. */
const SLICE_MS = 4;
const MIN_CAPACITY = 8;

export class SeriesStore<H extends Held> {
  /** Collections counted so far (only when a TTL is set); see the file comment. */
  tick = 0;
  /** The collection count at each slot's latest update, -1 once out; empty without a TTL. */
  seen: Int32Array = EMPTY_INT32;
  /**
   * The values of each variable label (in declaration order), by slot. Snapshots keep these very
   * arrays (see `shareColumns`); a slot's values change only when a freed slot is handed out
   * again, and that first replaces the arrays by copies if a snapshot may hold them.
   */
  columns: string[][];
  /** Whether a snapshot may hold `columns`, and how many slots they had then. */
  #sharedTop = -1;
  /**
   * Per variable label: whether some value ever stored needs escaping in the text formats.
   * Replaced, never changed, when a flag goes up, so that snapshots may keep it.
   */
  special: readonly boolean[];
  /** Per variable label: whether some value ever stored holds a surrogate. */
  #surrogates: readonly boolean[];
  readonly #names: readonly string[];
  /** Variable label indexes in the order the exposition sorts by (label names in UTF-8 order). */
  readonly #sortKeys: readonly number[];
  /** The label columns in that order. */
  #sortColumns: readonly (readonly string[])[];
  readonly #walk: Walk;
  readonly #live: SlotTable;
  /** Held series whose series is out, by label values, held weakly (see `#miss`); made when first needed. */
  #goneIndex: LabelIndex<Ref<H>> | undefined;
  /** The objects `labels()` returned, by slot, held weakly. */
  #handles: Map<number, Ref<H>> | undefined;
  readonly #data: SlotData<H>;
  #capacity = 0;
  /** Slots ever handed out; every column has this length. */
  #top = 0;
  #count = 0;
  /** Slots free for reuse, and those waiting for the next collection; made when first needed. */
  #free: SlotList | undefined;
  #retired: SlotList | undefined;
  /** The slots of the exposition, sorted; a new array whenever it changes, so a snapshot may keep it. */
  #order: Int32Array = EMPTY_INT32;
  /** Slots created since the last collection, not yet in `#order`. */
  #pending: number[] = [];
  /** While set, new series take new slots, never freed ones (see `holdFreeSlots`). */
  #holdFree = false;
  /** The expiry and sort in slices of `prepare` while they run, with the new slots being sorted. */
  #sorting: { readonly slots: number[]; readonly done: Promise<void> } | undefined;
  /** Set when `prepare` ended the collection epoch, which `collect` then leaves alone. */
  #epochEnded = false;
  /** Counts `reset()`s, so that a sort in slices started before one leaves the order alone. */
  #generation = 0;
  #overflow: H | undefined;
  /**
   * The end times of the collection epochs that ended less than the TTL ago, oldest first; the
   * first is that of epoch `#firstEpoch` (an epoch is the time between two collections).
   */
  #epochEnds: number[] | undefined;
  #firstEpoch = 0;

  constructor(
    readonly metric: string,
    names: readonly string[],
    private readonly lifecycle: SeriesLifecycle,
    data: SlotData<H>,
  ) {
    this.#names = names;
    this.#data = data;
    const sortKeys = names.map((_, i) => i).sort((i, j) => compareUtf8(names[i]!, names[j]!));
    this.#sortKeys = isIdentity(sortKeys) ? identity(sortKeys.length) : sortKeys;
    this.#walk = makeWalk(names);
    this.columns = names.map(() => []);
    this.#live = new SlotTable(this.columns);
    this.#sortColumns = this.#inSortOrder(this.columns);
    this.special = allFalse(names.length);
    this.#surrogates = allFalse(names.length);
  }

  /**
   * The label columns for a snapshot: they never change under it afterwards, since appending
   * leaves the slots it holds alone and reusing a slot copies the columns first.
   */
  shareColumns(): readonly (readonly string[])[] {
    this.#sharedTop = this.#top;
    return this.columns;
  }

  /** The label columns in the order the exposition sorts by: `columns` itself when that is theirs. */
  #inSortOrder(columns: string[][]): readonly (readonly string[])[] {
    const keys = this.#sortKeys;
    return keys === identity(keys.length) ? columns : keys.map((k) => columns[k]!);
  }

  /**
   * While a snapshot's copies are made in slices, freed slots are not handed out: a new series in
   * a slot already copied would show the old series' value.
   */
  holdFreeSlots(hold: boolean): void {
    this.#holdFree = hold;
  }

  /** Slots handed out so far: the length of every column. */
  get top(): number {
    return this.#top;
  }

  /** The one series of a metric without labels. */
  unlabelled(): H {
    const slot = this.#allocate([]);
    this.#data.init(slot);
    return this.handleFor(slot);
  }

  /**
   * The slot of a label set, found or created. The fast path takes a label's value only when it
   * is an own property, and needs as many enumerable keys as labels (inherited ones included, so a
   * polluted prototype makes it miss); anything else takes the checked path, which reads own
   * enumerable properties only and reports missing and unexpected labels.
   */
  lookup(record: Readonly<Record<string, unknown>>): number {
    const slot = this.#walk(this.#live, record);
    if (slot < 0) return this.#miss(record);
    let count = 0;
    for (const _ in record) count++;
    if (count !== this.#names.length) return this.#miss(record);
    return slot;
  }

  /** The slot of a label set whose series is in the exposition; never creates one. */
  find(record: Readonly<Record<string, unknown>>): number | undefined {
    const slot = this.#liveSlot(this.#values(record));
    return slot < 0 ? undefined : slot;
  }

  /** The slot of the series with label values `values` in the exposition, or -1. */
  #liveSlot(values: readonly string[]): number {
    return this.#live.size === 0 ? -1 : this.#live.find(values, hashValues(values));
  }

  /** The held object of a series: the same one for as long as someone holds it. */
  handleFor(slot: number): H {
    const held = this.#handles?.get(slot)?.deref();
    if (held !== undefined) return held;
    const made = this.#data.handle(slot);
    this.#handles ??= new Map();
    this.#handles.set(slot, refTo(made));
    return made;
  }

  /** Takes a series out (a held one comes back from zero); returns whether it was in the exposition. */
  remove(record: Readonly<Record<string, unknown>>): boolean {
    const values = this.#values(record);
    const slot = this.#liveSlot(values);
    if (slot < 0) {
      const gone = this.#goneIndex?.get(values)?.deref();
      if (gone !== undefined) this.#data.forget(gone);
      return false;
    }
    this.#detach(slot, false);
    return true;
  }

  /**
   * Takes every series out; held ones come back from zero. The cost is in the held series only:
   * the index and the columns start over, so a reset of a million series frees them at once.
   */
  reset(): void {
    // Only series in the exposition have handles: taking one out drops its handle.
    for (const [slot, ref] of this.#handles ?? []) {
      const held = ref.deref();
      if (held !== undefined) this.#putOut(slot, held, false);
    }
    this.#handles = undefined;
    this.#data.clear();
    this.#live.clear();
    this.columns = this.#names.map(() => []);
    this.#live.columns = this.columns;
    this.#sortColumns = this.#inSortOrder(this.columns);
    this.#sharedTop = -1;
    this.#capacity = 0;
    this.#top = 0;
    this.#count = 0;
    this.#free = undefined;
    this.#retired = undefined;
    this.#pending = [];
    this.#order = EMPTY_INT32;
    this.seen = EMPTY_INT32;
    this.#generation++;
  }

  /** Brings back the series of a held object whose series is out; returns its new slot. */
  revive(held: H): number {
    const values = held.outValues!;
    this.#goneIndex?.delete(values);
    const slot = this.#allocate(values);
    this.#handles ??= new Map();
    this.#handles.set(slot, refTo(held));
    held.slot = slot;
    held.outValues = undefined;
    this.#data.restore(slot, held);
    return slot;
  }

  /**
   * Sorts many new series into the exposition order in slices, giving the event loop a turn every
   * few milliseconds; undefined when there are too few for it to matter. `collect` then finds
   * them in order. While it runs, freed slots are not handed out again, so that no label changes
   * under the sort.
   */
  prepare(): Promise<void> | undefined {
    if (this.#sorting !== undefined) return this.#sorting.done;
    const expiring = this.lifecycle.ttlMs !== Number.POSITIVE_INFINITY && this.#count >= SLICED_EXPIRY_MIN;
    if (!expiring && this.#pending.length < SLICED_SORT_MIN) return undefined;
    const generation = this.#generation;
    const slots = this.#pending.length >= SLICED_SORT_MIN ? this.#pending : [];
    if (slots.length > 0) this.#pending = [];
    const done = (async () => {
      try {
        if (expiring) await this.#expireInSlices(slots);
        if (slots.length === 0) return;
        // The columns of now: a reset meanwhile starts new ones, and this sort is then dropped.
        const columns = this.#sortColumns;
        const sorted = await toSlotArrayInSlices(slots, SLICE_MS);
        await sortSlotsInSlices(sorted, columns, SLICE_MS);
        const order = await mergeInSlices(this.#order, sorted, this.#comparer(columns), SLICE_MS);
        if (generation === this.#generation) this.#order = order;
      } finally {
        this.#sorting = undefined;
      }
    })();
    this.#sorting = { slots, done };
    return done;
  }

  /**
   * The slots of the exposition in label order, after expiring those whose TTL passed. The array
   * is never changed afterwards, so a snapshot may keep it. While a sort in slices runs, the
   * series it sorts are left out until it ends.
   */
  collect(): Int32Array {
    if (this.#sorting !== undefined) return this.#order;
    if (this.#epochEnded) this.#epochEnded = false;
    else if (this.lifecycle.ttlMs !== Number.POSITIVE_INFINITY) this.#expire();
    this.#compact();
    if (this.#pending.length > 0) {
      const added = Int32Array.from(this.#pending);
      sortSlots(added, this.#sortColumns);
      this.#pending = [];
      this.#order = merge(this.#order, added, this.#comparer(this.#sortColumns));
    }
    return this.#order;
  }

  /** A comparison of two slots by their label values in `keys` (the sort columns), in UTF-8 byte order. */
  #comparer(keys: readonly (readonly string[])[]): (a: number, b: number) => number {
    const surrogates = this.#sortKeys.map((k) => this.#surrogates[k]!);
    return (a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const column = keys[i]!;
        const x = column[a]!;
        const y = column[b]!;
        if (x !== y) return surrogates[i] ? compareUtf8(x, y) : x < y ? -1 : 1;
      }
      return 0;
    };
  }

  /**
   * Ends the current collection epoch and takes out every series last updated in an epoch that
   * ended at least the TTL ago. An update is only known to lie before the end of its epoch, so a
   * series leaves between ttl and ttl plus one collection interval after its last update, never
   * earlier. A held series keeps its state, to come back with it.
   */
  #expire(): void {
    const expiredBefore = this.#endEpoch();
    if (expiredBefore === undefined) return;
    for (const source of [this.#order, this.#pending]) {
      for (let i = 0; i < source.length; i++) this.#expireSlot(source[i]!, expiredBefore);
    }
  }

  /**
   * The same in slices, for `prepare`. A series updated during a pause has its new tick and
   * stays; one removed meanwhile is out already (its `seen` is -1).
   */
  async #expireInSlices(sorting: number[]): Promise<void> {
    const expiredBefore = this.#endEpoch();
    this.#epochEnded = true;
    if (expiredBefore === undefined) return;
    const generation = this.#generation;
    const pause = slicer(SLICE_MS);
    let done = 0;
    // The order stays as it is until `collect`; new series may join `#pending` meanwhile, fresh.
    for (const source of [this.#order, this.#pending, sorting]) {
      for (let i = 0; i < source.length && generation === this.#generation; i++) {
        this.#expireSlot(source[i]!, expiredBefore);
        if ((++done & (EXPIRY_CHECK_EVERY - 1)) === 0) await pause();
      }
    }
    if (generation === this.#generation) await this.#compactInSlices(sorting);
  }

  /**
   * Takes the retired slots out of the order in slices and frees them, as `collect` would in one
   * block. Slots retired meanwhile wait for `collect`. `sorting` are the slots `prepare` sorts,
   * out of the order and of `#pending`, which must not keep the retired ones either.
   */
  async #compactInSlices(sorting: number[]): Promise<void> {
    const dead = this.#deadMarks();
    if (dead === undefined) return;
    const retired = new SlotList();
    retired.take(this.#retired!);
    const generation = this.#generation;
    const order = await withoutInSlices(this.#order, dead, SLICE_MS);
    if (generation !== this.#generation) return;
    this.#freeRetired(order, dead, retired);
    let kept = 0;
    for (const slot of sorting) if (dead[slot] === 0) sorting[kept++] = slot;
    sorting.length = kept;
  }

  /** Puts `order` (the order less the slots marked in `dead`) in place, and frees `retired`. */
  #freeRetired(order: Int32Array, dead: Uint8Array, retired: SlotList): void {
    this.#order = order;
    this.#pending = this.#pending.filter((slot) => dead[slot] === 0);
    this.#free ??= new SlotList();
    this.#free.take(retired);
  }

  /**
   * Ends the current collection epoch; returns the first epoch still within the TTL when some
   * epoch left it (series last updated before it expire), else undefined.
   */
  #endEpoch(): number | undefined {
    const now = this.lifecycle.clock();
    this.#epochEnds ??= [];
    const ends = this.#epochEnds;
    ends.push(now);
    this.tick++;
    const cutoff = now - this.lifecycle.ttlMs;
    let drop = 0;
    while (drop < ends.length && ends[drop]! <= cutoff) drop++;
    if (drop === 0) return undefined;
    ends.splice(0, drop);
    this.#firstEpoch += drop;
    return this.#firstEpoch;
  }

  #expireSlot(slot: number, expiredBefore: number): void {
    const seen = this.seen[slot]!;
    if (seen >= 0 && seen < expiredBefore) this.#detach(slot, true);
  }

  #deadMarks(): Uint8Array | undefined {
    const retired = this.#retired;
    if (retired === undefined || retired.length === 0) return undefined;
    const dead = new Uint8Array(this.#top);
    for (let i = 0; i < retired.length; i++) dead[retired.at(i)] = 1;
    return dead;
  }

  /** Takes the retired slots out of the order and frees them for reuse. */
  #compact(): void {
    const dead = this.#deadMarks();
    if (dead !== undefined) this.#freeRetired(without(this.#order, dead), dead, this.#retired!);
    const handles = this.#handles;
    if (handles !== undefined)
      for (const [slot, ref] of handles) if (ref.deref() === undefined) handles.delete(slot);
    if (this.#goneIndex !== undefined && !this.#goneIndex.empty) {
      this.#goneIndex.prune((ref) => ref.deref() === undefined);
    }
  }

  /**
   * Takes a series out of the index. Its held object, if any, keeps its state when `keep` (expiry)
   * or forgets it (remove, reset), and is found by its label values until it comes back.
   */
  #detach(slot: number, keep: boolean): void {
    this.#live.delete(slot);
    const handles = this.#handles;
    const held = handles === undefined || handles.size === 0 ? undefined : handles.get(slot)?.deref();
    if (held !== undefined) this.#putOut(slot, held, keep);
    if (handles !== undefined && handles.size > 0) handles.delete(slot);
    this.#data.release(slot);
    this.#retired ??= new SlotList();
    this.#retired.push(slot);
    if (this.seen.length > 0) this.seen[slot] = -1;
    this.#count--;
  }

  /**
   * Leaves `held` without a slot: it keeps its series' state when `keep`, else forgets it, and is
   * found by its label values until it comes back.
   */
  #putOut(slot: number, held: H, keep: boolean): void {
    const values = this.#valuesOf(slot);
    if (keep) this.#data.save(slot, held);
    else this.#data.forget(held);
    held.slot = -1;
    held.outValues = values;
    this.#goneIndex ??= new LabelIndex(this.#names.length);
    this.#goneIndex.set(values, refTo(held));
  }

  #valuesOf(slot: number): string[] {
    return this.columns.map((column) => column[slot]!);
  }

  #allocate(values: readonly string[]): number {
    let slot = this.#holdFree ? undefined : this.#free?.pop();
    if (slot === undefined) {
      slot = this.#top++;
      if (slot >= this.#capacity) {
        this.#capacity = Math.max(MIN_CAPACITY, this.#capacity * 2);
        this.#data.grow(this.#capacity);
        this.#live.grow(this.#capacity);
        if (this.lifecycle.ttlMs !== Number.POSITIVE_INFINITY) this.seen = grown(this.seen, this.#capacity);
      }
    }
    if (slot < this.#sharedTop) {
      this.columns = this.columns.map((column) => column.slice());
      this.#live.columns = this.columns;
      this.#sortColumns = this.#inSortOrder(this.columns);
      this.#sharedTop = -1;
    }
    for (let k = 0; k < values.length; k++) {
      const value = values[k]!;
      this.columns[k]![slot] = value;
      if (!this.special[k] && SPECIAL.test(value)) this.special = this.special.with(k, true);
      if (!this.#surrogates[k] && SURROGATE.test(value)) this.#surrogates = this.#surrogates.with(k, true);
    }
    if (values.length > 0) this.#live.insert(slot, hashValues(values));
    this.#pending.push(slot);
    this.#count++;
    if (this.seen.length > 0) this.seen[slot] = this.tick;
    return slot;
  }

  /** The checked path: a new series, a held series coming back, the overflow series, or a LabelError. */
  #miss(record: Readonly<Record<string, unknown>>): number {
    const values = this.#values(record);
    const live = this.#liveSlot(values);
    if (live >= 0) return live;
    const gone = this.#goneIndex?.get(values)?.deref();
    if (gone !== undefined) return this.revive(gone);
    if (this.#countedSeries() >= this.lifecycle.maxSeries) return this.#overflowSlot();
    return this.#create(values);
  }

  #create(values: readonly string[]): number {
    const slot = this.#allocate(values);
    this.#data.init(slot);
    return slot;
  }

  #countedSeries(): number {
    const overflowIn = this.#overflow !== undefined && this.#overflow.slot >= 0;
    return this.#count - (overflowIn ? 1 : 0);
  }

  /** The overflow series, which the store holds like a user holds a series, so it keeps its value. */
  #overflowSlot(): number {
    this.lifecycle.overflowed();
    if (this.#overflow === undefined) {
      const values = this.#names.map(() => OVERFLOW_LABEL_VALUE);
      const gone = this.#goneIndex?.get(values)?.deref();
      if (gone !== undefined) this.#overflow = gone;
      else {
        const live = this.#liveSlot(values);
        this.#overflow = this.handleFor(live >= 0 ? live : this.#create(values));
      }
    }
    const overflow = this.#overflow;
    return overflow.slot >= 0 ? overflow.slot : this.revive(overflow);
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

/**
 * Copies the slots of `order[from, to)` not marked in `dead` into `out` from index `n`; returns
 * the index after the last one copied.
 */
function keepLive(
  order: Int32Array,
  dead: Uint8Array,
  from: number,
  to: number,
  out: Int32Array,
  n: number,
): number {
  for (let i = from; i < to; i++) {
    const slot = order[i]!;
    if (dead[slot] === 0) out[n++] = slot;
  }
  return n;
}

/** The first `n` slots of `out`: `out` itself when they fill it. */
function firstSlots(out: Int32Array, n: number): Int32Array {
  return n === out.length ? out : out.slice(0, n);
}

/** The slots of `order` not marked in `dead`, in a new array. */
function without(order: Int32Array, dead: Uint8Array): Int32Array {
  const out = new Int32Array(order.length);
  return firstSlots(out, keepLive(order, dead, 0, order.length, out, 0));
}

/** The same, a block at a time with turns of the event loop between. */
async function withoutInSlices(order: Int32Array, dead: Uint8Array, sliceMs: number): Promise<Int32Array> {
  const pause = slicer(sliceMs);
  const out = new Int32Array(order.length);
  let n = 0;
  for (let from = 0; from < order.length; from += COMPACT_BLOCK) {
    n = keepLive(order, dead, from, Math.min(order.length, from + COMPACT_BLOCK), out, n);
    await pause();
  }
  return firstSlots(out, n);
}
