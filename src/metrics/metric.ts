/**
 * The shared base of Counter, Gauge, Histogram and Summary: options, validation, registration,
 * and the series store that maps label sets to bound children.
 *
 * Children are found through one nested Map per label, keyed by the canonical value string, so
 * two different label sets can never share a key (no joined strings, no separators to escape).
 */
import { LabelError, MetricDefinitionError } from '../errors.js';
import type { LabelSet, MetricFamily, MetricType } from '../exposition/model.js';
import {
  compareLabelSets,
  type LabelArgs,
  LabelSetBuilder,
  labelValueString,
  type NameValidation,
  validateLabelNames,
  validateMetricName,
} from '../labels.js';
import { checkOptionKeys, METRIC_OPTION_HINTS } from '../options.js';
import { type Collector, REGISTRY, type Registry } from '../registry.js';
import { markValid } from '../validate-family.js';

/** Options every metric takes. */
export interface MetricOptions<L extends string> {
  /** The metric name, e.g. `http_requests_total`. */
  readonly name: string;
  /** What the metric measures; written as `# HELP`. */
  readonly help: string;
  /** Variable label names; declare them `as const` so calls are checked at compile time. */
  readonly labelNames?: readonly L[];
  /** Labels with fixed values added to every series. */
  readonly constLabels?: Readonly<Record<string, string>>;
  /** The unit (`seconds`, `bytes`); the name must end with `_<unit>`. Written as `# UNIT` in OpenMetrics. */
  readonly unit?: string;
  /**
   * Which metric and label names are accepted: `'utf8'` (default, as Prometheus 3) takes any
   * well-formed string, exposed escaped or quoted as the scraper negotiates; `'legacy'` only the
   * classic character set.
   */
  readonly nameValidation?: NameValidation;
  /** Where to register; defaults to `REGISTRY`, `null` registers nowhere. */
  readonly registry?: Registry | null;
  /** Runs before each collection, e.g. to set a gauge from a value held elsewhere. May be async. */
  readonly collect?: () => void | Promise<void>;
}

/** A series of a metric: the bound child that `labels()` returns. */
export interface SeriesBase {
  readonly labelSet: LabelSet;
}

type Node = Map<string, unknown>;

const UNIT = /^[a-zA-Z0-9_]+$/;

export abstract class Metric<L extends string, S extends SeriesBase> implements Collector {
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly L[];
  readonly constLabels: Readonly<Record<string, string>>;
  abstract readonly type: MetricType;

  readonly #builder: LabelSetBuilder;
  readonly #hook: (() => void | Promise<void>) | undefined;
  readonly #root: Node = new Map();
  #series: S[] = [];
  #sorted = true;
  readonly #registry: Registry | null;
  readonly #lookup: Lookup;
  /** The only series of a metric without labels, created up front so the hot path skips the lookup. */
  protected single: S | undefined;

  protected constructor(options: MetricOptions<L>, reservedLabels: readonly string[], nameForUnit?: string) {
    if (typeof options !== 'object' || options === null) {
      throw new MetricDefinitionError('?', 'options must be an object with at least name and help');
    }
    this.name = validateMetricName(options.name, options.nameValidation);
    if (typeof options.help !== 'string') {
      throw new MetricDefinitionError(this.name, `help must be a string, got ${typeof options.help}`);
    }
    if (!options.help.isWellFormed()) {
      throw new MetricDefinitionError(
        this.name,
        `help ${JSON.stringify(options.help)} contains a lone UTF-16 surrogate, which no exposition can carry`,
      );
    }
    this.help = options.help;
    // A string would spread into one label per character, and a non-plain object into its keys.
    if (options.labelNames !== undefined && !Array.isArray(options.labelNames)) {
      throw new MetricDefinitionError(
        this.name,
        `labelNames must be an array of label names, got ${describe(options.labelNames)}`,
      );
    }
    const constLabels: unknown = options.constLabels;
    if (
      constLabels !== undefined &&
      (typeof constLabels !== 'object' || constLabels === null || Array.isArray(constLabels))
    ) {
      throw new MetricDefinitionError(
        this.name,
        `constLabels must be an object of label names to values, got ${describe(constLabels)}`,
      );
    }
    this.labelNames = Object.freeze([...(options.labelNames ?? [])]);
    this.constLabels = Object.freeze({ ...(options.constLabels ?? {}) });
    validateLabelNames(this.name, this.labelNames, this.constLabels, reservedLabels, options.nameValidation);
    this.unit = options.unit;
    if (this.unit !== undefined) {
      const base = nameForUnit ?? this.name;
      if (!UNIT.test(this.unit) || !base.endsWith(`_${this.unit}`)) {
        throw new MetricDefinitionError(
          this.name,
          `unit ${JSON.stringify(this.unit)} must be [a-zA-Z0-9_]+ and the name must end with "_${this.unit}"`,
        );
      }
    }
    if (options.collect !== undefined && typeof options.collect !== 'function') {
      throw new MetricDefinitionError(this.name, 'collect must be a function');
    }
    this.#hook = options.collect;
    this.#builder = new LabelSetBuilder(this.labelNames, this.constLabels);
    this.#lookup = compileLookup(this.labelNames);
    const registry: unknown = options.registry;
    if (
      registry !== undefined &&
      registry !== null &&
      typeof (registry as Registry).register !== 'function'
    ) {
      throw new MetricDefinitionError(
        this.name,
        `registry must be a Registry or null, got ${describe(registry)}`,
      );
    }
    this.#registry = registry === undefined ? REGISTRY : (registry as Registry | null);
  }

