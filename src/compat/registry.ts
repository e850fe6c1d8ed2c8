/**
 * prom-client's Registry: a named set of prom-client-shaped metrics rendered by this library's
 * text and OpenMetrics encoders.
 */

import { DuplicateRegistrationError } from '../errors.js';
import { OPENMETRICS_CONTENT_TYPE } from '../exposition/openmetrics.js';
import { TEXT_CONTENT_TYPE } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';
import { DefaultLabels } from '../registry/default-labels.js';
import { renderCompatOpenMetrics, renderCompatText } from './render.js';
import type { MetricObjectWithValues } from './types.js';

export const prometheusContentType = TEXT_CONTENT_TYPE;
export const openMetricsContentType = OPENMETRICS_CONTENT_TYPE;
export type RegistryContentType = typeof prometheusContentType | typeof openMetricsContentType;

/** What a registry needs of a metric: prom-client's `get()` plus the native snapshot. */
export interface RegistrableMetric {
  readonly name: string;
  get(): Promise<MetricObjectWithValues<string>>;
  family(): Promise<MetricFamily>;
  reset(): void;
}

export class CompatRegistry {
  readonly #metrics = new Map<string, RegistrableMetric>();
  #contentType: RegistryContentType;
  #defaults: Readonly<Record<string, string>> = {};
  #defaultLabels = new DefaultLabels({});

  constructor(contentType: RegistryContentType = prometheusContentType) {
    this.#contentType = CompatRegistry.#checkContentType(contentType);
  }

  static #checkContentType(type: unknown): RegistryContentType {
    if (type !== prometheusContentType && type !== openMetricsContentType) {
      throw new TypeError(`content type ${JSON.stringify(type)} is not supported`);
    }
    return type;
  }

  get contentType(): RegistryContentType {
    return this.#contentType;
  }

  setContentType(type: RegistryContentType): void {
    this.#contentType = CompatRegistry.#checkContentType(type);
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

  clear(): void {
    this.#metrics.clear();
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

  async #render(families: MetricFamily[]): Promise<string> {
    const labelled = this.#defaultLabels.apply(families);
    return this.#contentType === openMetricsContentType
      ? renderCompatOpenMetrics(labelled)
      : renderCompatText(labelled);
  }

  async metrics(): Promise<string> {
    return this.#render(await Promise.all(this.getMetricsAsArray().map((m) => m.family())));
  }

  async getSingleMetricAsString(name: string): Promise<string> {
    const metric = this.#metrics.get(name);
    if (metric === undefined) return '';
    return this.#render([await metric.family()]);
  }

  /** One registry holding every metric of the given ones; a name in two of them is an error. */
  static merge(registers: CompatRegistry[]): CompatRegistry {
    const types = new Set(registers.map((r) => r.contentType));
    if (types.size > 1) throw new TypeError('registers of different content types cannot be merged');
    const merged = new CompatRegistry(registers[0]?.contentType);
    for (const registry of registers)
      for (const metric of registry.getMetricsAsArray()) merged.registerMetric(metric);
    return merged;
  }
}

let defaultRegistry: CompatRegistry | undefined;

/** The default registry, created on first use so that modules may import each other in any order. */
export function globalRegistry(): CompatRegistry {
  defaultRegistry ??= new CompatRegistry();
  return defaultRegistry;
}
