/**
 * The Prometheus text format 0.0.4 writer (FORMATS.md §1), matching client_golang's output:
 * HELP then TYPE, families sorted by name, series in the order given, `le` and `quantile`
 * appended after the series' own labels.
 */
import { braces, bracesWith, escapeHelpText, labelText } from './escape.js';
import { formatFloat } from './format-number.js';
import type { HistogramPoint, MetricFamily, Quantile } from './model.js';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders families as text 0.0.4. Families without series are left out, as client_golang does. */
export function renderText(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    if (family.points.length === 0) continue;
    const name = family.name;
    // An empty HELP is still written (`# HELP name `), as client_golang does.
    out += `# HELP ${name} ${escapeHelpText(family.help)}\n`;
    out += `# TYPE ${name} ${family.type === 'gaugehistogram' ? 'histogram' : family.type}\n`;
    switch (family.type) {
      case 'counter':
      case 'gauge':
      case 'untyped':
        for (const p of family.points) {
          out += `${name}${braces(labelText(p.labels))} ${formatFloat(p.value)}${timestamp(p.timestampMs)}\n`;
        }
        break;
      case 'histogram':
      case 'gaugehistogram':
        for (const p of family.points) out += histogram(name, p);
        break;
      case 'summary':
        for (const p of family.points) {
          const inner = labelText(p.labels);
          const ts = timestamp(p.timestampMs);
          out += quantiles(name, inner, p.quantiles, ts);
          out += `${name}_sum${braces(inner)} ${formatFloat(p.sum)}${ts}\n`;
          out += `${name}_count${braces(inner)} ${formatFloat(p.count)}${ts}\n`;
        }
        break;
    }
  }
  return out;
}

function histogram(name: string, p: HistogramPoint): string {
  const inner = labelText(p.labels);
  const ts = timestamp(p.timestampMs);
  const les = leLabels(p.upperBounds);
  let out = '';
  for (let i = 0; i < les.length; i++) {
    out += `${name}_bucket${bracesWith(inner, les[i]!)} ${formatFloat(p.cumulativeCounts[i]!)}${ts}\n`;
  }
  out += `${name}_bucket${bracesWith(inner, 'le="+Inf"')} ${formatFloat(p.count)}${ts}\n`;
  out += `${name}_sum${braces(inner)} ${formatFloat(p.sum)}${ts}\n`;
  out += `${name}_count${braces(inner)} ${formatFloat(p.count)}${ts}\n`;
  return out;
}

function quantiles(name: string, inner: string, qs: readonly Quantile[], ts: string): string {
  let out = '';
  for (const q of qs) {
    out += `${name}${bracesWith(inner, `quantile="${formatFloat(q.quantile)}"`)} ${formatFloat(q.value)}${ts}\n`;
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
