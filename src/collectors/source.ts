/**
 * The internal shape of one group of default metrics (process, event loop, GC, heap, ...):
 * what it produces, how it collects, and the observers it starts and stops.
 */
import type { MetricFamily } from '../model/family.js';
import { type Descriptor, descriptorSampleNames } from './family.js';

export interface MetricSource {
  /** The families this source produces, for the registry's name check. */
  readonly descriptors: readonly Descriptor[];
  /** Appends the current families to `out`; a promise when a reading is asynchronous. */
  collect(out: MetricFamily[]): void | Promise<void>;
  /** Starts observers and monitors; called once, after the collector is registered. */
  start?(): void;
  /** Stops every observer, monitor and timer `start` began. Safe to call twice. */
  stop?(): void;
}

/** Every sample name of every family a set of sources produces. */
export function sourceNames(sources: readonly MetricSource[]): string[] {
  return sources.flatMap((s) => s.descriptors.flatMap(descriptorSampleNames));
}
