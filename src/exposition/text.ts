/**
 * The Prometheus text format writer (0.0.4, and 1.0.0, which differs only in allowing quoted
 * names), matching client_golang's output: HELP then TYPE, families sorted by name, series in
 * the order given, `le` and `quantile` appended after the series' own labels. Names outside the
 * legacy set are escaped by the negotiated scheme, or quoted under `allow-utf-8`.
 */

import { columnsOf, type SeriesColumns, seriesCount } from '../model/columns.js';
import type { HistogramPoint, MetricFamily, Quantile } from '../model/family.js';
import { type EscapingScheme, exposedMetricName } from '../model/names.js';
import { ByteSink } from './byte-sink.js';
import {
  escapeHelpText,
  type LineStart,
  labelText,
  linePieces,
  linePiecesWith,
  lineStart,
  sampleHeadParts,
  textMetricName,
} from './escape.js';
import { formatFloat } from './format-number.js';
import { HeaderCache } from './header-cache.js';
import { labelBytesBound, rowLabelWriter } from './row-labels.js';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const TEXT_1_0_0_CONTENT_TYPE = 'text/plain; version=1.0.0; charset=utf-8';

/**
 * Renders families as text. Families without series are left out, as client_golang does. Names
 * outside the legacy set are rewritten by `escaping` (default `underscores`), or written quoted
 * with `allow-utf-8`: `{"http.server.duration","http.method"="GET"} 1`.
 */
export function renderText(
  families: readonly MetricFamily[],
  escaping: EscapingScheme = 'underscores',
): string {
  const out = new ByteSink('text');
  for (const family of families) {
    const count = seriesCount(family);
    if (count === 0) continue;
    writeTextHeader(out, family, escaping);
    writeTextRows(out, family, escaping, 0, count);
  }
  return out.text();
}

/** The `# HELP` and `# TYPE` lines of a family. */
export function writeTextHeader(out: ByteSink, family: MetricFamily, escaping: EscapingScheme): void {
  out.push(headers.get(family, escaping, () => headerText(family, escaping)));
}

const headers = new HeaderCache();

function headerText(family: MetricFamily, escaping: EscapingScheme): string {
  const meta = textMetricName(exposedMetricName(family.name, escaping));
  // An empty HELP is still written (`# HELP name `), as client_golang does.
  return `# HELP ${meta} ${escapeHelpText(family.help)}\n# TYPE ${meta} ${family.type === 'gaugehistogram' ? 'histogram' : family.type}\n`;
}

/** The sample lines of the series `from` (inclusive) to `to` (exclusive) of a family. */
export function writeTextRows(
  out: ByteSink,
  family: MetricFamily,
  escaping: EscapingScheme,
  from: number,
  to: number,
): void {
  const name = exposedMetricName(family.name, escaping);
  const columns = columnsOf(family);
  if (columns !== undefined) {
    writeColumnRows(out, name, columns, escaping, from, to);
    return;
  }
  const line = lineStart(name);
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'untyped':
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        out.push(
          `${line('', labelText(p.labels, escaping))} ${formatFloat(p.value)}${timestamp(p.timestampMs)}\n`,
        );
      }
      break;
    case 'histogram':
    case 'gaugehistogram':
      for (let i = from; i < to; i++) out.push(histogram(line, family.points[i]!, escaping));
      break;
    case 'summary':
      for (let i = from; i < to; i++) {
        const p = family.points[i]!;
        const inner = labelText(p.labels, escaping);
        const ts = timestamp(p.timestampMs);
        out.push(
          `${quantiles(line, inner, p.quantiles, ts)}${line('_sum', inner)} ${formatFloat(p.sum)}${ts}\n${line('_count', inner)} ${formatFloat(p.count)}${ts}\n`,
        );
      }
      break;
  }
}

function writeColumnRows(
  out: ByteSink,
  name: string,
  columns: SeriesColumns,
  escaping: EscapingScheme,
  from: number,
  to: number,
): void {
  const { rows, values, histogram: h } = columns;
  if (h === undefined) {
    const { head, tail, bare } = sampleHeadParts(name);
    const start = rowLabelWriter(columns, escaping, head, `${tail} `, `${bare} `);
    for (let i = from; i < to; i++) {
      const slot = rows[i]!;
      start(out, slot);
      out.float(values![slot]!);
      out.newline();
    }
    return;
  }
  const labels = rowLabelWriter(columns, escaping);
  const bound = labelBytesBound(columns, escaping);
  const labelled = columns.labelNames.length > 0;
  const bucket = linePiecesWith(`${name}_bucket`, labelled, [...leLabels(h.upperBounds), 'le="+Inf"']);
  const sum = linePieces(`${name}_sum`, labelled);
  const count = linePieces(`${name}_count`, labelled);
  const n = h.upperBounds.length;
  const { stride, cells } = h;
  // The label text is written once per series and copied into its other lines.
  const fixed = 3 * bucket.open.length;
  for (let i = from; i < to; i++) {
    const slot = rows[i]!;
    const base = slot * stride;
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
      running = b < n ? running + cells[base + b]! : cells[base + n + 2]!;
      out.push(bucket.closes[b]!);
      out.float(running);
      out.newline();
    }
    out.push(sum.open);
    out.again();
    out.push(sum.close);
    out.float(cells[base + n + 1]!);
    out.newline();
    out.push(count.open);
    out.again();
    out.push(count.close);
    out.float(running);
    out.newline();
  }
}

function histogram(line: LineStart, p: HistogramPoint, escaping: EscapingScheme): string {
  const inner = labelText(p.labels, escaping);
  const ts = timestamp(p.timestampMs);
  const les = leLabels(p.upperBounds);
  let out = '';
  for (let i = 0; i < les.length; i++) {
    out += `${line('_bucket', inner, les[i]!)} ${formatFloat(p.cumulativeCounts[i]!)}${ts}\n`;
  }
  out += `${line('_bucket', inner, 'le="+Inf"')} ${formatFloat(p.count)}${ts}\n`;
  out += `${line('_sum', inner)} ${formatFloat(p.sum)}${ts}\n`;
  out += `${line('_count', inner)} ${formatFloat(p.count)}${ts}\n`;
  return out;
}

function quantiles(line: LineStart, inner: string, qs: readonly Quantile[], ts: string): string {
  let out = '';
  for (const q of qs) {
    out += `${line('', inner, `quantile="${formatFloat(q.quantile)}"`)} ${formatFloat(q.value)}${ts}\n`;
  }
  return out;
}

/** `le="…"` texts per bounds array; histograms share one bounds array across their series. */
const leCache = new WeakMap<readonly number[], string[]>();

function leLabels(bounds: readonly number[]): string[] {
  let les = leCache.get(bounds);
  if (les === undefined) {
    les = bounds.map((b) => `le="${formatFloat(b)}"`);
    leCache.set(bounds, les);
  }
  return les;
}

function timestamp(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${Math.round(ms)}`;
}
