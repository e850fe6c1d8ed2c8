/**
 * The OpenMetrics 1.0 text writer, laid out as prometheus/common writes it: `# HELP`, `# TYPE`,
 * then `# UNIT`; counter families named without `_total`; every float value in the canonical form
 * (`1.0`, `0.0`, `1e+06`), counts as integers; a histogram's `_sum` before its `_count`; `_created`
 * after a series' other samples; timestamps in seconds; `# EOF` at the end. Names outside the
 * legacy set are escaped by the negotiated scheme, or quoted under `allow-utf-8`.
 */

import type { Exemplar, HistogramPoint, MetricFamily } from '../model/family.js';
import { type EscapingScheme, exposedMetricName } from '../model/names.js';
import { escapeHelpOpenMetrics, type LineStart, labelText, lineStart, textMetricName } from './escape.js';
import { formatCanonical, formatCount } from './format-number.js';

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
  const escaping = options.escaping ?? 'underscores';
  const withCreated = options.createdSamples ?? true;
  let out = '';
  for (const family of families) {
    if (family.points.length === 0) continue;
    const name = exposedMetricName(family.name, escaping);
    switch (family.type) {
      case 'counter': {
        // A counter whose name lacks `_total` cannot be an OpenMetrics counter; like client_golang, expose it as unknown.
        if (!name.endsWith('_total')) {
          out += metadata(name, 'unknown', family.help, family.unit);
          const line = lineStart(name);
          for (const p of family.points)
            out += sample(line, '', labelText(p.labels, escaping), p.value, p.timestampMs);
          break;
        }
        const base = name.slice(0, -'_total'.length);
        out += metadata(base, 'counter', family.help, family.unit);
        const line = lineStart(base);
        for (const p of family.points) {
          const inner = labelText(p.labels, escaping);
          out += `${line('_total', inner)} ${formatCanonical(p.value)}${timestamp(p.timestampMs)}${exemplar(p.exemplar, escaping)}\n`;
          if (withCreated && p.created !== undefined) out += created(line, inner, p.created, p.timestampMs);
        }
        break;
      }
      case 'gauge':
      case 'untyped': {
        out += metadata(name, family.type === 'gauge' ? 'gauge' : 'unknown', family.help, family.unit);
        const line = lineStart(name);
        for (const p of family.points)
          out += sample(line, '', labelText(p.labels, escaping), p.value, p.timestampMs);
        break;
      }
      case 'histogram':
      case 'gaugehistogram': {
        out += metadata(name, family.type, family.help, family.unit);
        const line = lineStart(name);
        for (const p of family.points)
          out += histogram(line, name, p, family.type === 'gaugehistogram', escaping, withCreated);
        break;
      }
      case 'summary': {
        out += metadata(name, 'summary', family.help, family.unit);
        const line = lineStart(name);
        for (const p of family.points) {
          const inner = labelText(p.labels, escaping);
          const ts = timestamp(p.timestampMs);
          for (const q of p.quantiles) {
            out += `${line('', inner, `quantile="${formatCanonical(q.quantile)}"`)} ${formatCanonical(q.value)}${ts}\n`;
          }
          // `_sum` and `_count` are counters in OpenMetrics: a NaN or negative sum (from NaN, -Inf or
          // negative observations) would make the whole exposition unparseable, so both are left out.
          if (p.sum >= 0) {
            out += sample(line, '_sum', inner, p.sum, p.timestampMs);
            out += `${line('_count', inner)} ${formatCount(p.count)}${ts}\n`;
          }
          if (withCreated && p.created !== undefined)
            out += sample(line, '_created', inner, p.created, p.timestampMs);
        }
        break;
      }
    }
  }
  return `${out}# EOF\n`;
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

/**
 * The `_created` line. Formatting a large float costs more than the rest of the line, and series
 * created in the same millisecond share their creation time, so the texts of recent creation
 * times are kept, in a Map bounded so that it never grows with the number of series.
 */
function created(line: LineStart, inner: string, seconds: number, timestampMs: number | undefined): string {
  let text = createdTexts.get(seconds);
  if (text === undefined) {
    if (createdTexts.size >= CREATED_TEXTS_MAX) createdTexts.clear();
    text = formatCanonical(seconds);
    createdTexts.set(seconds, text);
  }
  return `${line('_created', inner)} ${text}${timestamp(timestampMs)}\n`;
}

const CREATED_TEXTS_MAX = 4096;
const createdTexts = new Map<number, string>();

function histogram(
  line: LineStart,
  name: string,
  p: HistogramPoint,
  gauge: boolean,
  escaping: EscapingScheme,
  withCreated: boolean,
): string {
  const inner = labelText(p.labels, escaping);
  const ts = timestamp(p.timestampMs);
  const les = leLabels(p.upperBounds);
  let out = '';
  for (let i = 0; i < les.length; i++) {
    out += `${line('_bucket', inner, les[i]!)} ${formatCount(p.cumulativeCounts[i]!)}${ts}${exemplar(p.exemplars?.[i], escaping)}\n`;
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
