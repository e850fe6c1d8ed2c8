/**
 * Which sample names a family takes, in any format: the one rule behind every clash check (the
 * registry's, the metrics' `describe()`, the default metrics'). Two families that share one of
 * these names would write one series twice, or write metadata for the other's samples.
 */
import type { MetricType } from './family.js';

/**
 * The names a family of `type` named `name` uses: a counter `x_total` also takes `x` (its
 * OpenMetrics family name) and `x_created`; a histogram `h` takes `h_bucket`, `h_sum`, `h_count`,
 * `h_created`, and, because a gauge histogram is written as a histogram in text 0.0.4 and as
 * `_gsum`/`_gcount` in OpenMetrics, both pairs for either kind; a summary takes `_sum`, `_count`,
 * `_created`. A counter whose name lacks `_total` (possible in user collectors) takes only its name.
 */
export function sampleNames(type: MetricType, name: string): string[] {
  switch (type) {
    case 'counter': {
      if (!name.endsWith('_total')) return [name];
      const base = name.slice(0, -'_total'.length);
      return [name, base, `${base}_created`];
    }
    case 'histogram':
    case 'gaugehistogram':
      return [
        name,
        `${name}_bucket`,
        `${name}_count`,
        `${name}_sum`,
        `${name}_created`,
        `${name}_gcount`,
        `${name}_gsum`,
      ];
    case 'summary':
      return [name, `${name}_count`, `${name}_sum`, `${name}_created`];
    default:
      return [name];
  }
}
