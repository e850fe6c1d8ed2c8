/**
 * Instrumentation of functions and methods: `timer`, `inprogress` and `countExceptions`, each a
 * standard decorator, a legacy decorator and a function wrapper in one.
 *
 * ```ts
 * class Handler {
 *   @timer(REQUEST_TIME)
 *   @inprogress(IN_FLIGHT)
 *   async handle(req: Req) { ... }
 * }
 * ```
 */
export { countExceptions } from './count-exceptions.js';
export { InstrumentError, isInstrumentError } from './errors.js';
export { inprogress } from './inprogress.js';
export type { CallLabels, Instrument, Unlabelled } from './instrument.js';
export type { InstrumentOptions } from './report.js';
export { type LabelledOnly, timer } from './timer.js';
