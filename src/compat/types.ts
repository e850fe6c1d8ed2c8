/** The shapes prom-client's `get()` and `getMetricsAsJSON()` return, shared by its metrics and registry. */

export type LabelValues<T extends string> = Partial<Record<T, string | number>>;

export interface MetricValue<T extends string> {
  value: number;
  labels: LabelValues<T>;
  metricName?: string;
  exemplar?: unknown;
}

export interface MetricObjectWithValues<T extends string> {
  name: string;
  help: string;
  type: string;
  aggregator: Aggregator;
  values: MetricValue<T>[];
}

export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';
