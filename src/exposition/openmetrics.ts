/**
 * The OpenMetrics 1.0 text writer, laid out as prometheus/common writes it: `# HELP`, `# TYPE`,
 * then `# UNIT`; counter families named without `_total`; every float value in the canonical form
 * (`1.0`, `0.0`, `1e+06`), counts as integers; a histogram's `_sum` before its `_count`; `_created`
 * after a series' other samples; timestamps in seconds; `# EOF` at the end. Names outside the
 * legacy set are escaped by the negotiated scheme, or quoted under `allow-utf-8`.
 */

import { columnsOf, type HistogramColumns, type SeriesColumns, seriesCount } from '../model/columns.js';
import type { Exemplar, MetricFamily } from '../model/family.js';
import { type EscapingScheme, exposedMetricName } from '../model/names.js';
import { ByteSink } from './byte-sink.js';
import {
  escapeHelpOpenMetrics,
  type LineStart,
  labelText,
  linePieces,
  linePiecesWith,
  lineStart,
  sampleHeadParts,
  textMetricName,
} from './escape.js';
import { formatCanonical, formatCount } from './format-number.js';
import { HeaderCache } from './header-cache.js';
import { labelBytesBound, rowLabelWriter } from './row-labels.js';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Options of `renderOpenMetrics`. */
export interface OpenMetricsOptions {
  /**
   * Names outside the legacy set are rewritten by this scheme (default `underscores`), or written
   * quoted with `allow-utf-8`.
   */
  readonly escaping?: EscapingScheme;
  /**
   * Write the `_created` samples of counters, histograms and summaries that carry a creation
   * time. Default true here; the metrics endpoint and `render()` turn them off unless asked,
   * because Prometheus without created-timestamp ingestion stores each as an extra series.
   */
  readonly createdSamples?: boolean;
}

/** Renders families as OpenMetrics 1.0 text, ending with `# EOF`. */
export function renderOpenMetrics(
  families: readonly MetricFamily[],
  options: OpenMetricsOptions = {},
): string {
  const out = new ByteSink('text');
  for (const family of families) {
    const count = seriesCount(family);
    if (count === 0) continue;
    writeOpenMetricsHeader(out, family, options);
    writeOpenMetricsRows(out, family, options, 0, count);
  }
  out.push('# EOF\n');
  return out.text();
}

/** The exposed name, and for a counter whether it is written as an OpenMetrics counter. */
function naming(family: MetricFamily, escaping: EscapingScheme): { name: string; counter: boolean } {
  const name = exposedMetricName(family.name, escaping);
  // A counter whose name lacks `_total` cannot be an OpenMetrics counter; like client_golang, expose it as unknown.
  return { name, counter: family.type === 'counter' && name.endsWith('_total') };
}

/** The `# HELP`, `# TYPE` and `# UNIT` lines of a family. */
export function writeOpenMetricsHeader(
  out: ByteSink,
  family: MetricFamily,
  options: OpenMetricsOptions,
): void {
  const escaping = options.escaping ?? 'underscores';
  out.push(headers.get(family, escaping, () => headerText(family, escaping)));
}

const headers = new HeaderCache();

function headerText(family: MetricFamily, escaping: EscapingScheme): string {
  const { name, counter } = naming(family, escaping);
  const { help, unit } = family;
  switch (family.type) {
    case 'counter':
      return counter
        ? metadata(name.slice(0, -'_total'.length), 'counter', help, unit)
        : metadata(name, 'unknown', help, unit);
    case 'gauge':
    case 'untyped':
      return metadata(name, family.type === 'gauge' ? 'gauge' : 'unknown', help, unit);
    case 'histogram':
    case 'gaugehistogram':
      return metadata(name, family.type, help, unit);
    case 'summary':
      return metadata(name, 'summary', help, unit);
  }
}

