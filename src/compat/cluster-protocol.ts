/**
 * The messages between an AggregatorRegistry in the cluster primary and the workers. The types
 * differ from prom-client's, so a worker that loads both prom-client and this layer answers each
 * primary once. Values cross IPC as JSON, which has no NaN or ±Inf: those travel as strings.
 */
import type { MetricObjectWithValues } from './types.js';

export const REQUEST = 'aioprometheus:prom-client:getMetricsReq';
export const RESPONSE = 'aioprometheus:prom-client:getMetricsRes';

export interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly requestId: number;
}

export interface MetricsResponse {
  readonly type: typeof RESPONSE;
  readonly requestId: number;
  readonly metrics?: readonly (readonly MetricObjectWithValues<string>[])[];
  readonly error?: string;
}

export function isRequest(message: unknown): message is MetricsRequest {
  return (message as Partial<MetricsRequest> | null)?.type === REQUEST;
}

export function isResponse(message: unknown): message is MetricsResponse {
  const m = message as Partial<MetricsResponse> | null;
  return m?.type === RESPONSE && typeof m.requestId === 'number';
}

/** Registries' metrics with every non-finite value as its string. */
export function encodeMetrics(
  metrics: readonly (readonly MetricObjectWithValues<string>[])[],
): MetricObjectWithValues<string>[][] {
  return metrics.map((list) =>
    list.map((m) => ({
      ...m,
      values: m.values.map(({ exemplar: _exemplar, ...v }) => ({
        ...v,
        value: (Number.isFinite(v.value) ? v.value : String(v.value)) as number,
      })),
    })),
  );
}

/** The inverse of encodeMetrics. */
export function decodeMetrics(
  metrics: readonly (readonly MetricObjectWithValues<string>[])[],
): MetricObjectWithValues<string>[][] {
  return metrics.map((list) =>
    list.map((m) => ({ ...m, values: m.values.map((v) => ({ ...v, value: Number(v.value) })) })),
  );
}