  /**
   * Completes construction; subclasses call it last in their constructor, once the state that
   * `createSeries` needs exists. Creates the series of a metric without labels and registers.
   */
  protected ready(): void {
    if (this.labelNames.length === 0) {
      this.single = this.createSeries(this.#builder.build([]));
      this.#series.push(this.single);
    }
    this.#registry?.register(this);
  }

  /** Creates the child for a new label set. */
  protected abstract createSeries(labels: LabelSet): S;

  /** Builds the family snapshot from the series, in sorted label order. */
  protected abstract family(series: readonly S[]): MetricFamily;

  /**
   * The bound child for a label set, created on first use and the same object afterwards. Its
   * methods are the fastest way to update a series.
   */
  labels(...args: LabelArgs<L>): S {
    return this.seriesFor(args[0]);
  }

  /** Removes one series; returns whether it existed. */
  remove(...args: LabelArgs<L>): boolean {
    const labels = args[0] as Readonly<Record<string, unknown>> | undefined;
    if (this.single !== undefined)
      throw new LabelError(this.name, 'remove() needs labels, and this metric has none');
    const series = this.existing(labels);
    if (series === undefined) return false;
    const path: Node[] = [this.#root];
    for (let i = 0; i < this.labelNames.length - 1; i++) {
      path.push(path[i]!.get(this.#key(labels!, i)) as Node);
    }
    for (let i = this.labelNames.length - 1; i >= 0; i--) {
      const node = path[i]!;
      node.delete(this.#key(labels!, i));
      if (node.size > 0) break;
    }
    this.#series.splice(this.#series.indexOf(series), 1);
    return true;
  }

  /** Drops every series of a labelled metric; returns a metric without labels to zero. */
  reset(): void {
    if (this.single !== undefined) {
      this.resetSeries(this.single);
      return;
    }
    this.#root.clear();
    this.#series = [];
  }

  /** Resets the single series of a metric without labels. */
  protected abstract resetSeries(series: S): void;

  /**
   * Every name this metric's samples use in any format, so the registry refuses a metric whose
   * samples would clash with ours (a gauge `x_count` beside a histogram `x`, a gauge `x` beside
   * a counter `x_total`, which OpenMetrics names `x`).
   */
  describe(): readonly string[] {
    const name = this.name;
    switch (this.type) {
      case 'counter': {
        const base = name.slice(0, -'_total'.length);
        return [name, base, `${base}_created`];
      }
      case 'histogram':
      case 'gaugehistogram':
        return [
          name,
          `${name}_bucket`,
          `${name}_count`,
          `${name}_sum`,
          `${name}_created`,
          `${name}_gcount`,
          `${name}_gsum`,
        ];
      case 'summary':
        return [name, `${name}_count`, `${name}_sum`, `${name}_created`];
      default:
        return [name];
    }
  }

  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    if (this.#hook !== undefined) {
      const done = this.#hook();
      if (done !== undefined && typeof done.then === 'function') return done.then(() => [this.snapshot()]);
    }
    return [this.snapshot()];
  }

  /** The current family snapshot, without running the `collect` hook. */
  snapshot(): MetricFamily {
    if (!this.#sorted) {
      this.#series.sort((a, b) => compareLabelSets(a.labelSet, b.labelSet));
      this.#sorted = true;
    }
    return markValid(this.family(this.#series));
  }

  /** Finds or creates the series for `labels`; throws a LabelError when they do not fit. */
  protected seriesFor(labels: unknown): S {
    if (this.single !== undefined) return this.#singleFor(labels);
    const record = this.#record(labels);
    const found = this.#lookup(this.#root, record) as S | undefined;
    // A miss is a new series, or labels that do not fit: #find and #create validate them fully.
    if (found === undefined) return this.#find(record) ?? this.#create(record);
    let count = 0;
    for (const _ in record) count++;
    if (count !== this.labelNames.length) this.#throwWrongKeys(record);
    return found;
  }

  /** The series for `labels` if it exists; never creates one. */
  protected existing(labels: unknown): S | undefined {
    if (this.single !== undefined) return this.#singleFor(labels);
    return this.#find(this.#record(labels));
  }

  /** Checks the label set and walks the index; undefined when no series has these values. */
  #find(record: Readonly<Record<string, unknown>>): S | undefined {
    this.#checkKeys(record);
    let node: unknown = this.#root;
    for (let i = 0; i < this.labelNames.length && node !== undefined; i++)
      node = (node as Node).get(this.#key(record, i));
    return node as S | undefined;
  }

  /** The single series, if `labels` is absent or the empty label set. */
  #singleFor(labels: unknown): S {
    if (labels !== undefined && !isEmptyObject(labels)) {
      throw new LabelError(this.name, `this metric has no labels, got ${describe(labels)}`);
    }
    return this.single!;
  }

  #record(labels: unknown): Readonly<Record<string, unknown>> {
    if (typeof labels !== 'object' || labels === null) {
      throw new LabelError(
        this.name,
        `labels {${this.labelNames.join(', ')}} are required, got ${describe(labels)}`,
      );
    }
    return labels as Readonly<Record<string, unknown>>;
  }

  #key(record: Readonly<Record<string, unknown>>, i: number): string {
    const name = this.labelNames[i]!;
    return labelValueString(this.name, name, record[name]);
  }

  /** Creates the series of a label set that #find has checked and not found. */
  #create(record: Readonly<Record<string, unknown>>): S {
    const values = this.labelNames.map((_, i) => this.#key(record, i));
    const series = this.createSeries(this.#builder.build(values));
    let node = this.#root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = node.get(values[i]!) as Node | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    node.set(values[values.length - 1]!, series);
    this.#series.push(series);
    this.#sorted = false;
    return series;
  }

  #checkKeys(record: Readonly<Record<string, unknown>>): void {
    let count = 0;
    for (const key in record) {
      if (!this.labelNames.includes(key as L)) this.#throwWrongKeys(record);
      count++;
    }
    if (count !== this.labelNames.length) this.#throwWrongKeys(record);
  }

  #throwWrongKeys(record: Readonly<Record<string, unknown>>): never {
    const given = Object.keys(record);
    const missing = this.labelNames.filter((n) => !given.includes(n));
    const extra = given.filter((n) => !this.labelNames.includes(n as L));
    const parts = [
      missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
      extra.length > 0 ? `unexpected ${extra.map((n) => `"${n}"`).join(', ')}` : '',
    ].filter(Boolean);
    throw new LabelError(
      this.name,
      `wrong label set {${given.join(', ')}}: ${parts.join('; ')}; expected {${this.labelNames.join(', ')}}`,
    );
  }
}

/** Finds the series of a label set of string and number values, or returns undefined. */
type Lookup = (root: Node, labels: Readonly<Record<string, unknown>>) => unknown;

/**
 * Compiles the hot-path lookup for one metric's label names: one named property read and one
 * Map.get per label, unrolled. Named reads of the caller's label objects stay monomorphic in V8,
 * where a loop of `labels[names[i]]` reads is a keyed, megamorphic lookup. Label names may be
 * any UTF-8, so each is embedded as a string literal (a constant key reads like a named one).
 */
function compileLookup(names: readonly string[]): Lookup {
  if (names.length === 0) return () => undefined;
  let body = 'let node = root, v;\n';
  for (const name of names) {
    body += `v = labels[${JSON.stringify(name)}]; if (typeof v !== 'string') { if (typeof v !== 'number') return undefined; v = String(v); }\n`;
    body += 'node = node.get(v); if (node === undefined) return undefined;\n';
  }
  body += 'return node;';
  return new Function('root', 'labels', body) as Lookup;
}

/** `{}` is the empty label set, which a metric without labels accepts. */
function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const _ in value) return false;
  return true;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The options every metric takes; each type adds its own. */
const METRIC_OPTION_KEYS: readonly string[] = [
  'name',
  'help',
  'labelNames',
  'constLabels',
  'unit',
  'registry',
  'collect',
];

/**
 * Throws a MetricDefinitionError naming the metric for an option key that neither every metric
 * nor this `kind` (with its `own` keys) takes, e.g. prom-client's `registers` (meant: `registry`).
 */
export function checkMetricOptions(
  kind: string,
  metric: string,
  options: object,
  own: readonly string[],
): void {
  checkOptionKeys(
    kind,
    options,
    [...METRIC_OPTION_KEYS, ...own],
    METRIC_OPTION_HINTS,
    (message) => new MetricDefinitionError(metric, message),
  );
}

/** Adds `unit` to a family only when it is set (exactOptionalPropertyTypes forbids `unit: undefined`). */
export function withUnit<F extends MetricFamily>(family: F, unit: string | undefined): F {
  return unit === undefined ? family : { ...family, unit };
}

/** Seconds since the epoch, the unit of `_created`. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}
