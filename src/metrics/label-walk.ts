/**
 * The lookup fast path: hashes the values of a label record and finds its slot in a metric's slot
 * table, without the checks of the slow path.
 */
import { hashEnd, hashStart, hashValue, type SlotTable } from './slot-table.js';

const OBJECT = Object.prototype;

/**
 * Whether a value read as `record[name]` is an own property of `record`, for a plain object: one
 * whose prototype is Object.prototype or null, and then only if Object.prototype has no property of
 * that name (which pollution would add). Two shape checks, where `hasOwnProperty` is a call several
 * times as slow as the whole hash lookup; other records take the checked path.
 */
function plain(record: object): boolean {
  const proto = Object.getPrototypeOf(record);
  return proto === null || proto === OBJECT;
}

/**
 * Finds the slot of the string or number values of `record` in `table`, without the checks of the
 * slow path; -1 when a value is missing or of another type, when the label set has no series, or
 * when a label is not an own property of `record` (so a prototype never supplies one).
 */
export type Walk = (table: SlotTable, record: Readonly<Record<string, unknown>>) => number;

/**
 * A walk for one metric's label names. Up to three labels it reads each value through a name held
 * in its own variable: V8 then compiles the read as a named property load, where a loop over a
 * names array makes every read a keyed, megamorphic lookup, several times slower. A candidate slot is confirmed by its hash and then by comparing
 * the values in the store's columns, where a repeated label value is mostly the same string, so
 * the comparison is one pointer test.
 */
export function makeWalk(names: readonly string[]): Walk {
  const [a, b, c] = names as [string, string, string];
  switch (names.length) {
    case 1:
      return (table, r) => {
        const x = value(r[a]);
        if (x === undefined) return -1;
        const h = hashEnd(hashValue(x, hashStart()));
        const { buckets, mask, hashes, columns } = table;
        const ca = columns[0]!;
        for (let i = h & mask; ; i = (i + 1) & mask) {
          const slot = buckets[i]! - 1;
          if (slot < 0) return -1;
          if (hashes[slot] === h && ca[slot] === x) return plain(r) && !(a in OBJECT) ? slot : -1;
        }
      };
    case 2:
      return (table, r) => {
        const x = value(r[a]);
        const y = value(r[b]);
        if (x === undefined || y === undefined) return -1;
        const h = hashEnd(hashValue(y, hashValue(x, hashStart())));
        const { buckets, mask, hashes, columns } = table;
        const ca = columns[0]!;
        const cb = columns[1]!;
        for (let i = h & mask; ; i = (i + 1) & mask) {
          const slot = buckets[i]! - 1;
          if (slot < 0) return -1;
          if (hashes[slot] === h && ca[slot] === x && cb[slot] === y) {
            return plain(r) && !(a in OBJECT) && !(b in OBJECT) ? slot : -1;
          }
        }
      };
    case 3:
      return (table, r) => {
        const x = value(r[a]);
        const y = value(r[b]);
        const z = value(r[c]);
        if (x === undefined || y === undefined || z === undefined) return -1;
        const h = hashEnd(hashValue(z, hashValue(y, hashValue(x, hashStart()))));
        const { buckets, mask, hashes, columns } = table;
        const ca = columns[0]!;
        const cb = columns[1]!;
        const cc = columns[2]!;
        for (let i = h & mask; ; i = (i + 1) & mask) {
          const slot = buckets[i]! - 1;
          if (slot < 0) return -1;
          if (hashes[slot] === h && ca[slot] === x && cb[slot] === y && cc[slot] === z) {
            return plain(r) && !(a in OBJECT) && !(b in OBJECT) && !(c in OBJECT) ? slot : -1;
          }
        }
      };
    default:
      return (table, r) => {
        const values: string[] = [];
        let h = hashStart();
        for (const name of names) {
          if (!Object.hasOwn(r, name)) return -1;
          const x = value(r[name]);
          if (x === undefined) return -1;
          values.push(x);
          h = hashValue(x, h);
        }
        return table.find(values, hashEnd(h));
      };
  }
}

/**
 * A label value as the index keys it: a string as it is, a number as its canonical string; any
 * other type is undefined, so the walk misses and the checked path reports the value.
 */
function value(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' ? String(v) : undefined;
}
