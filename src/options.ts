/**
 * Refusing unknown option keys. JavaScript callers (and prom-client habits such as `registers`
 * or `percentiles`) would otherwise be silently ignored: the metric lands in the wrong registry,
 * the quantiles are the defaults. Every public options object is checked with `checkOptionKeys`.
 */

/** Option names callers are known to write for one of ours, mostly prom-client's: `registers` → `registry`. */
export type OptionHints = Readonly<Record<string, string>>;

/** The prom-client spellings of the options every metric takes. */
export const METRIC_OPTION_HINTS: OptionHints = Object.freeze({
  registers: 'registry',
  register: 'registry',
  percentiles: 'quantiles',
  label_names: 'labelNames',
  const_labels: 'constLabels',
});

/**
 * Throws `fail(message)` when `options` has an own key that is not in `known`. The message names
 * the key, the option meant (from `hints`, else a known key that differs only in case, is a
 * prefix of the key or the key of it, or is at most two edits away) and the known options of `kind`.
 *
 * @example
 * ```ts
 * import { MetricDefinitionError } from './errors.js';
 * import { checkOptionKeys, METRIC_OPTION_HINTS } from './options.js';
 *
 * checkOptionKeys('Counter', { registers: [] }, ['name', 'help', 'registry'], METRIC_OPTION_HINTS,
 *   (m) => new MetricDefinitionError('x_total', m));
 * // metric "x_total": unknown Counter option "registers"; did you mean "registry"? (known: help, name, registry)
 * ```
 */
export function checkOptionKeys(
  kind: string,
  options: object,
  known: readonly string[],
  hints: OptionHints,
  fail: (message: string) => Error,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const meant = Object.hasOwn(hints, key) ? hints[key] : closest(key, known);
    const suggestion = meant === undefined ? '' : `; did you mean "${meant}"?`;
    throw fail(
      `unknown ${kind} option ${JSON.stringify(key)}${suggestion} (known: ${[...known].sort().join(', ')})`,
    );
  }
}

/** The known key a typo most likely meant: equal ignoring case, one a prefix of the other, else within two edits. */
function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const prefixed = known.find((k) => {
    const other = k.toLowerCase();
    return Math.min(other.length, lower.length) >= 4 && (other.startsWith(lower) || lower.startsWith(other));
  });
  if (prefixed !== undefined) return prefixed;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitute, previous[j]! + 1, row[j - 1]! + 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
