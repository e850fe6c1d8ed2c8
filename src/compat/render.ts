/**
 * How a prom-client registry writes its families, on this library's encoders, where prom-client's
 * output differs from theirs: a family without series still gets its HELP and TYPE lines, and in
 * OpenMetrics a counter named without `_total` is a counter whose samples end in `_total` (the
 * native writer would call it `unknown`, and drop its exemplars), and no `_created` samples are
 * written.
 */
import { ByteSink } from '../exposition/byte-sink.js';
import { escapeHelpOpenMetrics, escapeHelpText, textMetricName } from '../exposition/escape.js';
import { writeOpenMetricsHeader, writeOpenMetricsRows } from '../exposition/openmetrics.js';
import { writeTextHeader, writeTextRows } from '../exposition/text.js';
import { compareUtf8 } from '../model/byte-order.js';
import { seriesCount } from '../model/columns.js';
import type { MetricFamily } from '../model/family.js';

/** The families as text 0.0.4, sorted by name. */
export function renderCompatText(families: readonly MetricFamily[]): string {
  const out = new ByteSink('text');
  for (const family of sorted(families)) {
    const count = seriesCount(family);
    if (count === 0) {
      out.push(metadata(family.name, family.type, escapeHelpText(family.help)));
      continue;
    }
    writeTextHeader(out, family, 'underscores');
    writeTextRows(out, family, 'underscores', 0, count);
  }
  return out.text();
}

/** The families as OpenMetrics 1.0, sorted by name, ending with `# EOF`. */
export function renderCompatOpenMetrics(families: readonly MetricFamily[]): string {
  const out = new ByteSink('text');
  const options = { createdSamples: false, escaping: 'underscores' } as const;
  for (const family of sorted(families).map(withTotal)) {
    const count = seriesCount(family);
    if (count === 0) {
      const base = family.type === 'counter' ? family.name.slice(0, -'_total'.length) : family.name;
      out.push(metadata(base, family.type, escapeHelpOpenMetrics(family.help)));
      continue;
    }
    writeOpenMetricsHeader(out, family, options);
    writeOpenMetricsRows(out, family, options, 0, count);
  }
  out.push('# EOF\n');
  return out.text();
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