/** The sample lines of the series `from` (inclusive) to `to` (exclusive) of a family. */
export function writeOpenMetricsRows(
  out: ByteSink,
  family: MetricFamily,
  options: OpenMetricsOptions,
  from: number,
  to: number,
): void {
  const escaping = options.escaping ?? 'underscores';
  const withCreated = options.createdSamples ?? true;
  const { name, counter } = naming(family, escaping);
  const columns = columnsOf(family);
  if (columns !== undefined) {
    writeColumnRows(out, family.type, name, counter, columns, escaping, withCreated, from, to);
    return;
  }
  switch (family.type) {
    case 'counter': {
      if (!counter) {
        const line = lineStart(name);
        for (let i = from; i < to; i++) {
          const p = family.points[i]!;
          out.push(sample(line, '', labelText(p.labels, escaping), p.value, p.timestampMs));
        }
        break;
      }
      const line = lineStart(name.slice(0, -'_total'.length));
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        const inner = labelText(p.labels, escaping);
        let text = `${line('_total', inner)} ${formatCanonical(p.value)}${timestamp(p.timestampMs)}${exemplar(p.exemplar, escaping)}\n`;
        if (withCreated && p.created !== undefined) text += created(line, inner, p.created, p.timestampMs);
        out.push(text);
      }
      break;
    }
    case 'gauge':
    case 'untyped': {
      const line = lineStart(name);
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        out.push(sample(line, '', labelText(p.labels, escaping), p.value, p.timestampMs));
      }
      break;
    }
    case 'histogram':
    case 'gaugehistogram': {
      const line = lineStart(name);
      const gauge = family.type === 'gaugehistogram';
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        const inner = labelText(p.labels, escaping);
        const counts = p.cumulativeCounts;
        out.push(histogram(line, inner, p, (b) => counts[b]!, gauge, escaping, withCreated));
      }
      break;
    }
    case 'summary': {
      const line = lineStart(name);
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        const inner = labelText(p.labels, escaping);
        const ts = timestamp(p.timestampMs);
        let text = '';
        for (const q of p.quantiles) {
          text += `${line('', inner, `quantile="${formatCanonical(q.quantile)}"`)} ${formatCanonical(q.value)}${ts}\n`;
        }
        // `_sum` and `_count` are counters in OpenMetrics: a NaN or negative sum (from NaN, -Inf or
        // negative observations) would make the whole exposition unparseable, so both are left out.
        if (p.sum >= 0) {
          text += sample(line, '_sum', inner, p.sum, p.timestampMs);
          text += `${line('_count', inner)} ${formatCount(p.count)}${ts}\n`;
        }
        if (withCreated && p.created !== undefined)
          text += sample(line, '_created', inner, p.created, p.timestampMs);
        out.push(text);
      }
      break;
    }
  }
}

function writeColumnRows(
  out: ByteSink,
  type: MetricFamily['type'],
  name: string,
  counter: boolean,
  columns: SeriesColumns,
  escaping: EscapingScheme,
  withCreated: boolean,
  from: number,
  to: number,
): void {
  const { rows, values, created: createdAt, exemplars, histogram: h } = columns;
  if (h !== undefined) {
    writeHistogramRows(out, type === 'gaugehistogram', name, columns, h, escaping, withCreated, from, to);
    return;
  }
  if (type === 'counter' && counter && !withCreated) {
    const { head, tail, bare } = sampleHeadParts(name);
    const start = rowLabelWriter(columns, escaping, head, `${tail} `, `${bare} `);
    for (let i = from; i < to; i++) {
      const slot = rows[i]!;
      start(out, slot);
      out.canonical(values![slot]!);
      if (exemplars !== undefined) out.push(exemplar(exemplars.get(slot), escaping));
      out.newline();
    }
    return;
  }
  if (type === 'counter' && counter) {
    const labelled = columns.labelNames.length > 0;
    const total = linePieces(name, labelled);
    const createdLine = linePieces(`${name.slice(0, -'_total'.length)}_created`, labelled);
    const labels = rowLabelWriter(columns, escaping);
    for (let i = from; i < to; i++) {
      const slot = rows[i]!;
      out.push(total.open);
      labels(out, slot);
      out.push(total.close);
      out.canonical(values![slot]!);
      if (exemplars !== undefined) out.push(exemplar(exemplars.get(slot), escaping));
      out.newline();
      if (createdAt === undefined) continue;
      out.push(createdLine.open);
      labels(out, slot);
      out.push(createdLine.close);
      out.push(createdText(createdAt[slot]!));
      out.newline();
    }
    return;
  }
  const { head, tail, bare } = sampleHeadParts(name);
  const start = rowLabelWriter(columns, escaping, head, `${tail} `, `${bare} `);
  for (let i = from; i < to; i++) {
    const slot = rows[i]!;
    start(out, slot);
    out.canonical(values![slot]!);
    out.newline();
  }
}

