/**
 * prom-client's Registry: a named set of prom-client-shaped metrics rendered by this library's
 * text and OpenMetrics encoders.
 */

import { DuplicateRegistrationError } from '../errors.js';
import { OPENMETRICS_CONTENT_TYPE } from '../exposition/openmetrics.js';
import { TEXT_CONTENT_TYPE } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';
import { DefaultLabels } from '../registry/default-labels.js';
import { REGISTRY } from '../registry.js';
import { renderCompatOpenMetrics, renderCompatText } from './render.js';
import type { MetricObjectWithValues } from './types.js';

export const prometheusContentType = TEXT_CONTENT_TYPE;
export const openMetricsContentType = OPENMETRICS_CONTENT_TYPE;
export type PrometheusContentType = typeof prometheusContentType;
export type OpenMetricsContentType = typeof openMetricsContentType;
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

/** What a registry needs of a metric: prom-client's `get()` plus the native snapshot. */
export interface RegistrableMetric {
  readonly name: string;
  get(): Promise<MetricObjectWithValues<string>>;
  family(): Promise<MetricFamily>;
  reset(): void;
}

/**
 * `BoundRegistryContentType` is prom-client's type parameter, with its default: `new Registry()`
 * is a `Registry<PrometheusContentType>`, and `Registry<OpenMetricsContentType>` annotations
 * keep compiling. Every parameter that takes a registry takes either (`AnyRegistry`).
 */
export class CompatRegistry<BoundRegistryContentType extends RegistryContentType = PrometheusContentType> {
  static readonly PROMETHEUS_CONTENT_TYPE: PrometheusContentType = prometheusContentType;
  static readonly OPENMETRICS_CONTENT_TYPE: OpenMetricsContentType = openMetricsContentType;

  readonly #metrics = new Map<string, RegistrableMetric>();
  #contentType: BoundRegistryContentType;
  #defaults: Readonly<Record<string, string>> = {};
  #defaultLabels = new DefaultLabels({});

  constructor(contentType?: BoundRegistryContentType) {
    this.#contentType = checkContentType(contentType ?? prometheusContentType) as BoundRegistryContentType;
  }

  get contentType(): BoundRegistryContentType {
    return this.#contentType;
  }

  setContentType(type: BoundRegistryContentType): void {
    this.#contentType = checkContentType(type) as BoundRegistryContentType;
  }

  registerMetric(metric: RegistrableMetric): void {
    const existing = this.#metrics.get(metric.name);
    if (existing === metric) return;
    if (existing !== undefined) throw new DuplicateRegistrationError(metric.name, existing);
    this.#metrics.set(metric.name, metric);
  }

  getSingleMetric(name: string): RegistrableMetric | undefined {
    return this.#metrics.get(name);
  }

  removeSingleMetric(name: string): void {
    this.#metrics.delete(name);
  }

  /** Removes every metric and the default labels, as prom-client's `clear` does. */
  clear(): void {
    this.#metrics.clear();
    this.setDefaultLabels({});
  }

  resetMetrics(): void {
    for (const metric of this.#metrics.values()) metric.reset();
  }

  /** Labels added to every series of this registry; a metric's own label of the same name wins. */
  setDefaultLabels(labels: Readonly<Record<string, string>>): void {
    this.#defaultLabels = new DefaultLabels(labels);
    this.#defaults = Object.freeze({ ...labels });
  }

  getMetricsAsArray(): RegistrableMetric[] {
    return [...this.#metrics.values()];
  }

  async getMetricsAsJSON(): Promise<MetricObjectWithValues<string>[]> {
    const all = await Promise.all(this.getMetricsAsArray().map((m) => m.get()));
    for (const family of all) {
      for (const value of family.values) value.labels = { ...this.#defaults, ...value.labels };
    }
    return all;
  }

  /**
   * The families of every metric, default labels applied: what `metrics()` writes, as the native
   * snapshot. This makes the registry a native Collector, so it can be registered in a native
   * Registry, served by its endpoints and pushed by its Pusher.
   */
  async collect(): Promise<MetricFamily[]> {
    return this.#defaultLabels.apply(await Promise.all(this.getMetricsAsArray().map((m) => m.family())));
  }

  /** Writes families whose default labels are already applied. */
  #write(families: readonly MetricFamily[]): string {
    return this.#contentType === openMetricsContentType
      ? renderCompatOpenMetrics(families)
      : renderCompatText(families);
  }

  async metrics(): Promise<string> {
    return this.#write(await this.collect());
  }

  async getSingleMetricAsString(name: string): Promise<string> {
    const metric = this.#metrics.get(name);
    if (metric === undefined) return '';
    return this.#write(this.#defaultLabels.apply([await metric.family()]));
  }

  /** One registry holding every metric of the given ones; a name in two of them is an error. */
  static merge<T extends RegistryContentType = PrometheusContentType>(
    registers: CompatRegistry<T>[],
  ): CompatRegistry<T> {
    const types = new Set(registers.map((r) => r.contentType));
    if (types.size > 1) throw new TypeError('registers of different content types cannot be merged');
    const merged = new CompatRegistry<T>(registers[0]?.contentType);
    for (const registry of registers)
      for (const metric of registry.getMetricsAsArray()) merged.registerMetric(metric);
    return merged;
  }
}

/** A registry of either content type, as every registry parameter takes. */
export type AnyRegistry = CompatRegistry<RegistryContentType>;

function checkContentType(type: unknown): RegistryContentType {
  if (type !== prometheusContentType && type !== openMetricsContentType) {
    throw new TypeError(`content type ${JSON.stringify(type)} is not supported`);
  }
  return type;
}

/**
 * Where every copy of this layer in the process finds the default registry (the ESM and the
 * CommonJS build, two installed versions), so `register` is one registry however it is imported,
 * as prom-client's is. `protocol` names what the shared object must offer: the CompatRegistry
 * methods, holding metrics with `name`, `get()`, `family()` and `reset()`. Copies that speak
 * another protocol keep their own registry rather than call methods it lacks.
 */
const DEFAULT_REGISTRY_KEY = Symbol.for('aioprometheus.promClientRegistry');
const DEFAULT_REGISTRY_PROTOCOL = 1;

interface DefaultRegistryHandoff {
  readonly protocol: number;
  readonly registry: AnyRegistry;
}

let defaultRegistry: AnyRegistry | undefined;

/**
 * The default registry, created on first use so that modules may import each other in any order.
 * The copy that creates it also registers it, once, in the native `REGISTRY`: an app that mixes
 * `aioprometheus` and `aioprometheus/prom-client` metrics serves them in one exposition, while
 * `register.metrics()` shows only the prom-client-style ones, as prom-client's would.
 */
export function globalRegistry(): AnyRegistry {
  defaultRegistry ??= processDefaultRegistry();
  return defaultRegistry;
}

function processDefaultRegistry(): AnyRegistry {
  const slot = globalThis as { [DEFAULT_REGISTRY_KEY]?: DefaultRegistryHandoff };
  const found = slot[DEFAULT_REGISTRY_KEY];
  if (found?.protocol === DEFAULT_REGISTRY_PROTOCOL) return found.registry;
  const registry = new CompatRegistry<RegistryContentType>();
  if (found === undefined) {
    Object.defineProperty(globalThis, DEFAULT_REGISTRY_KEY, {
      value: Object.freeze({ protocol: DEFAULT_REGISTRY_PROTOCOL, registry }),
      enumerable: false,
    });
  }
  REGISTRY.register(registry);
  return registry;
}
