/**
 * prom-client's `collectDefaultMetrics`: the metrics prom-client registers, under its names, help
 * texts and cluster aggregators, with values from this library's default-metrics collectors.
 *
 * The collectors use Node's modules, so they are imported on the first call, not when the
 * subpath loads (it also loads where those modules do not exist). The metrics are registered at
 * once, as prom-client does, so a clash with an existing name throws from the call; a read waits
 * for the collectors to load.
 */
import { DuplicateRegistrationError, MetricDefinitionError } from '../errors.js';
import { validateBuckets } from '../metrics/buckets.js';
import type { MetricFamily } from '../model/family.js';
import { validateLabelNames, validateMetricName } from '../model/labels.js';
import { checkOptionKeys } from '../options.js';
import { Registry as NativeRegistry } from '../registry.js';
import {
  type DefaultMetricEntry,
  defaultMetricEntries,
  defaultMetricModules,
} from './default-metric-table.js';
import { familyValues } from './family-json.js';
import {
  type AnyRegistry,
  type CompatRegistry,
  globalRegistry,
  type RegistrableMetric,
  type RegistryContentType,
} from './registry.js';
import type { Aggregator, MetricObjectWithValues } from './types.js';

/** prom-client's options of `collectDefaultMetrics`; every field is optional. */
export interface DefaultMetricsCollectorConfiguration<T extends RegistryContentType = RegistryContentType> {
  /** Where the metrics are registered. Default: `register`. */
  register?: CompatRegistry<T>;
  /** Prepended to every metric name. */
  prefix?: string;
  /** Upper bounds of `nodejs_gc_duration_seconds`. Default `[0.001, 0.01, 0.1, 1, 2, 5]`. */
  gcDurationBuckets?: number[];
  /** Sampling interval of the event-loop delay monitor in milliseconds. Default 10. */
  eventLoopMonitoringPrecision?: number;
  /** Labels added to every series, e.g. `{ service: 'api' }`. */
  labels?: object;
}

const SUBJECT = 'collectDefaultMetrics';
const OPTION_KEYS = ['register', 'prefix', 'gcDurationBuckets', 'eventLoopMonitoringPrecision', 'labels'];

interface Settings {
  readonly prefix: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly gcDurationBuckets: readonly number[] | undefined;
  readonly eventLoopMonitoringPrecision: number;
}

/**
 * Registers prom-client's default metrics in `config.register` (default: `register`) and starts
 * the GC observer and event-loop monitor behind them. Throws a DuplicateRegistrationError when
 * the registry already holds one of the names (a second call for one registry and prefix), and a
 * MetricDefinitionError for an unknown option or a bad prefix, label or bucket list.
 *
 * @example
 * ```ts
 * import { collectDefaultMetrics, register } from 'aioprometheus/prom-client';
 * collectDefaultMetrics({ labels: { service: 'api' } });
 * const text = await register.metrics();
 * ```
 */
function collectDefaultMetricsImpl<T extends RegistryContentType>(
  config?: DefaultMetricsCollectorConfiguration<T> | null,
): void {
  const options = config ?? {};
  const fail = (message: string) => new MetricDefinitionError(SUBJECT, message);
  if (typeof options !== 'object') throw fail(`config must be an object, got ${typeof options}`);
  // fastify-metrics hands its whole `defaultMetrics` option over, `enabled: true` included, and
  // prom-client ignores the flag; any other value of it would ask for something this call cannot do.
  const { enabled, ...rest } = options as DefaultMetricsCollectorConfiguration & { enabled?: unknown };
  if ('enabled' in options && enabled !== true) {
    throw fail(`enabled must be true when given (a middleware's own flag), got ${String(enabled)}`);
  }
  checkOptionKeys(SUBJECT, rest, OPTION_KEYS, { registry: 'register', registers: 'register' }, fail);
  const registry: AnyRegistry = options.register ?? globalRegistry();
  if (typeof (registry as Partial<AnyRegistry> | null)?.registerMetric !== 'function') {
    throw fail('register must be a Registry of aioprometheus/prom-client');
  }
  const settings = checkSettings(options, fail);
  const entries = defaultMetricEntries();
  for (const entry of entries) {
    // prom-client's name rules: the legacy character set.
    const name = validateMetricName(settings.prefix + entry.name, 'legacy');
    const reserved = entry.type === 'histogram' ? ['le'] : [];
    validateLabelNames(name, entry.labelNames, settings.labels, reserved, 'legacy');
  }
  // Checked before registering any, so a clash leaves the registry as it was.
  for (const entry of entries) {
    const existing = registry.getSingleMetric(settings.prefix + entry.name);
    if (existing !== undefined) throw new DuplicateRegistrationError(settings.prefix + entry.name, existing);
  }
  const source = new DefaultMetricsSource(settings);
  for (const entry of entries) registry.registerMetric(new DefaultMetric(entry, settings.prefix, source));
}

