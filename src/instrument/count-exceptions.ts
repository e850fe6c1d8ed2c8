/**
 * `countExceptions`: counts the calls that throw or whose promise rejects (the Python library's
 * `@count_exceptions`).
 *
 * @example
 * ```ts
 * import { Counter, countExceptions } from 'aioprometheus';
 *
 * declare function pull(): Promise<void>;
 * const failures = new Counter({ name: 'sync_failures_total', help: 'Failed syncs.' });
 * const sync = countExceptions(failures)(async () => { await pull(); });
 * ```
 */
import type { Counter } from '../metrics/counter.js';
import {
  type CallLabels,
  checkMetricType,
  type Instrument,
  instrumentArgs,
  makeInstrument,
  type Unlabelled,
} from './instrument.js';
import type { InstrumentOptions } from './report.js';
import type { LabelledOnly } from './timer.js';

/**
 * Increments `counter` once for every call that throws or returns a promise that rejects; the
 * error itself is rethrown unchanged (the returned promise rejects with the same object). Labels
 * are computed when the call starts. When the labels cannot be had (or the label set is bad),
 * the failure is not counted, the caller still gets the call's own result or error, and the
 * problem goes to `onError`.
 *
 * @throws {InstrumentError} when `counter` is not a Counter, when labels are missing or
 *   superfluous, or for a bad option.
 */
export function countExceptions(
  counter: Counter<never> & Unlabelled,
  options?: InstrumentOptions,
): Instrument<[]>;
export function countExceptions<L extends string, A extends unknown[] = []>(
  counter: Counter<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
  options?: InstrumentOptions,
): Instrument<A>;
export function countExceptions(
  counter: Counter<string>,
  labels?: unknown,
  options?: unknown,
): Instrument<[]> {
  checkMetricType('countExceptions', counter, ['counter']);
  const args = instrumentArgs('countExceptions', counter, labels, options);
  const series = counter as unknown as { labels(labels?: unknown): { inc(): void } };
  return makeInstrument('countExceptions', counter, args.options, (callArgs) => {
    const labelSet = args.labels(callArgs);
    return (failed) => {
      if (failed) series.labels(labelSet).inc();
    };
  });
}
