/**
 * `collectDefaultMetrics`: the process and Node.js runtime metrics prom-client users have
 * dashboards for, with the same names and label names, measured more accurately (see
 * docs/default-metrics.md), collected by one Collector that builds its families directly.
 */
import { MetricDefinitionError } from '../errors.js';
import { type Definition, publishDefinition, registeredState } from '../metrics/redefinition.js';
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
import { type RuntimeSupport, runtimeSupport } from './runtime-support.js';
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
 * Called again for the same registry and prefix while the first set runs (module code that runs
 * twice: hot reload, one module in two bundles), it starts nothing: with the same options it
 * returns another stop function for the running set, which stops once every stop function it
 * handed out was called; with other options it throws a MetricRedefinitionError naming each
 * difference. Throws a DuplicateRegistrationError when another collector holds one of the names,
 * and a MetricDefinitionError for a bad prefix, label or bucket list, naming the metric, and for
 * an unknown option such as prom-client's `register` (meant: `registry`).
 *
 * On Bun and Deno, the sources their Node layer only stubs (event-loop utilization, GC pauses,
 * and some heap and active-handle figures) are left out rather than exposed as zeros.
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
  return startDefaultMetrics(options, runtimeSupport());
}

/** `collectDefaultMetrics` for the sources `support` says are real; tests pass another runtime's. */
export function startDefaultMetrics(
  options: DefaultMetricsOptions,
  support: RuntimeSupport,
): StopDefaultMetrics {
  checkDefaultMetricsOptions(options);
  const naming: Naming = { prefix: options.prefix ?? '', labels: { ...options.labels } };
  // Built on every runtime, so bad buckets are refused alike where GC pauses are not observable.
  const gc = new GcMetrics(naming, options.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS);
  const sources: MetricSource[] = [
    // First, so the process source's own /proc/self/fd listing is not counted as an active request.
    new ActiveResourceMetrics(naming, support),
    new ProcessMetrics(naming),
    new EventLoopMetrics(naming, options.eventLoopMonitoringPrecision ?? 10, support),
    ...(support.gcEntries ? [gc] : []),
    new HeapMetrics(naming, support),
    new NodeVersionMetrics(naming),
  ];
  const registry = options.registry ?? REGISTRY;
  const collector = new DefaultMetricsCollector(sources);
  const definition: Definition = {
    type: 'default metrics',
    labels: naming.labels,
    gcDurationBuckets: gc.buckets,
    eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecision ?? 10,
  };
  // The first name identifies the set: another prefix is another set, which may run beside it.
  const key = collector.describe()[0]!;
  const running = registeredState(registry, key, definition) as StopHolders | undefined;
  if (running !== undefined) return running.hold();
  registry.register(collector);
  for (const source of sources) source.start?.();
  const holders = new StopHolders(() => {
    registry.unregister(collector);
    for (const source of sources) source.stop?.();
  });
  publishDefinition(collector, key, definition, holders);
  return holders.hold();
}

/**
 * The stop functions handed out for one running set: it stops when the last of them is called,
 * so module code that ran twice and stops once leaves the other caller its metrics.
 */
class StopHolders {
  #held = 0;
  constructor(private readonly release: () => void) {}

  hold(): StopDefaultMetrics {
    this.#held++;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.#held === 0) this.release();
    };
  }
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
