/**
 * `inprogress`: a Gauge of the calls currently running (the Python library's `@inprogress`).
 *
 * @example
 * ```ts
 * import { Gauge, inprogress } from 'aioprometheus';
 *
 * const running = new Gauge({ name: 'jobs_in_progress', help: 'Jobs running now.' });
 * class Worker {
 *   @inprogress(running)
 *   async run(job: { readonly id: string }): Promise<string> {
 *     return job.id;
 *   }
 * }
 * ```
 */
import type { Gauge } from '../metrics/gauge.js';
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
 * Increments `gauge` when a call starts and decrements the same series when it ends, whether it
 * returns, throws or its promise settles either way. Works as a standard or legacy method
 * decorator and as a function wrapper. A call whose labels cannot be had is not counted, behaves
 * as if undecorated, and goes to `onError`.
 *
 * @throws {InstrumentError} when `gauge` is not a Gauge, when labels are missing or superfluous,
 *   or for a bad option.
 */
export function inprogress(gauge: Gauge<never> & Unlabelled, options?: InstrumentOptions): Instrument<[]>;
export function inprogress<L extends string, A extends unknown[] = []>(
  gauge: Gauge<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
  options?: InstrumentOptions,
): Instrument<A>;
export function inprogress(gauge: Gauge<string>, labels?: unknown, options?: unknown): Instrument<[]> {
  checkMetricType('inprogress', gauge, ['gauge']);
  const args = instrumentArgs('inprogress', gauge, labels, options);
  const series = gauge as unknown as { labels(labels?: unknown): { inc(): void; dec(): void } };
  return makeInstrument('inprogress', gauge, args.options, (callArgs) => {
    const child = series.labels(args.labels(callArgs));
    child.inc();
    return () => child.dec();
  });
}
