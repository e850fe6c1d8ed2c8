/**
 * The shared base of Counter, Gauge, Histogram and Summary: options, validation and registration.
 * The series live in a SeriesStore (series-store.ts), by slot; each type keeps its values in columns.
 */
import { LabelError, MetricDefinitionError } from '../errors.js';
import type { MetricFamily, MetricType } from '../model/family.js';
import {
  type LabelArgs,
  type NameValidation,
  validateLabelNames,
  validateMetricName,
} from '../model/labels.js';
import { type BuiltFamily, builtFamily, markValid } from '../model/valid-mark.js';
import { checkOptionKeys, METRIC_OPTION_HINTS } from '../options.js';
import { type Collector, REGISTRY, type Registry } from '../registry.js';
import { type LabelLayout, labelLayout } from './label-layout.js';
import { checkMaxSeries, checkTtlSeconds } from './lifecycle-options.js';
import { type Definition, metricDefinition, publishDefinition, registeredState } from './redefinition.js';
import { overflowCollectorFor, type SeriesOverflowCollector } from './series-overflow.js';
import { type Held, type SeriesLifecycle, SeriesStore, type SlotData, UNBOUNDED } from './series-store.js';
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
  /**
   * The most label sets this labelled metric keeps (default: the registry's `defaultMaxSeries`,
   * else no cap). Past it, updates for a new label set go to one overflow series whose variable
   * labels are all `"__overflow__"` (OVERFLOW_LABEL_VALUE), so totals stay exact; each such update
   * is counted in `aioprometheus_series_overflow_total{metric="<name>"}` and the first one emits a
   * process warning.
   */
  readonly maxSeries?: number;
  /**
   * Seconds without an update after which a series of this labelled metric leaves the exposition
   * and its memory is freed (default: the registry's `defaultTtlSeconds`, else never). Expiry is
   * checked at each collection. A held child that is updated again brings its series back with
   * its full value.
   */
  readonly ttlSeconds?: number;
  /** The clock of `ttlSeconds`, in milliseconds; default `Date.now`. For tests. */
  readonly clock?: () => number;
}

const UNIT = /^[a-zA-Z0-9_]+$/;

/** The constant labels of every metric that has none, shared. */
const NO_CONST_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** The `collect` hook, in a cell that a second definition of the metric fills with its own. */
interface HookCell {
  run: (() => void | Promise<void>) | undefined;
}

/** What a second, identical definition of a registered metric takes over (see redefinition.ts). */
interface SeriesState<S extends Held> {
  readonly store: SeriesStore<S>;
  readonly single: S | undefined;
  readonly hook: HookCell;
  readonly data: SlotData<S>;
}
/** From this many slots on, a collection copies and sorts in slices. */
const LARGE = 65536;

export abstract class Metric<L extends string, S extends Held> implements Collector {
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly L[];
  readonly constLabels: Readonly<Record<string, string>>;
  /** The cap on label sets; Infinity when there is none. */
  readonly maxSeries: number;
  /** Seconds without update before a series expires; Infinity when never. */
  readonly ttlSeconds: number;
  abstract readonly type: MetricType;

