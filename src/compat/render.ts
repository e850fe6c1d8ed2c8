/**
 * How a prom-client registry writes its families, on this library's encoders, where prom-client's
 * output differs from theirs: a family without series still gets its HELP and TYPE lines, and in
 * OpenMetrics a counter named without `_total` is a counter whose samples end in `_total` (the
 * native writer would call it `unknown`, and drop its exemplars), and no `_created` samples are
 * written.
 */
import { escapeHelpOpenMetrics, escapeHelpText, textMetricName } from '../exposition/escape.js';
import { renderOpenMetrics } from '../exposition/openmetrics.js';
import { renderText } from '../exposition/text.js';
import { compareUtf8 } from '../model/byte-order.js';
import type { MetricFamily } from '../model/family.js';

const EOF = '# EOF\n';

/** The families as text 0.0.4, sorted by name. */
export function renderCompatText(families: readonly MetricFamily[]): string {
  return sorted(families)
    .map((f) => (f.points.length > 0 ? renderText([f]) : metadata(f.name, f.type, escapeHelpText(f.help))))
    .join('');
}

/** The families as OpenMetrics 1.0, sorted by name, ending with `# EOF`. */
export function renderCompatOpenMetrics(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of sorted(families).map(withTotal)) {
    if (family.points.length > 0) {
      out += renderOpenMetrics([family], { createdSamples: false }).slice(0, -EOF.length);
    } else {
      const base = family.type === 'counter' ? family.name.slice(0, -'_total'.length) : family.name;
      out += metadata(base, family.type, escapeHelpOpenMetrics(family.help));
    }
  }
  return out + EOF;
}

/** prom-client appends `_total` to a counter's samples in OpenMetrics, where the suffix is required. */
export function withTotal(family: MetricFamily): MetricFamily {
  return family.type === 'counter' && !family.name.endsWith('_total')
    ? { ...family, name: `${family.name}_total` }
    : family;
}

function metadata(name: string, type: string, help: string): string {
  const meta = textMetricName(name);
  return `# HELP ${meta} ${help}\n# TYPE ${meta} ${type}\n`;
}

function sorted(families: readonly MetricFamily[]): MetricFamily[] {
  return [...families].sort((a, b) => compareUtf8(a.name, b.name));
}
