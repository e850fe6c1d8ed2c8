/**
 * The status page a person opens at the Service's `/`: every metric family with its type, help
 * and series count, largest first, so a cardinality problem shows at a glance, with links to
 * the exposition in each format and to each family alone. Plain HTML and inline CSS, nothing
 * loaded from elsewhere; every piece of registry text is escaped.
 */
import type { MetricFamily } from '../model/family.js';

/** One row of the page. */
export interface FamilyRow {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  /** Label sets (points) of the family. */
  readonly series: number;
  /** Samples the family adds to each scrape (a histogram point is several). */
  readonly samples: number;
}

/** The rows, largest family first (by series, then samples), ties by name. */
export function familyRows(families: readonly MetricFamily[]): FamilyRow[] {
  return families
    .map((family) => ({
      name: family.name,
      type: family.type,
      help: family.help,
      series: family.points.length,
      samples: samplesOf(family),
    }))
    .sort(
      (a, b) =>
        b.series - a.series || b.samples - a.samples || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

function samplesOf(family: MetricFamily): number {
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      return family.points.reduce((n, p) => n + p.upperBounds.length + 3, 0);
    case 'summary':
      return family.points.reduce((n, p) => n + p.quantiles.length + 2, 0);
    default:
      return family.points.length;
  }
}

/** Options of `statusPage`. */
export interface StatusPageOptions {
  /** The path of the exposition, for the links. */
  readonly metricsPath: string;
  /** A collection problem to show above the table (the page then lists what was gathered). */
  readonly problem?: string;
}

const FORMATS = [
  ['text', 'Prometheus text 0.0.4'],
  ['openmetrics', 'OpenMetrics 1.0'],
  ['protobuf', 'protobuf (binary)'],
] as const;

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}' +
  'th,td{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}' +
  'td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}' +
  '.problem{background:#fde8e8;border:1px solid #e99;padding:.5em 1em}';

/** The page's HTML. */
export function statusPage(families: readonly MetricFamily[], options: StatusPageOptions): string {
  const rows = familyRows(families);
  const path = options.metricsPath;
  const totalSeries = rows.reduce((n, r) => n + r.series, 0);
  const totalSamples = rows.reduce((n, r) => n + r.samples, 0);
  const formatLinks = FORMATS.map(
    ([format, label]) => `<a href="${escapeHtml(`${path}?format=${format}`)}">${label}</a>`,
  ).join(' · ');
  const body = rows
    .map(
      (r) =>
        `<tr><td><a href="${escapeHtml(`${path}?name[]=${encodeURIComponent(r.name)}`)}"><code>${escapeHtml(r.name)}</code></a></td>` +
        `<td>${escapeHtml(r.type)}</td><td class="n">${r.series}</td><td class="n">${r.samples}</td><td>${escapeHtml(r.help)}</td></tr>`,
    )
    .join('\n');
  const problem =
    options.problem === undefined
      ? ''
      : `<p class="problem" role="alert">${escapeHtml(options.problem)}</p>\n`;
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Prometheus metrics</title><style>${STYLE}</style></head>\n<body>\n` +
    '<h1>Prometheus metrics</h1>\n' +
    `<p>Exposition at <a href="${escapeHtml(path)}"><code>${escapeHtml(path)}</code></a>: ${formatLinks}</p>\n` +
    problem +
    `<p>${rows.length} families, ${totalSeries} series, ${totalSamples} samples per scrape.</p>\n` +
    '<table id="families"><thead><tr><th>Family</th><th>Type</th><th>Series</th><th>Samples</th><th>Help</th></tr></thead>\n' +
    `<tbody>\n${body}\n</tbody></table>\n</body></html>\n`
  );
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