/**
 * The lines of histogram series from columns, as `histogram` writes them for points: the text
 * around each label text is fixed per family, so a line is its label text between two fixed
 * pieces and the value.
 */
function writeHistogramRows(
  out: ByteSink,
  gauge: boolean,
  name: string,
  columns: SeriesColumns,
  h: HistogramColumns,
  escaping: EscapingScheme,
  withCreated: boolean,
  from: number,
  to: number,
): void {
  const { rows, created: createdAt } = columns;
  const { upperBounds, stride, cells, exemplars } = h;
  const n = upperBounds.length;
  const labelled = columns.labelNames.length > 0;
  const bucket = linePiecesWith(`${name}_bucket`, labelled, [...leLabels(upperBounds), 'le="+Inf"']);
  const sum = linePieces(`${name}${gauge ? '_gsum' : '_sum'}`, labelled);
  const count = linePieces(`${name}${gauge ? '_gcount' : '_count'}`, labelled);
  const createdLine = linePieces(`${name}_created`, labelled);
  // OpenMetrics allows `_sum` (and with it `_count`) only as a counter: not with a negative bucket bound.
  const sumAllowed = n === 0 || upperBounds[0]! >= 0;
  const labels = rowLabelWriter(columns, escaping);
  const bound = labelBytesBound(columns, escaping);
  const fixed = 3 * bucket.open.length;
  // The label text is written once per series and copied into its other lines.
  for (let i = from; i < to; i++) {
    const slot = rows[i]!;
    const base = slot * stride;
    const total = cells[base + n + 2]!;
    const sumValue = cells[base + n + 1]!;
    const ex = exemplars?.get(slot);
    out.ensure(fixed + bound(slot));
    out.push(bucket.open);
    out.markStart();
    labels(out, slot);
    out.markEnd();
    let running = 0;
    for (let b = 0; b <= n; b++) {
      if (b > 0) {
        out.push(bucket.open);
        out.again();
      }
      running = b < n ? running + cells[base + b]! : total;
      out.push(bucket.closes[b]!);
      out.count(running);
      if (ex !== undefined) out.push(exemplar(ex[b], escaping));
      out.newline();
    }
    if (gauge) {
      labelledLineStart(out, count);
      out.count(total);
      out.newline();
      labelledLineStart(out, sum);
      out.canonical(sumValue);
      out.newline();
      continue;
    }
    if (sumAllowed && sumValue >= 0) {
      labelledLineStart(out, sum);
      out.canonical(sumValue);
      out.newline();
      labelledLineStart(out, count);
      out.count(total);
      out.newline();
    }
    if (withCreated && createdAt !== undefined) {
      labelledLineStart(out, createdLine);
      out.push(createdText(createdAt[slot]!));
      out.newline();
    }
  }
}

/** Writes a sample line's start up to its value: fixed pieces around the series' label text. */
function labelledLineStart(out: ByteSink, pieces: { readonly open: string; readonly close: string }): void {
  out.push(pieces.open);
  out.again();
  out.push(pieces.close);
}

/** HELP (written even when empty, like client_golang), TYPE, then UNIT. */
function metadata(name: string, type: string, help: string, unit: string | undefined): string {
  const meta = textMetricName(name);
  let out = `# HELP ${meta} ${escapeHelpOpenMetrics(help)}\n# TYPE ${meta} ${type}\n`;
  if (unit !== undefined && unit !== '') out += `# UNIT ${meta} ${unit}\n`;
  return out;
}

