/**
 * Where the decorators report what went wrong in recording a call. The instrumented call itself
 * is never affected, so these errors need a channel of their own.
 */
import type { InstrumentError } from './errors.js';

/** Options every decorator takes after its metric (and labels). */
export interface InstrumentOptions {
  /**
   * Receives each error that kept a call from being recorded (its labels function threw or
   * returned a bad label set), as an InstrumentError whose `cause` is the original. The call
   * still returns or throws exactly as it would without instrumentation. Default: the first such
   * error of each decorator becomes a process warning (`console.warn` where there is no
   * `process`); later ones are not repeated, so a failing hot path cannot flood the log.
   */
  readonly onError?: (error: InstrumentError) => void;
}

export type ReportError = (error: InstrumentError) => void;

/** The reporter for one decorator: its `onError`, or the once-only warning. */
export function reporter(options: InstrumentOptions): ReportError {
  const { onError } = options;
  const warnOnce = onceWarning();
  if (onError === undefined) return warnOnce;
  return (error) => {
    try {
      onError(error);
    } catch (failure) {
      // An onError that throws must not reach the instrumented call either.
      warnOnce(failure);
    }
  };
}

function onceWarning(): (error: unknown) => void {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    warn(error);
  };
}

/** A process warning on Node, Bun and Deno; `console.warn` on runtimes without `process`. */
function warn(error: unknown): void {
  const host = globalThis as { process?: { emitWarning?: (warning: Error | string) => void } };
  const emitWarning = host.process?.emitWarning;
  if (typeof emitWarning === 'function') {
    emitWarning.call(host.process, error instanceof Error ? error : String(error));
  } else {
    console.warn(error);
  }
}
