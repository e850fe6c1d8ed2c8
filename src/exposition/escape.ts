/**
 * Escaping and name quoting for the text formats, and the per-series label text cache both
 * writers share.
 */
import type { LabelSet } from '../model/family.js';
import {
  allLegacyLabelNames,
  type EscapingScheme,
  exposedLabelName,
  isLegacyLabelName,
  isLegacyMetricName,
} from '../model/names.js';

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
 * The `a="x",b="y"` text of each label set (without braces), for families given as points (user
 * collectors, which often hand out the same label set objects on every collection): kept as long
 * as the label set lives. The library's own metrics take the columnar path, which keeps nothing.
 */
const labelTextCache = new WeakMap<LabelSet, string>();
/** Label sets with names outside the legacy set have one text per escaping scheme. */
const schemeTextCache = new WeakMap<LabelSet, Map<EscapingScheme, string>>();

/** The cached text of a label set as an exposition in `scheme` writes it. */
export function labelText(labels: LabelSet, scheme: EscapingScheme = 'underscores'): string {
  if (allLegacyLabelNames(labels.names)) {
    let inner = labelTextCache.get(labels);
    if (inner === undefined) {
      inner = joinLabels(labels.names, labels.values);
      labelTextCache.set(labels, inner);
    }
    return inner;
  }
  let byScheme = schemeTextCache.get(labels);
  if (byScheme === undefined) {
    byScheme = new Map();
    schemeTextCache.set(labels, byScheme);
  }
  let inner = byScheme.get(scheme);
  if (inner === undefined) {
    inner = joinLabels(
      labels.names.map((n) => textLabelName(exposedLabelName(n, scheme))),
      labels.values,
    );
    byScheme.set(scheme, inner);
  }
  return inner;
}

function joinLabels(names: readonly string[], values: readonly string[]): string {
  let inner = '';
  for (let i = 0; i < names.length; i++) {
    inner += `${i > 0 ? ',' : ''}${names[i]}="${escapeLabelValue(values[i]!)}"`;
  }
  return inner;
}

/** A label name as the text formats write it: quoted, with label-value escaping, when it is not legacy. */
export function textLabelName(name: string): string {
  return isLegacyLabelName(name) ? name : `"${escapeLabelValue(name)}"`;
}

/** A metric name in `# HELP`, `# TYPE` and `# UNIT`: quoted when it is not legacy. */
export function textMetricName(name: string): string {
  return isLegacyMetricName(name) ? name : `"${escapeLabelValue(name)}"`;
}

/**
 * The start of a sample line up to its value: `name{inner}`, or, for a name outside the legacy
 * set, `{"name",inner}` (the quoted name is the first item inside the braces).
 */
export function sampleHead(name: string, inner: string): string {
  if (isLegacyMetricName(name)) return inner === '' ? name : `${name}{${inner}}`;
  return inner === '' ? `{"${escapeLabelValue(name)}"}` : `{"${escapeLabelValue(name)}",${inner}}`;
}

/**
 * `sampleHead` in parts, for writing many lines of one name: the text before the labels, the text
 * after them, and the whole head of a line without labels.
 */
export function sampleHeadParts(name: string): { head: string; tail: string; bare: string } {
  if (isLegacyMetricName(name)) return { head: `${name}{`, tail: '}', bare: name };
  const quoted = `"${escapeLabelValue(name)}"`;
  return { head: `{${quoted},`, tail: '}', bare: `{${quoted}}` };
}

/**
 * The fixed text of the sample lines of one name around a series' label text: `open`, the label
 * text, then `close` make the line up to its value, the separating space included. `labelled`
 * says whether the family's series have labels (all of them do or none does).
 */
export function linePieces(name: string, labelled: boolean): { open: string; close: string } {
  const { head, tail, bare } = sampleHeadParts(name);
  return labelled ? { open: head, close: `${tail} ` } : { open: `${bare} `, close: '' };
}

/**
 * `linePieces` for lines that add a label after the series' own (`le`, `quantile`): one `open`
 * for all of them, and a `close` for each value of the added label.
 */
export function linePiecesWith(
  name: string,
  labelled: boolean,
  extras: readonly string[],
): { open: string; closes: string[] } {
  const { head, tail } = sampleHeadParts(name);
  return { open: head, closes: extras.map((extra) => `${labelled ? ',' : ''}${extra}${tail} `) };
}

/** `sampleHead` with a label added after the series' own (`le`, `quantile`). */
export function sampleHeadWith(name: string, inner: string, extra: string): string {
  return sampleHead(name, inner === '' ? extra : `${inner},${extra}`);
}

/** `{inner}` or nothing when the label set is empty. */
export function braces(inner: string): string {
  return inner === '' ? '' : `{${inner}}`;
}

/** `{inner,extra}` for a label added after the series' own (`le`, `quantile`). */
export function bracesWith(inner: string, extra: string): string {
  return inner === '' ? `{${extra}}` : `{${inner},${extra}}`;
}

/** Writes `name<suffix>{inner[,extra]}`; a quoted name goes inside the braces. */
export type LineStart = (suffix: string, inner: string, extra?: string) => string;

/** The sample-line writer for one family name; a legacy name takes the plain, faster path. */
export function lineStart(name: string): LineStart {
  if (isLegacyMetricName(name)) {
    return (suffix, inner, extra) =>
      extra === undefined
        ? `${name}${suffix}${braces(inner)}`
        : `${name}${suffix}${bracesWith(inner, extra)}`;
  }
  return (suffix, inner, extra) =>
    extra === undefined ? sampleHead(name + suffix, inner) : sampleHeadWith(name + suffix, inner, extra);
}
