/**
 * Defining a metric again, as module code that runs twice does (hot reload; Next.js evaluating
 * one module in the bundles of both its pages and its route handlers, in one process).
 *
 * A definition that matches the registered metric of that name in every setting gets a new
 * object that updates the same series: both see each other's updates and the exposition shows
 * one family. A definition that differs throws a MetricRedefinitionError listing every setting
 * that differs, since two metrics cannot share a name in one exposition.
 *
 * Two bundles each carry their own copy of this package, with their own classes, so what the
 * second object needs is found on the registered metric under a global symbol, with a protocol
 * number: copies that share series in a different shape refuse to instead of corrupting them.
 */
import { MetricRedefinitionError } from '../errors.js';
import type { Registry } from '../registry.js';

/**
 * The shape of SharedDefinition and of the state it carries (the series store, its series and
 * their per-type state). Changes whenever that shape changes incompatibly.
 */
const PROTOCOL = 2;
const KEY = Symbol.for('aioprometheus.metricDefinition');

/**
 * Every setting that decides what a metric records and exposes, by name, resolved (defaults
 * filled in, so leaving out an option equals giving its default). Values are compared
 * structurally; functions by identity.
 */
export type Definition = Readonly<Record<string, unknown>>;

/** The settings every metric has, as Metric holds them once its options are checked. */
interface MetricSettings {
  readonly type: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: readonly string[];
  readonly constLabels: Readonly<Record<string, string>>;
  readonly maxSeries: number;
  readonly ttlSeconds: number;
}

/**
 * The definition of a metric: its common settings, then the per-type `settings`. The `collect`
 * hook counts only as present or absent: a re-run module brings a new closure, which replaces
 * the old one. A `clock` other than `Date.now` must be the same function, as the shared series
 * keep time by the registered one.
 */
export function metricDefinition(
  metric: MetricSettings,
  clock: () => number,
  hook: (() => unknown) | undefined,
  settings: Definition,
): Definition {
  return {
    type: metric.type,
    help: metric.help,
    unit: metric.unit,
    labelNames: metric.labelNames,
    constLabels: Object.fromEntries(Object.entries(metric.constLabels).sort(([a], [b]) => (a < b ? -1 : 1))),
    maxSeries: metric.maxSeries,
    ttlSeconds: metric.ttlSeconds,
    clock: clock === Date.now ? undefined : clock,
    collect: hook === undefined ? undefined : 'given',
    ...settings,
  };
}

/** What a registered metric offers a second definition of itself. */
interface SharedDefinition {
  readonly protocol: number;
  readonly name: string;
  readonly definition: Definition;
  readonly state: unknown;
}

/**
 * Makes `metric`, just registered, findable by later definitions of the same name, which then
 * receive `state`.
 */
export function publishDefinition(
  metric: object,
  name: string,
  definition: Definition,
  state: unknown,
): void {
  const shared: SharedDefinition = { protocol: PROTOCOL, name, definition, state };
  Object.defineProperty(metric, KEY, { value: Object.freeze(shared), enumerable: false });
}

/**
 * The state of the metric registered in `registry` under `name` if its definition equals
 * `definition`; undefined when no metric of that name is registered (or another kind of
 * collector holds the name, which registering then reports). Throws a MetricRedefinitionError
 * naming every difference when the registered definition differs.
 */
export function registeredState(
  registry: Registry | null,
  name: string,
  definition: Definition,
): unknown | undefined {
  const existing = registry?.get(name);
  if (existing === undefined) return undefined;
  const shared = (existing as { readonly [KEY]?: SharedDefinition })[KEY];
  if (shared === undefined || shared.name !== name) return undefined;
  if (shared.protocol !== PROTOCOL) {
    throw new MetricRedefinitionError(name, existing, [
      `it was registered by a copy of aioprometheus that shares series by protocol ${String(shared.protocol)}, and this copy speaks ${PROTOCOL}; load one version of the package`,
    ]);
  }
  const differences = definitionDifferences(shared.definition, definition);
  if (differences.length > 0) throw new MetricRedefinitionError(name, existing, differences);
  return shared.state;
}

/** One line per setting that differs: `help: "Requests." registered, "All requests." now`. */
export function definitionDifferences(registered: Definition, now: Definition): string[] {
  const keys = [...new Set([...Object.keys(registered), ...Object.keys(now)])];
  if (registered.type !== now.type) {
    // The other settings of another type mean something else; the type says it all.
    return [`type: ${show(registered.type)} registered, ${show(now.type)} now`];
  }
  const out: string[] = [];
  for (const key of keys) {
    const a = registered[key];
    const b = now[key];
    if (same(a, b)) continue;
    out.push(
      typeof a === 'function' && typeof b === 'function'
        ? `${key}: another function than the registered one`
        : `${key}: ${show(a)} registered, ${show(b)} now`,
    );
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || (a === 0 && b === 0)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => same(value, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
    );
  }
  return false;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A setting as a message shows it; unlike JSON it keeps Infinity and names what is absent. */
function show(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'function') return `the function ${value.name === '' ? '(anonymous)' : value.name}`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${show(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
