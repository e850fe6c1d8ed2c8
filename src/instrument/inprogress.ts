/**
 * `inprogress`: a Gauge of the calls currently running (the Python library's `@inprogress`).
 *
 * ```ts
 * const running = new Gauge({ name: 'jobs_in_progress', help: 'Jobs running now.' });
 * class Worker {
 *   @inprogress(running)
 *   async run(job: Job) { ... }
 * }
 * ```
 */
import type { Gauge } from '../metrics/gauge.js';
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
 * Increments `gauge` when a call starts and decrements the same series when it ends, whether it
 * returns, throws or its promise settles either way. Works as a standard or legacy method
 * decorator and as a function wrapper. Throws an InstrumentError when `gauge` is not a Gauge, or
 * when labels are missing or superfluous.
 */
export function inprogress(gauge: Gauge<never> & Unlabelled): Instrument<[]>;
export function inprogress<L extends string, A extends unknown[] = []>(
  gauge: Gauge<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
): Instrument<A>;
export function inprogress(gauge: Gauge<string>, labels?: unknown): Instrument<[]> {
  checkMetricType('inprogress', gauge, ['gauge']);
  const labelsFor = labelResolver('inprogress', gauge, labels);
  const series = gauge as unknown as { labels(labels?: unknown): { inc(): void; dec(): void } };
  return makeInstrument('inprogress', (args) => {
    const child = series.labels(labelsFor(args));
    child.inc();
    return () => child.dec();
  });
}
