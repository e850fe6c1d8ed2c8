/**
 * The self-metric of the series cap, `aioprometheus_series_overflow_total{metric="..."}`: how many
 * updates for label sets without a series went to a metric's overflow series because the metric
 * had `maxSeries` series. One collector per registry holds the counts of all its capped metrics;
 * it is a plain collector rather than a Counter so that the metric base does not depend on Counter.
 */
import type { CounterFamily, CounterPoint } from '../model/family.js';
import { labelSet } from '../model/family.js';
import type { Collector, Registry } from '../registry.js';

export const OVERFLOW_METRIC_NAME = 'aioprometheus_series_overflow_total';

interface Entry {
  count: number;
  readonly created: number;
  warned: boolean;
}

export class SeriesOverflowCollector implements Collector {
  readonly #entries = new Map<string, Entry>();

  /** Adds a capped metric, so that its count shows as 0 before the first overflow. */
  track(metric: string): void {
    if (!this.#entries.has(metric)) {
      this.#entries.set(metric, { count: 0, created: Date.now() / 1000, warned: false });
    }
  }

  /** Counts one refused label set; warns the first time for each metric. */
  record(metric: string, maxSeries: number): void {
    this.track(metric);
    const entry = this.#entries.get(metric)!;
    entry.count++;
    if (!entry.warned) {
      entry.warned = true;
      warn(
        `metric "${metric}" reached its cap of ${maxSeries} series: updates for new label sets now go to ` +
          `the series whose variable labels are all "__overflow__", counted in ${OVERFLOW_METRIC_NAME}`,
      );
    }
  }

  count(metric: string): number {
    return this.#entries.get(metric)?.count ?? 0;
  }

  describe(): readonly string[] {
    const base = OVERFLOW_METRIC_NAME.slice(0, -'_total'.length);
    return [OVERFLOW_METRIC_NAME, base, `${base}_created`];
  }

  collect(): CounterFamily[] {
    const points: CounterPoint[] = [...this.#entries.keys()].sort().map((metric) => {
      const entry = this.#entries.get(metric)!;
      return { labels: labelSet({ metric }), value: entry.count, created: entry.created };
    });
    return [
      {
        name: OVERFLOW_METRIC_NAME,
        help: 'Updates for new label sets that went to the overflow series because the metric had maxSeries series.',
        type: 'counter',
        points,
      },
    ];
  }
}

const perRegistry = new WeakMap<Registry, SeriesOverflowCollector>();

/**
 * The overflow collector of a registry, registered on first use; a metric registered nowhere gets
 * its own, unregistered one.
 */
export function overflowCollectorFor(registry: Registry | null): SeriesOverflowCollector {
  if (registry === null) return new SeriesOverflowCollector();
  let collector = perRegistry.get(registry);
  // Registered again after a `clear()` or `unregister()` took it out.
  if (collector === undefined || registry.get(OVERFLOW_METRIC_NAME) !== collector) {
    collector ??= new SeriesOverflowCollector();
    registry.register(collector);
    perRegistry.set(registry, collector);
  }
  return collector;
}

/** A process warning where there is a `process` (Node, Bun, Deno), else the console; no module import needed. */
function warn(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } })
    .process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, 'SeriesOverflowWarning');
  else console.warn(message);
}
