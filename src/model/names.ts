/**
 * Metric and label names outside the legacy character set (Prometheus 3): which names are
 * legacy, how each `escaping=` scheme rewrites the others (as prometheus/common's EscapeName and
 * EscapeMetricFamily do). The text formats' quoting of what stays outside the set is in escape.ts.
 */
/** The `escaping=` schemes a scraper may ask for; `allow-utf-8` leaves names as they are. */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

export const ESCAPING_SCHEMES: readonly EscapingScheme[] = ['allow-utf-8', 'underscores', 'dots', 'values'];

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** A character of the legacy metric-name set at position `index` (a digit may not come first). */
function isLegacyChar(code: number, index: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x5f ||
    code === 0x3a ||
    (code >= 0x30 && code <= 0x39 && index > 0)
  );
}

/**
 * A name rewritten by a scheme, as prometheus/common's EscapeName: `underscores` and `values`
 * return a legacy-valid metric name unchanged; `dots` always rewrites.
 * - `underscores`: each character outside the legacy set becomes `_`.
 * - `dots`: `_` becomes `__`, `.` becomes `_dot_`, any other character outside the set `__`.
 * - `values`: prefix `U__`; `_` becomes `__`; any other character outside the set `_<hex code point>_`.
 */
export function escapeName(name: string, scheme: EscapingScheme): string {
  if (name === '' || scheme === 'allow-utf-8') return name;
  if (scheme !== 'dots' && isLegacyMetricName(name)) return name;
  let out = scheme === 'values' ? 'U__' : '';
  let index = 0;
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (scheme === 'underscores') out += isLegacyChar(code, index) ? char : '_';
    else if (code === 0x5f) out += '__';
    else if (scheme === 'dots') out += code === 0x2e ? '_dot_' : isLegacyChar(code, index) ? char : '__';
    else if (isLegacyChar(code, index)) out += char;
    else out += `_${isLoneSurrogate(code) ? 'FFFD' : code.toString(16)}_`;
    index++;
  }
  return out;
}

function isLoneSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/**
 * The metric name an exposition in `scheme` carries: legacy-valid names are never changed (not
 * even by `dots`), others go through `escapeName`.
 */
export function exposedMetricName(name: string, scheme: EscapingScheme): string {
  return scheme === 'allow-utf-8' || isLegacyMetricName(name) ? name : escapeName(name, scheme);
}

/** The label name an exposition in `scheme` carries; see `exposedMetricName`. */
export function exposedLabelName(name: string, scheme: EscapingScheme): string {
  return scheme === 'allow-utf-8' || isLegacyLabelName(name) ? name : escapeName(name, scheme);
}

/** Whether every name is a legacy label name, cached per names array (series of a metric share theirs). */
const legacyNamesCache = new WeakMap<readonly string[], boolean>();

export function allLegacyLabelNames(names: readonly string[]): boolean {
  let legacy = legacyNamesCache.get(names);
  if (legacy === undefined) {
    legacy = names.every(isLegacyLabelName);
    legacyNamesCache.set(names, legacy);
  }
  return legacy;
}
