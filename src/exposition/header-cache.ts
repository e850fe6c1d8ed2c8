/**
 * The metadata lines of families, kept from scrape to scrape: a family's name, help, type and unit
 * rarely change, and escaping and quoting them anew took a few microseconds per family, which in a
 * registry of a thousand families of a hundred series each was a tenth of a render. An entry is
 * used only while the family still has the help, type and unit it was made for.
 */
import type { MetricFamily } from '../model/family.js';
import type { EscapingScheme } from '../model/names.js';

interface Entry {
  readonly help: string;
  readonly type: MetricFamily['type'];
  readonly unit: string | undefined;
  readonly text: string;
}

/** Entries per format and scheme; all are dropped once this many accumulate (names that keep changing). */
const MAX_ENTRIES = 8192;

/** A cache of the metadata lines of one format. */
export class HeaderCache {
  readonly #byScheme = new Map<EscapingScheme, Map<string, Entry>>();

  /** The metadata text of `family` under `escaping`, made by `make` when not kept. */
  get(family: MetricFamily, escaping: EscapingScheme, make: () => string): string {
    let entries = this.#byScheme.get(escaping);
    if (entries === undefined) {
      entries = new Map();
      this.#byScheme.set(escaping, entries);
    }
    const { name, help, type, unit } = family;
    const found = entries.get(name);
    if (found !== undefined && found.help === help && found.type === type && found.unit === unit) {
      return found.text;
    }
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const text = make();
    entries.set(name, { help, type, unit, text });
    return text;
  }
}
