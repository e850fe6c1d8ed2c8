/**
 * Instrumentation of functions and methods: `timer`, `inprogress` and `countExceptions`, each a
 * standard decorator, a legacy decorator and a function wrapper in one.
 *
 * @example
 * ```ts
 * import { Gauge, Histogram, inprogress, timer } from 'aioprometheus';
 *
 * const REQUEST_TIME = new Histogram({ name: 'request_seconds', help: 'Time spent handling requests.' });
 * const IN_FLIGHT = new Gauge({ name: 'requests_in_flight', help: 'Requests being handled.' });
 * class Handler {
 *   @timer(REQUEST_TIME)
 *   @inprogress(IN_FLIGHT)
 *   async handle(request: Request): Promise<Response> {
 *     return new Response(`hello ${new URL(request.url).pathname}`);
 *   }
 * }
 * ```
 */
export { countExceptions } from './count-exceptions.js';
export { InstrumentError, isInstrumentError } from './errors.js';
export { inprogress } from './inprogress.js';
export type { CallLabels, Instrument, Unlabelled } from './instrument.js';
export type { InstrumentOptions } from './report.js';
export { type LabelledOnly, timer } from './timer.js';
