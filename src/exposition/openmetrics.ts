/**
 * The OpenMetrics 1.0 text writer (FORMATS.md §2): counter families named without `_total`,
 * `_created` lines, `# UNIT`, canonical `le`/`quantile`, timestamps in seconds, `# EOF`.
 */
import { braces, bracesWith, escapeHelpOpenMetrics, labelText } from './escape.js';
import { formatCanonical, formatCount, formatFloat } from './format-number.js';
import type { Exemplar, HistogramPoint, MetricFamily } from './model.js';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Renders families as OpenMetrics 1.0 text, ending with `# EOF`. */
export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    if (family.points.length === 0) continue;
    switch (family.type) {
      case 'counter': {
        // A counter whose name lacks `_total` cannot be an OpenMetrics counter; like client_golang, expose it as unknown.
        if (!family.name.endsWith('_total')) {
          out += metadata(family.name, 'unknown', family.help, family.unit);
          for (const p of family.points)
            out += sample(family.name, labelText(p.labels), p.value, p.timestampMs);
          break;
        }
        const base = family.name.slice(0, -'_total'.length);
        out += metadata(base, 'counter', family.help, family.unit);
        for (const p of family.points) {
          const inner = labelText(p.labels);
          out += `${base}_total${braces(inner)} ${formatFloat(p.value)}${timestamp(p.timestampMs)}${exemplar(p.exemplar)}\n`;
          if (p.created !== undefined) out += created(base, inner, p.created, p.timestampMs);
        }
        break;
      }
      case 'gauge':
      case 'untyped':
        out += metadata(family.name, family.type === 'gauge' ? 'gauge' : 'unknown', family.help, family.unit);
        for (const p of family.points)
          out += sample(family.name, labelText(p.labels), p.value, p.timestampMs);
        break;
      case 'histogram':
      case 'gaugehistogram':
        out += metadata(family.name, family.type, family.help, family.unit);
        for (const p of family.points) out += histogram(family.name, p, family.type === 'gaugehistogram');
        break;
      case 'summary':
        out += metadata(family.name, 'summary', family.help, family.unit);
        for (const p of family.points) {
          const inner = labelText(p.labels);
          const ts = timestamp(p.timestampMs);
          for (const q of p.quantiles) {
            out += `${family.name}${bracesWith(inner, `quantile="${formatCanonical(q.quantile)}"`)} ${formatFloat(q.value)}${ts}\n`;
          }
          out += sample(`${family.name}_sum`, inner, p.sum, p.timestampMs);
          out += `${family.name}_count${braces(inner)} ${formatCount(p.count)}${ts}\n`;
          if (p.created !== undefined)
            out += sample(`${family.name}_created`, inner, p.created, p.timestampMs);
        }
        break;
    }
  }
  return `${out}# EOF\n`;
}

function metadata(name: string, type: string, help: string, unit: string | undefined): string {
  let out = `# TYPE ${name} ${type}\n`;
  if (unit !== undefined && unit !== '') out += `# UNIT ${name} ${unit}\n`;
  if (help !== '') out += `# HELP ${name} ${escapeHelpOpenMetrics(help)}\n`;
  return out;
}

function sample(name: string, inner: string, value: number, timestampMs: number | undefined): string {
  return `${name}${braces(inner)} ${formatFloat(value)}${timestamp(timestampMs)}\n`;
}

/**
 * The `_created` line. Formatting a large float costs more than the rest of the line, and series
 * created in the same millisecond share their creation time, so the texts of recent creation
 * times are kept, in a Map bounded so that it never grows with the number of series.
 */
function created(base: string, inner: string, seconds: number, timestampMs: number | undefined): string {
  let text = createdTexts.get(seconds);
  if (text === undefined) {
    if (createdTexts.size >= CREATED_TEXTS_MAX) createdTexts.clear();
    text = formatFloat(seconds);
    createdTexts.set(seconds, text);
  }
  return `${base}_created${braces(inner)} ${text}${timestamp(timestampMs)}\n`;
}

const CREATED_TEXTS_MAX = 4096;
const createdTexts = new Map<number, string>();

function histogram(name: string, p: HistogramPoint, gauge: boolean): string {
  const inner = labelText(p.labels);
  const ts = timestamp(p.timestampMs);
  const les = leLabels(p.upperBounds);
  let out = '';
  for (let i = 0; i < les.length; i++) {
    out += `${name}_bucket${bracesWith(inner, les[i]!)} ${formatCount(p.cumulativeCounts[i]!)}${ts}${exemplar(p.exemplars?.[i])}\n`;
  }
  out += `${name}_bucket${bracesWith(inner, 'le="+Inf"')} ${formatCount(p.count)}${ts}${exemplar(p.exemplars?.[les.length])}\n`;
  if (gauge) {
    out += `${name}_gcount${braces(inner)} ${formatCount(p.count)}${ts}\n`;
    out += sample(`${name}_gsum`, inner, p.sum, p.timestampMs);
  } else if ((p.upperBounds.length === 0 || p.upperBounds[0]! >= 0) && p.sum >= 0) {
    // OpenMetrics allows `_sum` (and with it `_count`) only when it is a counter: no negative bucket bound, and
    // not negative or NaN. Otherwise both are left out; the count stays readable as the +Inf bucket.
    out += `${name}_count${braces(inner)} ${formatCount(p.count)}${ts}\n`;
    out += sample(`${name}_sum`, inner, p.sum, p.timestampMs);
  }
  if (!gauge && p.created !== undefined) out += created(name, inner, p.created, p.timestampMs);
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

function exemplar(e: Exemplar | undefined): string {
  if (e === undefined) return '';
  const ts = e.timestamp === undefined ? '' : ` ${formatFloat(e.timestamp)}`;
  return ` # {${labelText(e.labels)}} ${formatFloat(e.value)}${ts}`;
}

/** OpenMetrics timestamps are seconds. */
function timestamp(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${formatFloat(ms / 1000)}`;
}
