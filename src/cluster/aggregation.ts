/**
 * How the families of several workers combine into one, chosen per metric family.
 */
import type { MetricType } from '../model/family.js';

/**
 * How one family combines across workers.
 *
 * - `sum`: add values series by series (counters, gauges); histograms add bucket-wise,
 *   summaries merge their sketches and add `_sum`/`_count`. The default.
 * - `min`, `max`, `average`: of the workers that have the series (counters, gauges, untyped).
 * - `first`: the series of the worker with the lowest id that has it.
 * - `omit`: leave the family out of the aggregate.
 * - `perWorker`: keep every worker's series apart, with the worker label added.
 */
export type Aggregation = 'sum' | 'min' | 'max' | 'average' | 'first' | 'omit' | 'perWorker';

/**
 * The aggregation per family: a record by family name (counters with `_total`), or a function
 * that returns one (or `undefined` for the default).
 */
export type AggregationChoice =
  | Readonly<Record<string, Aggregation>>
  | ((name: string, type: MetricType) => Aggregation | undefined);

const MODES: ReadonlySet<string> = new Set(['sum', 'min', 'max', 'average', 'first', 'omit', 'perWorker']);

/**
 * The default: process and Node.js runtime families (`process_*`, `nodejs_*`) per worker, since
 * a sum of CPU seconds, heap sizes or start times across processes describes no process; every
 * other family summed.
 */
export function defaultAggregation(name: string): Aggregation {
  return name.startsWith('process_') || name.startsWith('nodejs_') ? 'perWorker' : 'sum';
}

/** Resolves a user's choice into a function; throws a TypeError for a mode that does not exist. */
export function aggregationResolver(
  choice: AggregationChoice | undefined,
): (name: string, type: MetricType) => Aggregation {
  if (choice === undefined) return defaultAggregation;
  if (typeof choice === 'function') {
    return (name, type) => {
      const mode = choice(name, type);
      if (mode === undefined) return defaultAggregation(name);
      return checkMode(name, mode);
    };
  }
  for (const [name, mode] of Object.entries(choice)) checkMode(name, mode);
  return (name) => (Object.hasOwn(choice, name) ? choice[name]! : defaultAggregation(name));
}

function checkMode(name: string, mode: unknown): Aggregation {
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    throw new TypeError(
      `aggregation for "${name}" must be one of ${[...MODES].join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
  return mode as Aggregation;
}
