/**
 * prom-client's `AggregatorRegistry.aggregate`: metrics that several registries reported as JSON
 * (`getMetricsAsJSON()`), combined per metric by its `aggregator`, sample by sample.
 *
 * Samples are matched by their sample name and full label set; unlike prom-client's joined-text
 * key, two different label sets never match. As in prom-client, a summary's quantiles are
 * combined by the same aggregator as its `_sum` and `_count` (a sum of quantiles is no quantile:
 * give summaries `aggregator: 'average'`, or use `aioprometheus/cluster`, which merges sketches).
 */
import { MetricDefinitionError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { familyFromValues } from './family-json.js';
import {
  CompatRegistry,
  type PrometheusContentType,
  prometheusContentType,
  type RegistryContentType,
} from './registry.js';
import type { Aggregator, MetricObjectWithValues, MetricValue } from './types.js';

type Combine = (values: readonly number[]) => number;

const COMBINE: Readonly<Record<Exclude<Aggregator, 'omit'>, Combine>> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  first: (v) => v[0]!,
  min: (v) => v.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
  max: (v) => v.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
  average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
};

/**
 * One registry holding the combination of every metric in `metricsArr` (one array per reporting
 * registry). A metric's first report decides its aggregator; `omit` leaves it out. Throws a
 * MetricDefinitionError naming the metric for an aggregator that does not exist.
 */
export function aggregate<T extends RegistryContentType = PrometheusContentType>(
  metricsArr: readonly object[],
  contentType?: T,
): CompatRegistry<T> {
  const byName = new Map<string, MetricObjectWithValues<string>[]>();
  for (const metrics of checkReports(metricsArr)) {
    for (const metric of metrics) {
      const group = byName.get(metric.name);
      if (group === undefined) byName.set(metric.name, [metric]);
      else group.push(metric);
    }
  }
  const registry = new CompatRegistry<T>((contentType ?? prometheusContentType) as T);
  for (const [name, reports] of byName) {
    const first = reports[0]!;
    const aggregator = first.aggregator ?? 'sum';
    if (aggregator === 'omit') continue;
    const combine = Object.hasOwn(COMBINE, aggregator) ? COMBINE[aggregator] : undefined;
    if (combine === undefined) {
      throw new MetricDefinitionError(
        name,
        `aggregator ${JSON.stringify(aggregator)} is not one of sum, first, min, max, average, omit`,
      );
    }
    registry.registerMetric(
      new AggregatedMetric({ ...first, aggregator, values: combined(reports, combine) }),
    );
  }
  return registry;
}

/** prom-client types the reports as plain objects; here each must be a `getMetricsAsJSON()` result. */
function checkReports(metricsArr: readonly object[]): (readonly MetricObjectWithValues<string>[])[] {
  if (!Array.isArray(metricsArr))
    throw new TypeError('aggregate expects an array of getMetricsAsJSON() results');
  metricsArr.forEach((metrics: unknown, i) => {
    const ok =
      Array.isArray(metrics) &&
      metrics.every(
        (m: Partial<MetricObjectWithValues<string>> | null) =>
          typeof m?.name === 'string' && Array.isArray(m.values),
      );
    if (!ok) {
      throw new TypeError(
        `aggregate: report ${i} is not a getMetricsAsJSON() result (an array of { name, values })`,
      );
    }
  });
  return metricsArr as (readonly MetricObjectWithValues<string>[])[];
}

function combined(
  reports: readonly MetricObjectWithValues<string>[],
  combine: Combine,
): MetricValue<string>[] {
  const samples = new Map<string, MetricValue<string>[]>();
  for (const report of reports) {
    for (const value of report.values) {
      const labels = Object.entries(value.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const key = JSON.stringify([value.metricName ?? '', labels.map(([n, v]) => [n, String(v)])]);
      const same = samples.get(key);
      if (same === undefined) samples.set(key, [value]);
      else same.push(value);
    }
  }
  return [...samples.values()].map((same) => {
    const { labels, metricName } = same[0]!;
    const value = combine(same.map((v) => v.value));
    return metricName === undefined ? { value, labels } : { value, labels, metricName };
  });
}

/** A metric that exists only as its combined JSON. */
class AggregatedMetric {
  readonly name: string;
  readonly #metric: MetricObjectWithValues<string>;

  constructor(metric: MetricObjectWithValues<string>) {
    this.name = metric.name;
    this.#metric = metric;
  }

  async get(): Promise<MetricObjectWithValues<string>> {
    return this.#metric;
  }

  async family(): Promise<MetricFamily> {
    return familyFromValues(this.#metric);
  }

  /** Its values are what the workers reported; a reset of the aggregate has nothing to clear. */
  reset(): void {}
}
