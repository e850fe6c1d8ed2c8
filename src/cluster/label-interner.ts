/**
 * Gives every distinct label set one shared frozen object, so aggregated series keep the same
 * `LabelSet` across scrapes (encoders cache per-series work by identity) and the merge can
 * group series from different workers by identity.
 *
 * Lookups walk one Map level per label value under a key for the label names, like the metrics'
 * series store: no joined key string is built per series, which matters at tens of thousands
 * of series per scrape.
 */
import type { LabelSet } from '../model/family.js';

interface Entry {
  readonly set: LabelSet;
  generation: number;
  removed: boolean;
}

type Node = Map<string, Node | Entry>;

export class LabelInterner {
  /** By label-names key: an Entry for the empty label set, else a tree with one level per value. */
  readonly #roots = new Map<string, Node | Entry>();
  readonly #entries = new WeakMap<LabelSet, Entry>();
  /** Decoded series of one family share their names array: its key is built once. */
  readonly #nameKeys = new WeakMap<readonly string[], string>();
  #generation = 0;

  /** The shared label set for these names and values. */
  intern = (names: readonly string[], values: readonly string[]): LabelSet => {
    let namesKey = this.#nameKeys.get(names);
    if (namesKey === undefined) {
      namesKey = namesKeyOf(names);
      this.#nameKeys.set(names, namesKey);
    }
    const last = values.length - 1;
    let node: Node | Entry | undefined = this.#roots.get(namesKey);
    if (last < 0) {
      if (node === undefined) {
        node = this.#newEntry(names, values);
        this.#roots.set(namesKey, node);
      }
      return this.#touch(node as Entry);
    }
    if (node === undefined) {
      node = new Map();
      this.#roots.set(namesKey, node);
    }
    for (let i = 0; i < last; i++) {
      const parent: Node = node as Node;
      node = parent.get(values[i]!);
      if (node === undefined) {
        node = new Map();
        parent.set(values[i]!, node);
      }
    }
    const leaf = node as Node;
    let entry = leaf.get(values[last]!) as Entry | undefined;
    if (entry === undefined) {
      entry = this.#newEntry(names, values);
      leaf.set(values[last]!, entry);
    }
    return this.#touch(entry);
  };

  /** The shared label set equal to `set` (itself when it is already shared). */
  canonical(set: LabelSet): LabelSet {
    const entry = this.#entries.get(set);
    if (entry !== undefined && !entry.removed) return this.#touch(entry);
    return this.intern(set.names, set.values);
  }

  /** Forgets label sets not used since the previous sweep, so series that vanished free memory. */
  sweep(): void {
    for (const [key, node] of this.#roots) {
      if (this.#prune(node)) this.#roots.delete(key);
    }
    this.#generation++;
  }

  /** Removes stale entries under `node`; returns whether nothing is left. */
  #prune(node: Node | Entry): boolean {
    if (!(node instanceof Map)) {
      if (node.generation === this.#generation) return false;
      node.removed = true;
      return true;
    }
    for (const [key, child] of node) if (this.#prune(child)) node.delete(key);
    return node.size === 0;
  }

  #newEntry(names: readonly string[], values: readonly string[]): Entry {
    const set: LabelSet = Object.freeze({ names: Object.freeze(names), values: Object.freeze(values) });
    const entry: Entry = { set, generation: this.#generation, removed: false };
    this.#entries.set(set, entry);
    return entry;
  }

  #touch(entry: Entry): LabelSet {
    entry.generation = this.#generation;
    return entry.set;
  }
}

/** A collision-free key for label names: each is prefixed by its length, so none needs escaping. */
function namesKeyOf(names: readonly string[]): string {
  let key = '';
  for (const n of names) key += `${n.length}:${n}`;
  return key;
}
