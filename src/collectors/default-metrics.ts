/**
 * `collectDefaultMetrics`: the process and Node.js runtime metrics prom-client users have
 * dashboards for, with the same names and label names, measured more accurately (see
 * docs/default-metrics.md), collected by one Collector that builds its families directly.
 */
import { MetricDefinitionError } from '../errors.js';
import type { MetricFamily } from '../model/family.js';
import { checkOptionKeys } from '../options.js';
import { type Collector, REGISTRY, type Registry } from '../registry.js';
import { ActiveResourceMetrics } from './active-resources.js';
import { EventLoopMetrics } from './event-loop.js';
import type { Naming } from './family.js';
import { DEFAULT_GC_DURATION_BUCKETS, GcMetrics } from './gc.js';
import { HeapMetrics } from './heap.js';
import { NodeVersionMetrics } from './node-version.js';
import { ProcessMetrics } from './process-metrics.js';
import { type MetricSource, sourceNames } from './source.js';

/** Options of `collectDefaultMetrics`; every field is optional. */
export interface DefaultMetricsOptions {
  /** Where to register the metrics. Default: `REGISTRY`. */
  readonly registry?: Registry;
  /** Prepended to every metric name, e.g. `'myapp_'`. Default: none. */
  readonly prefix?: string;
  /** Constant labels added to every series, e.g. `{ service: 'api' }`. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Upper bounds of `nodejs_gc_duration_seconds`. Default: prom-client's `[0.001, 0.01, 0.1, 1, 2, 5]`. */
  readonly gcDurationBuckets?: readonly number[];
  /** Sampling interval of the event-loop delay monitor in milliseconds (an integer >= 1). Default: 10. */
  readonly eventLoopMonitoringPrecision?: number;
}

const OPTION_KEYS: readonly string[] = [
  'registry',
  'prefix',
  'labels',
  'gcDurationBuckets',
  'eventLoopMonitoringPrecision',
];

/** Where an unknown option is reported: the function, as no single metric is at fault. */
const SUBJECT = 'collectDefaultMetrics';

/** Stops what `collectDefaultMetrics` started and unregisters its metrics. Safe to call twice. */
export type StopDefaultMetrics = () => void;

/**
 * Registers the default process and Node.js metrics (CPU, memory, file descriptors, event-loop
 * delay and utilization, GC pauses, heap spaces, active handles, Node.js version) and starts the
 * GC observer and event-loop monitor they need. Returns a function that unregisters them and
 * stops every observer and monitor.
 *
 * Throws a DuplicateRegistrationError when the registry already holds one of the names, e.g.
 * when called twice for one registry with the same prefix: a second set of observers would only
 * cost time, and its options could silently differ from the first. Throws a
 * MetricDefinitionError for a bad prefix, label or bucket list, naming the metric, and for an
 * unknown option such as prom-client's `register` (meant: `registry`).
 *
 * A scrape costs well under a millisecond: one synchronous pass plus one asynchronous listing
 * of `/proc/self/fd` on Linux.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { collectDefaultMetrics } from 'aioprometheus/default-metrics';
 * const registry = new Registry();
 * const stop = collectDefaultMetrics({ registry, prefix: 'api_', labels: { service: 'api' } });
 * // ... serve /metrics ...
 * stop();
 * ```
 *
 * @throws {DuplicateRegistrationError} when the registry already holds one of the names.
 * @throws {MetricDefinitionError} for a bad prefix, label, bucket list or an unknown option.
 */
export function collectDefaultMetrics(options: DefaultMetricsOptions = {}): StopDefaultMetrics {
  checkDefaultMetricsOptions(options);
  const naming: Naming = { prefix: options.prefix ?? '', labels: { ...options.labels } };
  const sources: MetricSource[] = [
    // First, so the process source's own /proc/self/fd listing is not counted as an active request.
    new ActiveResourceMetrics(naming),
    new ProcessMetrics(naming),
    new EventLoopMetrics(naming, options.eventLoopMonitoringPrecision ?? 10),
    new GcMetrics(naming, options.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS),
    new HeapMetrics(naming),
    new NodeVersionMetrics(naming),
  ];
  const registry = options.registry ?? REGISTRY;
  const collector = new DefaultMetricsCollector(sources);
  registry.register(collector);
  for (const source of sources) source.start?.();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    registry.unregister(collector);
    for (const source of sources) source.stop?.();
  };
}

function checkDefaultMetricsOptions(options: unknown): asserts options is DefaultMetricsOptions {
  const fail = (message: string) => new MetricDefinitionError(SUBJECT, message);
  if (typeof options !== 'object' || options === null) {
    throw fail(`options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  checkOptionKeys(SUBJECT, options, OPTION_KEYS, { register: 'registry', registers: 'registry' }, fail);
  const registry = (options as DefaultMetricsOptions).registry;
  if (registry !== undefined && typeof (registry as Partial<Registry> | null)?.register !== 'function') {
    throw fail('registry must be a Registry');
  }
}

/** One collector for every source: one registry entry and one call per scrape. */
class DefaultMetricsCollector implements Collector {
  readonly #sources: readonly MetricSource[];
  readonly #names: readonly string[];

  constructor(sources: readonly MetricSource[]) {
    this.#sources = sources;
    this.#names = sourceNames(sources);
  }

  describe(): readonly string[] {
    return this.#names;
  }

  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    const out: MetricFamily[] = [];
    const pending: Promise<void>[] = [];
    for (const source of this.#sources) {
      const done = source.collect(out);
      if (done !== undefined) pending.push(done);
    }
    return pending.length === 0 ? out : Promise.all(pending).then(() => out);
  }
}
