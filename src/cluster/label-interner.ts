/**
 * Gives every distinct label set one shared frozen object, so aggregated series keep the same
 * `LabelSet` across scrapes (encoders cache per-series work by identity) and the merge can
 * group series from different workers by identity.
 */
import type { LabelSet } from '../exposition/model.js';

interface Entry {
  readonly set: LabelSet;
  generation: number;
}

export class LabelInterner {
  readonly #entries = new Map<string, Entry>();
  readonly #keys = new WeakMap<LabelSet, string>();
  #generation = 0;

  /** The shared label set for these names and values. */
  intern = (names: readonly string[], values: readonly string[]): LabelSet => {
    const key = labelKey(names, values);
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      entry.generation = this.#generation;
      return entry.set;
    }
    const set: LabelSet = Object.freeze({ names: Object.freeze(names), values: Object.freeze(values) });
    this.#entries.set(key, { set, generation: this.#generation });
    this.#keys.set(set, key);
    return set;
  };

  /** The shared label set equal to `set` (itself when it is already shared). */
  canonical(set: LabelSet): LabelSet {
    const key = this.#keys.get(set);
    if (key !== undefined) {
      const entry = this.#entries.get(key);
      if (entry?.set === set) {
        entry.generation = this.#generation;
        return set;
      }
    }
    return this.intern(set.names, set.values);
  }

  /** Forgets label sets not used since the previous sweep, so series that vanished free memory. */
  sweep(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.generation !== this.#generation) this.#entries.delete(key);
    }
    this.#generation++;
  }
}

/** A collision-free key: each part is prefixed by its length, so no separator needs escaping. */
function labelKey(names: readonly string[], values: readonly string[]): string {
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    const v = values[i]!;
    key += `${n.length}:${n}${v.length}:${v}`;
  }
  return key;
}
