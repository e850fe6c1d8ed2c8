/**
 * Errors of the Pushgateway client. Each has a literal `name`, and the `is*` guards test that
 * name, so they work when both the ESM and the CJS copy of the library are loaded.
 */
import { hasErrorName } from '../errors.js';

/** The Pusher's options are invalid: an empty job, a bad grouping-key name, a bad URL. */
export class PushConfigError extends Error {
  override readonly name = 'PushConfigError' as const;
}

/**
 * The metrics cannot be pushed as they are: a series carries the `job` label or a grouping-key
 * label (the gateway would overwrite it), or a timestamp (the gateway refuses them).
 * Nothing was sent.
 */
export class PushValidationError extends Error {
  override readonly name = 'PushValidationError' as const;
  constructor(
    /** The metric family that was refused. */
    readonly metric: string,
    message: string,
  ) {
    super(`metric "${metric}": ${message}`);
  }
}

/**
 * The gateway answered with a status other than 200 or 202. `body` holds its explanation
 * (for example "pushed metrics are invalid or inconsistent with existing metrics: …").
 */
export class PushError extends Error {
  override readonly name = 'PushError' as const;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    /** The response body, as text. */
    readonly body: string,
  ) {
    super(`${method} ${url} failed with HTTP ${status}${body.trim() === '' ? '' : `: ${body.trim()}`}`);
  }
}

/**
 * The request did not get a response: the connection failed, or the timeout ran out
 * (`timedOut`). `cause` holds the underlying error.
 */
export class PushRequestError extends Error {
  override readonly name = 'PushRequestError' as const;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(`${method} ${url} ${timedOut ? 'timed out' : `failed: ${describeCause(cause)}`}`, { cause });
  }
}

/**
 * A collector failed while the registry was collected for a push. Nothing was sent: pushing
 * the other collectors' data would replace good values in the gateway with a partial set.
 * `cause` holds the registry's CollectError.
 */
export class PushCollectError extends Error {
  override readonly name = 'PushCollectError' as const;
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`push to ${url} aborted, nothing was sent: ${describeCause(cause)}`, { cause });
  }
}

/** The message of an error and of the error that caused it (Node's fetch hides ECONNREFUSED there). */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

export const isPushConfigError = (e: unknown): e is PushConfigError => hasErrorName(e, 'PushConfigError');
export const isPushValidationError = (e: unknown): e is PushValidationError =>
  hasErrorName(e, 'PushValidationError');
export const isPushError = (e: unknown): e is PushError => hasErrorName(e, 'PushError');
export const isPushRequestError = (e: unknown): e is PushRequestError => hasErrorName(e, 'PushRequestError');
export const isPushCollectError = (e: unknown): e is PushCollectError => hasErrorName(e, 'PushCollectError');
