/**
 * `countExceptions`: counts the calls that throw or whose promise rejects (the Python library's
 * `@count_exceptions`).
 *
 * ```ts
 * const failures = new Counter({ name: 'sync_failures_total', help: 'Failed syncs.' });
 * const sync = countExceptions(failures)(async () => { await pull(); });
 * ```
 */
import type { Counter } from '../metrics/counter.js';
import {
  type CallLabels,
  checkMetricType,
  type Instrument,
  labelResolver,
  makeInstrument,
  type Unlabelled,
} from './instrument.js';
import type { LabelledOnly } from './timer.js';

/**
 * Increments `counter` once for every call that throws or returns a promise that rejects; the
 * error itself is rethrown unchanged (the returned promise rejects with the same object). Labels
 * are computed when the call starts. Throws an InstrumentError when `counter` is not a Counter,
 * or when labels are missing or superfluous.
 */
export function countExceptions(counter: Counter<never> & Unlabelled): Instrument<[]>;
export function countExceptions<L extends string, A extends unknown[] = []>(
  counter: Counter<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
): Instrument<A>;
export function countExceptions(counter: Counter<string>, labels?: unknown): Instrument<[]> {
  checkMetricType('countExceptions', counter, ['counter']);
  const labelsFor = labelResolver('countExceptions', counter, labels);
  const series = counter as unknown as { labels(labels?: unknown): { inc(): void } };
  return makeInstrument('countExceptions', (args) => {
    const labelSet = labelsFor(args);
    return (failed) => {
      if (failed) series.labels(labelSet).inc();
    };
  });
}
