/**
 * Escaping for the text formats, and the per-series label text cache both writers share.
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
 * Per-series text kept between scrapes. Label sets are shared frozen objects that live as long
 * as their series, so this is computed once per series, not per scrape.
 */
export interface SeriesText {
  /** The `a="x",b="y"` text of the label set, without braces. */
  readonly inner: string;
  /**
   * The OpenMetrics `_created` line last written for this label set (without a timestamp), and
   * the family and creation time it was written for: it changes only when the series is reset.
   * (User collectors may share one label set between families, hence the family name.)
   */
  createdBase: string;
  createdSeconds: number;
  createdLine: string;
}

const seriesTextCache = new WeakMap<LabelSet, SeriesText>();

export function seriesText(labels: LabelSet): SeriesText {
  let entry = seriesTextCache.get(labels);
  if (entry === undefined) {
    const { names, values } = labels;
    let inner = '';
    for (let i = 0; i < names.length; i++) {
      inner += `${i > 0 ? ',' : ''}${names[i]}="${escapeLabelValue(values[i]!)}"`;
    }
    entry = { inner, createdBase: '', createdSeconds: Number.NaN, createdLine: '' };
    seriesTextCache.set(labels, entry);
  }
  return entry;
}

export function labelText(labels: LabelSet): string {
  return seriesText(labels).inner;
}

/** `{inner}` or nothing when the label set is empty. */
export function braces(inner: string): string {
  return inner === '' ? '' : `{${inner}}`;
}

/** `{inner,extra}` for a label added after the series' own (`le`, `quantile`). */
export function bracesWith(inner: string, extra: string): string {
  return inner === '' ? `{${extra}}` : `{${inner},${extra}}`;
}
