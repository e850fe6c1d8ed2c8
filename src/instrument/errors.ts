/** The error the instrumentation decorators throw when they are misused. */
import { hasErrorName } from '../errors.js';

/**
 * An instrumentation decorator or wrapper was misused: a metric of the wrong type (`timer` on a
 * Counter), labels missing for a labelled metric, or a decorator placed on something that is not
 * a method or function.
 */
export class InstrumentError extends Error {
  override readonly name = 'InstrumentError' as const;
  constructor(
    /** The decorator: `timer`, `inprogress` or `countExceptions`. */
    readonly decorator: string,
    message: string,
  ) {
    super(`${decorator}: ${message}`);
  }
}

export const isInstrumentError = (e: unknown): e is InstrumentError => hasErrorName(e, 'InstrumentError');
