/**
 * `timer`: observes how long each call takes, in seconds, into a Histogram or Summary (the
 * Python library's `@timer`).
 *
 * ```ts
 * const latency = new Histogram({ name: 'handle_seconds', help: 'Handling time.', labelNames: ['kind'] as const });
 * class Handler {
 *   @timer(latency, { kind: 'order' })
 *   async handle(order: Order) { ... }
 * }
 * const parse = timer(latency, (text: string) => ({ kind: text.length > 1e6 ? 'big' : 'small' }))(parseOrder);
 * ```
 */
import type { Histogram } from '../metrics/histogram.js';
import type { Summary } from '../metrics/summary.js';
import {
  type CallLabels,
  checkMetricType,
  type Instrument,
  labelResolver,
  makeInstrument,
  type Unlabelled,
} from './instrument.js';

/** Refuses labels for a metric without label names, at compile time. */
export type LabelledOnly<L extends string> = [L] extends [never] ? never : unknown;

/**
 * Times every call of the decorated method or wrapped function and observes the elapsed seconds
 * (monotonic clock) when it returns, throws, or, for a promise, settles. Works as a standard or
 * legacy method decorator and as a function wrapper. Throws an InstrumentError when `metric` is
 * not a Histogram or Summary, or when labels are missing or superfluous.
 */
export function timer(metric: (Histogram<never> | Summary<never>) & Unlabelled): Instrument<[]>;
export function timer<L extends string, A extends unknown[] = []>(
  metric: Histogram<L> | Summary<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
): Instrument<A>;
export function timer(metric: Histogram<string> | Summary<string>, labels?: unknown): Instrument<[]> {
  checkMetricType('timer', metric, ['histogram', 'summary']);
  const labelsFor = labelResolver('timer', metric, labels);
  return makeInstrument('timer', (args) => {
    const end = metric.startTimer(labelsFor(args));
    return () => void end();
  });
}
