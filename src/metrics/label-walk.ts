/**
 * The lookup fast path: follows a metric's label index along the values of a label record,
 * without the checks of the slow path.
 */
import type { IndexNode } from './label-index.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Follows the index from `root` along the string or number values of `record`, without the
 * checks of the slow path; undefined when a value is missing, of another type or not in the index,
 * or when a label is not an own property of `record` (so a prototype never supplies one).
 */
export type Walk = (root: IndexNode, record: Readonly<Record<string, unknown>>) => unknown;

/**
 * A walk for one metric's label names. Up to three labels it reads each value, and tests that it
 * is an own property, through a name held in its own variable: V8 then compiles the read as a
 * named property load and folds the `hasOwnProperty` test into a shape check, where a loop over a
 * names array makes every read and test a keyed, megamorphic lookup, several times slower.
 */
export function makeWalk(names: readonly string[]): Walk {
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
