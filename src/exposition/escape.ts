/**
 * Escaping for the text formats, and the label text cache both writers share.
 */
import type { LabelSet } from './model.js';

const LABEL_VALUE_SPECIAL = /[\\"\n]/;

/** Label values escape `\`, `"` and newline (text 0.0.4 and OpenMetrics alike). */
export function escapeLabelValue(value: string): string {
  if (!LABEL_VALUE_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Text 0.0.4 HELP escapes `\` and newline, and leaves `"` as it is. */
export function escapeHelpText(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** OpenMetrics HELP is an escaped-string: `\`, newline and `"`. */
export function escapeHelpOpenMetrics(help: string): string {
  return escapeLabelValue(help);
}

/**
 * The `a="x",b="y"` text of each label set (without braces), kept between scrapes: label sets are
 * shared frozen objects that live as long as their series, and escaping is most of the cost of a
 * sample line. Only this string is kept per series; everything else of a line is rebuilt.
 */
const labelTextCache = new WeakMap<LabelSet, string>();

export function labelText(labels: LabelSet): string {
  let inner = labelTextCache.get(labels);
  if (inner === undefined) {
    const { names, values } = labels;
    inner = '';
    for (let i = 0; i < names.length; i++) {
      inner += `${i > 0 ? ',' : ''}${names[i]}="${escapeLabelValue(values[i]!)}"`;
    }
    labelTextCache.set(labels, inner);
  }
  return inner;
}

/** `{inner}` or nothing when the label set is empty. */
export function braces(inner: string): string {
  return inner === '' ? '' : `{${inner}}`;
}

/** `{inner,extra}` for a label added after the series' own (`le`, `quantile`). */
export function bracesWith(inner: string, extra: string): string {
  return inner === '' ? `{${extra}}` : `{${inner},${extra}}`;
}
