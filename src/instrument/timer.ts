/**
 * `timer`: observes how long each call takes, in seconds, into a Histogram or Summary (the
 * Python library's `@timer`).
 *
 * @example
 * ```ts
 * import { Histogram, timer } from 'aioprometheus';
 *
 * interface Order {
 *   readonly id: string;
 * }
 * declare function parseOrder(text: string): Order;
 * const latency = new Histogram({ name: 'handle_seconds', help: 'Handling time.', labelNames: ['kind'] as const });
 * class Handler {
 *   @timer(latency, { kind: 'order' })
 *   async handle(order: Order): Promise<string> {
 *     return order.id;
 *   }
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
  instrumentArgs,
  makeInstrument,
  type Unlabelled,
} from './instrument.js';
import type { InstrumentOptions } from './report.js';

/** Refuses labels for a metric without label names, at compile time. */
export type LabelledOnly<L extends string> = [L] extends [never] ? never : unknown;

/**
 * Times every call of the decorated method or wrapped function and observes the elapsed seconds
 * (monotonic clock) when it returns, throws, or, for a promise, settles. Works as a standard or
 * legacy method decorator and as a function wrapper. A call whose labels cannot be had is not
 * timed, behaves as if undecorated, and goes to `onError`.
 *
 * @throws {InstrumentError} when `metric` is not a Histogram or Summary, when labels are missing
 *   or superfluous, or for a bad option.
 */
export function timer(
  metric: (Histogram<never> | Summary<never>) & Unlabelled,
  options?: InstrumentOptions,
): Instrument<[]>;
export function timer<L extends string, A extends unknown[] = []>(
  metric: Histogram<L> | Summary<L>,
  labels: CallLabels<L, A> & LabelledOnly<L>,
  options?: InstrumentOptions,
): Instrument<A>;
export function timer(
  metric: Histogram<string> | Summary<string>,
  labels?: unknown,
  options?: unknown,
): Instrument<[]> {
  checkMetricType('timer', metric, ['histogram', 'summary']);
  const args = instrumentArgs('timer', metric, labels, options);
  return makeInstrument('timer', metric, args.options, (callArgs) => {
    const end = metric.startTimer(args.labels(callArgs));
    return () => void end();
  });
}