/** prom-client's `collectDefaultMetrics`, with `metricsList`: the names of the modules behind its metrics. */
export const collectDefaultMetrics: typeof collectDefaultMetricsImpl & { metricsList: string[] } =
  Object.assign(collectDefaultMetricsImpl, { metricsList: defaultMetricModules() });

function checkSettings(
  options: DefaultMetricsCollectorConfiguration<RegistryContentType>,
  fail: (m: string) => Error,
): Settings {
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw fail(`prefix must be a string, got ${typeof prefix}`);
  const given = options.labels ?? {};
  if (typeof given !== 'object' || given === null) throw fail('labels must be an object of label values');
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw fail(`label "${name}" must have a string or number value, got ${typeof value}`);
    }
    labels[name] = String(value);
  }
  const buckets = options.gcDurationBuckets;
  const gcDurationBuckets =
    buckets === undefined ? undefined : validateBuckets(`${prefix}nodejs_gc_duration_seconds`, buckets);
  const precision = options.eventLoopMonitoringPrecision ?? 10;
  if (!Number.isInteger(precision) || precision < 1) {
    throw new MetricDefinitionError(
      `${prefix}nodejs_eventloop_lag_seconds`,
      `eventLoopMonitoringPrecision must be an integer number of milliseconds >= 1, got ${String(precision)}`,
    );
  }
  return { prefix, labels, gcDurationBuckets, eventLoopMonitoringPrecision: precision };
}

/**
 * The native default-metrics collector behind one call, loaded on first use. Reads that arrive
 * together (one scrape reads every metric) share one collection.
 */
class DefaultMetricsSource {
  readonly #registry: Promise<NativeRegistry>;
  #inflight: Promise<Map<string, MetricFamily>> | undefined;

  constructor(settings: Settings) {
    this.#registry = import('../collectors/default-metrics.js').then(({ collectDefaultMetrics }) => {
      const registry = new NativeRegistry();
      collectDefaultMetrics({
        registry,
        prefix: settings.prefix,
        labels: settings.labels,
        eventLoopMonitoringPrecision: settings.eventLoopMonitoringPrecision,
        ...(settings.gcDurationBuckets === undefined
          ? {}
          : { gcDurationBuckets: settings.gcDurationBuckets }),
      });
      return registry;
    });
    // A failed load surfaces on every read; this keeps it from also being an unhandled rejection.
    this.#registry.catch(() => {});
  }

  families(): Promise<Map<string, MetricFamily>> {
    this.#inflight ??= this.#registry
      .then((registry) => registry.collect())
      .then((families) => new Map(families.map((f) => [f.name, f])))
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }
}

/** One default metric as a prom-client registry holds it. */
class DefaultMetric implements RegistrableMetric {
  readonly name: string;
  readonly help: string;
  readonly type: DefaultMetricEntry['type'];
  readonly aggregator: Aggregator;
  readonly labelNames: readonly string[];
  readonly #source: DefaultMetricsSource;

  constructor(entry: DefaultMetricEntry, prefix: string, source: DefaultMetricsSource) {
    this.name = prefix + entry.name;
    this.help = entry.help;
    this.type = entry.type;
    this.aggregator = entry.aggregator;
    this.labelNames = entry.labelNames;
    this.#source = source;
  }

  async family(): Promise<MetricFamily> {
    const family = (await this.#source.families()).get(this.name);
    // A reading this platform cannot make (no procfs in a container) leaves the family empty, as in prom-client.
    if (family === undefined)
      return { name: this.name, help: this.help, type: this.type, points: [] } as MetricFamily;
    // prom-client's help text, and no unit: prom-client writes no UNIT line in OpenMetrics.
    const { unit: _unit, ...rest } = family;
    return { ...rest, help: this.help } as MetricFamily;
  }

  async get(): Promise<MetricObjectWithValues<string>> {
    const family = await this.family();
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values: familyValues(family),
      aggregator: this.aggregator,
    };
  }

  /** The values are read from the process at each collection; there is nothing to reset. */
  reset(): void {}
}