function sample(
  line: LineStart,
  suffix: string,
  inner: string,
  value: number,
  timestampMs: number | undefined,
): string {
  return `${line(suffix, inner)} ${formatCanonical(value)}${timestamp(timestampMs)}\n`;
}

/** The `_created` line. */
function created(line: LineStart, inner: string, seconds: number, timestampMs: number | undefined): string {
  return `${line('_created', inner)} ${createdText(seconds)}${timestamp(timestampMs)}\n`;
}

/**
 * A creation time as `_created` writes it. Formatting a large float costs more than the rest of
 * the line, and series created in the same millisecond share their creation time, so the texts of
 * recent creation times are kept, in a Map bounded so that it never grows with the number of series.
 */
function createdText(seconds: number): string {
  let text = createdTexts.get(seconds);
  if (text === undefined) {
    if (createdTexts.size >= CREATED_TEXTS_MAX) createdTexts.clear();
    text = formatCanonical(seconds);
    createdTexts.set(seconds, text);
  }
  return text;
}

const CREATED_TEXTS_MAX = 4096;
const createdTexts = new Map<number, string>();

/** What the histogram lines of one series need, from a point or from columns. */
interface HistogramRow {
  readonly upperBounds: readonly number[];
  readonly count: number;
  readonly sum: number;
  readonly created?: number | undefined;
  readonly timestampMs?: number | undefined;
  readonly exemplars?: readonly (Exemplar | undefined)[] | undefined;
}

function histogram(
  line: LineStart,
  inner: string,
  p: HistogramRow,
  cumulative: (bucket: number) => number,
  gauge: boolean,
  escaping: EscapingScheme,
  withCreated: boolean,
): string {
  const ts = timestamp(p.timestampMs);
  const les = leLabels(p.upperBounds);
  let out = '';
  for (let i = 0; i < les.length; i++) {
    out += `${line('_bucket', inner, les[i]!)} ${formatCount(cumulative(i))}${ts}${exemplar(p.exemplars?.[i], escaping)}\n`;
  }
  out += `${line('_bucket', inner, 'le="+Inf"')} ${formatCount(p.count)}${ts}${exemplar(p.exemplars?.[les.length], escaping)}\n`;
  if (gauge) {
    out += `${line('_gcount', inner)} ${formatCount(p.count)}${ts}\n`;
    out += sample(line, '_gsum', inner, p.sum, p.timestampMs);
  } else if ((p.upperBounds.length === 0 || p.upperBounds[0]! >= 0) && p.sum >= 0) {
    // OpenMetrics allows `_sum` (and with it `_count`) only when it is a counter: no negative bucket bound, and
    // not negative or NaN. Otherwise both are left out; the count stays readable as the +Inf bucket.
    out += sample(line, '_sum', inner, p.sum, p.timestampMs);
    out += `${line('_count', inner)} ${formatCount(p.count)}${ts}\n`;
  }
  if (withCreated && !gauge && p.created !== undefined) out += created(line, inner, p.created, p.timestampMs);
  return out;
}

const leCache = new WeakMap<readonly number[], string[]>();

function leLabels(bounds: readonly number[]): string[] {
  let les = leCache.get(bounds);
  if (les === undefined) {
    les = bounds.map((b) => `le="${formatCanonical(b)}"`);
    leCache.set(bounds, les);
  }
  return les;
}

function exemplar(e: Exemplar | undefined, escaping: EscapingScheme): string {
  if (e === undefined) return '';
  const ts = e.timestamp === undefined ? '' : ` ${formatCanonical(e.timestamp)}`;
  return ` # {${labelText(e.labels, escaping)}} ${formatCanonical(e.value)}${ts}`;
}

/** OpenMetrics timestamps are seconds. */
function timestamp(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${formatCanonical(ms / 1000)}`;
}
