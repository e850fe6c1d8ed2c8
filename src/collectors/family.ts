/**
 * The small pieces every default-metrics source shares: a validated family descriptor, the
 * label sets it hands out (made once, so encoders can cache per series by identity), and the
 * family snapshots built from plain numbers.
 */
import { MetricDefinitionError } from '../errors.js';
import type { CounterFamily, GaugeFamily, LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { validateLabelNames, validateMetricName } from '../model/labels.js';
import { sampleNames } from '../model/sample-names.js';

/** How every family of one `collectDefaultMetrics` call is named and labelled. */
export interface Naming {
  readonly prefix: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A family's metadata, its name already prefixed and validated. */
export interface Descriptor {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly unit?: string;
}

/**
 * Makes a descriptor for `prefix + name`, checking the name, the unit suffix and that the
 * constant labels neither are invalid nor clash with the family's own label names.
 */
export function describeFamily(
  naming: Naming,
  type: Descriptor['type'],
  name: string,
  help: string,
  options: { readonly unit?: string; readonly labelNames?: readonly string[] } = {},
): Descriptor {
  const full = validateMetricName(naming.prefix + name);
  validateLabelNames(full, options.labelNames ?? [], naming.labels, type === 'histogram' ? ['le'] : []);
  const { unit } = options;
  if (unit === undefined) return { name: full, help, type };
  const base = type === 'counter' ? full.slice(0, -'_total'.length) : full;
  if (!base.endsWith(`_${unit}`)) {
    throw new MetricDefinitionError(full, `the name must end with "_${unit}" to carry that unit`);
  }
  return { name: full, help, type, unit };
}

/** Every sample name a descriptor's family uses in any format, for the registry's clash check. */
export function descriptorSampleNames(descriptor: Descriptor): string[] {
  return sampleNames(descriptor.type, descriptor.name);
}

/**
 * Label sets of one family with a single variable label (`type`, `space`, `kind`) plus the
 * constant labels, created once per distinct value and reused on every scrape.
 */
export class LabelSetCache {
  readonly #sets = new Map<string, LabelSet>();

  constructor(
    private readonly labels: Readonly<Record<string, string>>,
    private readonly variable: string,
  ) {}

  get(value: string): LabelSet {
    let set = this.#sets.get(value);
    if (set === undefined) {
      set = labelSet({ ...this.labels, [this.variable]: value });
      this.#sets.set(value, set);
    }
    return set;
  }
}

/** A gauge family with one series. */
export function gauge(descriptor: Descriptor, labels: LabelSet, value: number): GaugeFamily {
  return gaugeOf(descriptor, [{ labels, value }]);
}

/** A gauge family from its points. */
export function gaugeOf(descriptor: Descriptor, points: GaugeFamily['points']): GaugeFamily {
  return withMeta<GaugeFamily>(descriptor, { type: 'gauge', points });
}

/** A counter family with one series, counting since `created` (seconds since the epoch). */
export function counter(
  descriptor: Descriptor,
  labels: LabelSet,
  value: number,
  created: number,
): CounterFamily {
  return withMeta<CounterFamily>(descriptor, { type: 'counter', points: [{ labels, value, created }] });
}

/**
 * A gauge family with one series per distinct value of a variable label, counting how often each
 * value occurs in `items`; series in sorted order, like the metrics' own snapshots.
 */
export function countedGauge(
  descriptor: Descriptor,
  cache: LabelSetCache,
  items: readonly string[],
): GaugeFamily {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const keys = [...counts.keys()].sort();
  return gaugeOf(
    descriptor,
    keys.map((key) => ({ labels: cache.get(key), value: counts.get(key)! })),
  );
}

function withMeta<F extends MetricFamily>(
  descriptor: Descriptor,
  body: Omit<F, 'name' | 'help' | 'unit'>,
): F {
  const family = { name: descriptor.name, help: descriptor.help, ...body } as F;
  return descriptor.unit === undefined ? family : { ...family, unit: descriptor.unit };
}
