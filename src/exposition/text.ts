/**
 * The Prometheus text format writer (0.0.4, and 1.0.0, which differs only in allowing quoted
 * names), matching client_golang's output: HELP then TYPE, families sorted by name, series in
 * the order given, `le` and `quantile` appended after the series' own labels. Names outside the
 * legacy set are escaped by the negotiated scheme, or quoted under `allow-utf-8`.
 */

import type { HistogramPoint, MetricFamily, Quantile } from '../model/family.js';
import { type EscapingScheme, exposedMetricName } from '../model/names.js';
import { escapeHelpText, type LineStart, labelText, lineStart, textMetricName } from './escape.js';
import { formatFloat } from './format-number.js';

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
  let out = '';
  for (const family of families) {
    if (family.points.length === 0) continue;
    const name = exposedMetricName(family.name, escaping);
    const line = lineStart(name);
    const meta = textMetricName(name);
    // An empty HELP is still written (`# HELP name `), as client_golang does.
    out += `# HELP ${meta} ${escapeHelpText(family.help)}\n`;
    out += `# TYPE ${meta} ${family.type === 'gaugehistogram' ? 'histogram' : family.type}\n`;
    switch (family.type) {
      case 'counter':
      case 'gauge':
      case 'untyped':
        for (const p of family.points) {
          out += `${line('', labelText(p.labels, escaping))} ${formatFloat(p.value)}${timestamp(p.timestampMs)}\n`;
        }
        break;
      case 'histogram':
      case 'gaugehistogram':
        for (const p of family.points) out += histogram(line, p, escaping);
        break;
      case 'summary':
        for (const p of family.points) {
          const inner = labelText(p.labels, escaping);
          const ts = timestamp(p.timestampMs);
          out += quantiles(line, inner, p.quantiles, ts);
          out += `${line('_sum', inner)} ${formatFloat(p.sum)}${ts}\n`;
          out += `${line('_count', inner)} ${formatFloat(p.count)}${ts}\n`;
        }
        break;
    }
  }
  return out;
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