  /** Where each label of the exposition (sorted, constant ones included) comes from. */
  protected readonly layout: LabelLayout;
  #hook: HookCell;
  readonly #registry: Registry | null;
  readonly #clock: () => number;
  /** Set by `define`: this definition, and the registered twin whose series it shares, if any. */
  #defined: { readonly definition: Definition; readonly twin: SeriesState<S> | undefined } | undefined;
  /** Counts the refused label sets of a capped labelled metric; set once the metric is registered. */
  #overflow: SeriesOverflowCollector | undefined;
  /** The series; set by `ready`, once the subclass has its storage. */
  protected store!: SeriesStore<S>;
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
    const ownConstLabels = options.constLabels ?? {};
    this.constLabels =
      Object.keys(ownConstLabels).length === 0 ? NO_CONST_LABELS : Object.freeze({ ...ownConstLabels });
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
    this.#hook = { run: options.collect };
    this.layout = labelLayout(this.labelNames, this.constLabels);
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
    const fail = (message: string): never => {
      throw new MetricDefinitionError(this.name, message);
    };
    this.maxSeries =
      checkMaxSeries('maxSeries', options.maxSeries, fail) ??
      this.#registry?.defaultMaxSeries ??
      Number.POSITIVE_INFINITY;
    this.ttlSeconds =
      checkTtlSeconds('ttlSeconds', options.ttlSeconds, fail) ??
      this.#registry?.defaultTtlSeconds ??
      Number.POSITIVE_INFINITY;
    const clock = options.clock ?? Date.now;
    if (typeof clock !== 'function') throw new MetricDefinitionError(this.name, 'clock must be a function');
    this.#clock = clock;
  }

  /**
   * Compares this definition, with the subclass's resolved `settings`, to the registered metric
   * of the same name. When they are equal, returns that metric's storage, whose series this
   * object then shares (`ready` takes over its store); otherwise returns `storage`. Throws a
   * MetricRedefinitionError when the registered definition differs. Subclasses call it once their
   * options are checked, before `ready`.
   */
  protected define<D extends SlotData<S>>(settings: Definition, storage: D): D {
    const definition = metricDefinition(this, this.#clock, this.#hook.run, settings);
    const twin = registeredState(this.#registry, this.name, definition) as SeriesState<S> | undefined;
    this.#defined = { definition, twin };
    return twin === undefined ? storage : (twin.data as D);
  }

  /**
   * Completes construction; subclasses call it last in their constructor, with the storage of
   * their series (what `define` returned). Creates the series of a metric without labels and
   * registers, unless this definition shares a registered twin's series.
   */
  protected ready(data: SlotData<S>): void {
    const defined = this.#defined!;
    this.#defined = undefined;
    const twin = defined.twin;
    if (twin !== undefined) {
      // The latest definition's hook runs: after a hot reload it is the one with the current code.
      twin.hook.run = this.#hook.run;
      this.#hook = twin.hook;
      this.store = twin.store;
      this.single = twin.single;
      this.#data = data;
      return;
    }
    this.store = new SeriesStore<S>(this.name, this.labelNames, this.#seriesLifecycle(), data);
    this.#data = data;
    if (this.labelNames.length === 0) this.single = this.store.unlabelled();
    this.#registry?.register(this);
    if (this.#registry !== null) {
      const state: SeriesState<S> = { store: this.store, single: this.single, hook: this.#hook, data };
      publishDefinition(this, this.name, defined.definition, state);
    }
    if (this.labelNames.length > 0 && this.maxSeries !== Number.POSITIVE_INFINITY) {
      this.#overflow = overflowCollectorFor(this.#registry);
      this.#overflow.track(this.name);
    }
  }

  #data: SlotData<S> | undefined;

  /** The cap and the TTL; a metric without labels has one series, which they leave alone. */
  #seriesLifecycle(): SeriesLifecycle {
    const labelled = this.labelNames.length > 0;
    const capped = labelled && this.maxSeries !== Number.POSITIVE_INFINITY;
    const expiring = labelled && this.ttlSeconds !== Number.POSITIVE_INFINITY;
    if (!capped && !expiring) return UNBOUNDED;
    return {
      maxSeries: capped ? this.maxSeries : Number.POSITIVE_INFINITY,
      ttlMs: expiring ? this.ttlSeconds * 1000 : Number.POSITIVE_INFINITY,
      clock: this.#clock,
      overflowed: () => this.#overflow?.record(this.name, this.maxSeries),
    };
  }

  /** Builds the family snapshot from the series in `rows`, which are slots in exposition order. */
  protected abstract family(rows: Int32Array): MetricFamily;

  /**
   * The bound child for a label set, created on first use and the same object afterwards. Its
   * methods are the fastest way to update a series. Past `maxSeries`, a new label set gets the
   * overflow series.
   */
  protected heldFor(labels: unknown): S {
    if (this.single !== undefined) return this.#singleFor(labels);
    return this.store.handleFor(this.store.lookup(this.#record(labels)));
  }

  /**
   * Takes one series out of the exposition and zeroes it; returns whether it was exposed. The
   * series comes back, from zero, at its next update (also through a held child).
   *
   * @throws {LabelError} for a metric without labels, or labels that do not match its label names.
   */
  remove(...args: LabelArgs<L>): boolean {
    if (this.single !== undefined)
      throw new LabelError(this.name, 'remove() needs labels, and this metric has none');
    return this.store.remove(this.#record(args[0]));
  }

  /**
   * Zeroes a metric without labels. Takes every series of a labelled metric out of the exposition,
   * zeroed; each comes back, from zero, at its next update (also through a held child).
   */
  reset(): void {
    if (this.single === undefined) this.store.reset();
    else this.#data!.zero(this.single.slot);
  }

  /**
   * Every name this metric's samples use in any format, so the registry refuses a metric whose
   * samples would clash with ours (a gauge `x_count` beside a histogram `x`, a gauge `x` beside
   * a counter `x_total`, which OpenMetrics names `x`).
   */
  describe(): readonly string[] {
    return this.#built().sampleNames;
  }

  /**
   * What this metric's families are built as, with the sample names `describe` returns, made
   * once: the registry tells this metric's families by it.
   */
  #builtFamily: BuiltFamily | undefined;

  #built(): BuiltFamily {
    this.#builtFamily ??= builtFamily(this.type, this.name);
    return this.#builtFamily;
  }

  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    const hook = this.#hook.run;
    if (hook !== undefined) {
      const done = hook();
      if (done !== undefined && typeof done.then === 'function') return done.then(() => this.#collected());
    }
    return this.#collected();
  }

  /**
   * The snapshot; for a large metric, after sorting new series and copying the values in slices
   * rather than in one block.
   */
  #collected(): MetricFamily[] | Promise<MetricFamily[]> {
    const sorting = this.store.prepare();
    if (sorting === undefined && this.store.top <= LARGE) return [this.snapshot()];
    return (async () => {
      await sorting;
      this.store.holdFreeSlots(true);
      try {
        await this.prepareCopies();
        return [this.snapshot()];
      } finally {
        this.store.holdFreeSlots(false);
      }
    })();
  }

  /** Copies the columns that change with every update ahead of `family`, in slices (see SnapshotCopies). */
  protected abstract prepareCopies(): Promise<void>;

  /** The current family snapshot, without running the `collect` hook. Expires series past their TTL. */
  snapshot(): MetricFamily {
    return markValid(this.family(this.store.collect()), this.#built());
  }

  /** Finds or creates the slot of the series for `labels`; throws a LabelError when they do not fit. */
  protected slotFor(labels: unknown): number {
    if (this.single !== undefined) return this.#singleFor(labels).slot;
    return this.store.lookup(this.#record(labels));
  }

  /** The slot of the series for `labels` if it is in the exposition; never creates one. */
  protected existing(labels: unknown): number | undefined {
    if (this.single !== undefined) return this.#singleFor(labels).slot;
    return this.store.find(this.#record(labels));
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
}

/** `{}` (no own enumerable key) is the empty label set, which a metric without labels accepts. */
function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
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
  'nameValidation',
  'maxSeries',
  'ttlSeconds',
  'clock',
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
export function withUnit<F extends object>(family: F, unit: string | undefined): F {
  return unit === undefined ? family : { ...family, unit };
}

/** Seconds since the epoch, the unit of `_created`. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}
