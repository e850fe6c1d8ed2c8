/** The error the instrumentation decorators throw when they are misused. */
import { errorGuard } from '../errors.js';

/**
 * An instrumentation decorator or wrapper was misused: a metric of the wrong type (`timer` on a
 * Counter), labels missing for a labelled metric, a bad option, or a decorator placed on
 * something that is not a method or function (thrown when the decorator is made or applied).
 * Also what `onError` receives when one call could not be recorded (its labels function threw
 * or returned a bad label set); `cause` is the original error.
 */
export class InstrumentError extends Error {
  override readonly name = 'InstrumentError' as const;
  constructor(
    /** The decorator: `timer`, `inprogress` or `countExceptions`. */
    readonly decorator: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${decorator}: ${message}`, options);
  }
}

export const isInstrumentError = errorGuard<InstrumentError>('InstrumentError');
