/**
 * What keeps the event loop alive: libuv handles and requests grouped by their JavaScript class
 * (`process._getActiveHandles()` / `_getActiveRequests()`, as prom-client reads them), and async
 * resources grouped by type (`process.getActiveResourcesInfo()`), each with a `_total` gauge.
 * A group whose API is missing, or which the runtime only stubs with an empty list, is left out.
 */
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import {
  countedGauge,
  type Descriptor,
  describeFamily,
  gauge,
  LabelSetCache,
  type Naming,
} from './family.js';
import type { RuntimeSupport } from './runtime-support.js';
import type { MetricSource } from './source.js';

/** The undocumented but long-standing process methods prom-client's dashboards are built on. */
interface ActiveHandleApi {
  readonly _getActiveHandles?: () => readonly unknown[];
  readonly _getActiveRequests?: () => readonly unknown[];
}

const api = process as unknown as ActiveHandleApi;

/** One grouped gauge plus its total. */
interface Group {
  readonly byType: Descriptor;
  readonly total: Descriptor;
  readonly cache: LabelSetCache;
  readonly read: () => readonly string[];
}

export class ActiveResourceMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #labels: LabelSet;
  readonly #groups: readonly Group[];

  constructor(naming: Naming, support: RuntimeSupport) {
    this.#labels = labelSet(naming.labels);
    const group = (name: string, help: string, totalHelp: string, read: () => readonly string[]): Group => ({
      byType: describeFamily(naming, 'gauge', name, help, { labelNames: ['type'] }),
      total: describeFamily(naming, 'gauge', `${name}_total`, totalHelp),
      cache: new LabelSetCache(naming.labels, 'type'),
      read,
    });
    const groups: Group[] = [];
    const { _getActiveHandles: handles, _getActiveRequests: requests } = api;
    if (support.activeHandles && typeof handles === 'function') {
      groups.push(
        group(
          'nodejs_active_handles',
          'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
          'Total number of active handles.',
          () => classNames(handles.call(process)),
        ),
      );
    }
    if (support.activeRequests && typeof requests === 'function') {
      groups.push(
        group(
          'nodejs_active_requests',
          'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
          'Total number of active requests.',
          () => classNames(requests.call(process)),
        ),
      );
    }
    if (support.activeResources && typeof process.getActiveResourcesInfo === 'function') {
      groups.push(
        group(
          'nodejs_active_resources',
          'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
          'Total number of active resources.',
          () => process.getActiveResourcesInfo(),
        ),
      );
    }
    this.#groups = groups;
    this.descriptors = groups.flatMap((g) => [g.byType, g.total]);
  }

  collect(out: MetricFamily[]): void {
    for (const group of this.#groups) {
      const items = group.read();
      out.push(
        countedGauge(group.byType, group.cache, items),
        gauge(group.total, this.#labels, items.length),
      );
    }
  }
}

/** The constructor name of each object; objects without one are counted as `Object`. */
function classNames(objects: readonly unknown[]): string[] {
  return objects.map(
    (o) => (o as { constructor?: { name?: unknown } } | null)?.constructor?.name?.toString() || 'Object',
  );
}
