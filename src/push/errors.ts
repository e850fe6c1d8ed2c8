/**
 * Errors of the Pushgateway client. Each has a literal `name`, and the `is*` guards test that
 * name, so they work when both the ESM and the CJS copy of the library are loaded.
 */
import { describeCause, errorGuard, MetricScopedError } from '../errors.js';

/** The Pusher's options are invalid: an empty job, a bad grouping-key name, a bad URL. */
export class PushConfigError extends Error {
  override readonly name = 'PushConfigError' as const;
}

/**
 * The metrics cannot be pushed as they are: a series carries the `job` label or a grouping-key
 * label (the gateway would overwrite it), or a timestamp (the gateway refuses them).
 * Nothing was sent.
 */
export class PushValidationError extends MetricScopedError {
  override readonly name = 'PushValidationError' as const;
}

/** What a PushError says besides the status and body. */
export interface PushErrorDetails {
  /** The `Location` of a redirect, without credentials or query. */
  readonly location?: string;
  /** More about the failure, e.g. why a retryable answer was not retried. */
  readonly note?: string;
}

/**
 * The gateway answered with a status other than 200 or 202. `body` holds its explanation
 * (for example "pushed metrics are invalid or inconsistent with existing metrics: …"). A 3xx
 * is one of these too: redirects are never followed, because fetch would turn a POST into a
 * GET (the landing page's 200 would look like a successful push) or send the body and headers
 * to another host; `location` then names where the gateway pointed.
 */
export class PushError extends Error {
  override readonly name = 'PushError' as const;
  /** The redirect target of a 3xx (credentials and query removed), when the answer named one. */
  readonly location: string | undefined;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    /** The response body, as text. */
    readonly body: string,
    details: PushErrorDetails = {},
  ) {
    const explanation = isRedirect(status)
      ? `: ${details.location === undefined ? 'a redirect without a Location header' : `a redirect to ${details.location}`}; redirects are not followed, set the Pusher's url to the final address`
      : body.trim() === ''
        ? ''
        : `: ${body.trim()}`;
    const note = details.note === undefined ? '' : `; ${details.note}`;
    super(`${method} ${url} failed with HTTP ${status}${explanation}${note}`);
    this.location = details.location;
  }
}

export function isRedirect(status: number): boolean {
  return status >= 300 && status <= 399;
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
 * A collector failed, or the collection did not finish within the push timeout (`timedOut`),
 * while the registry was collected for a push. Nothing was sent: pushing the other collectors'
 * data would replace good values in the gateway with a partial set. `cause` holds the
 * registry's CollectError, or the TimeoutError.
 */
export class PushCollectError extends Error {
  override readonly name = 'PushCollectError' as const;
  constructor(
    readonly url: string,
    cause: unknown,
    readonly timedOut: boolean = false,
  ) {
    super(`push to ${url} aborted, nothing was sent: ${describeCause(cause)}`, { cause });
  }
}

export const isPushConfigError = errorGuard<PushConfigError>('PushConfigError');
export const isPushValidationError = errorGuard<PushValidationError>('PushValidationError');
export const isPushError = errorGuard<PushError>('PushError');
export const isPushRequestError = errorGuard<PushRequestError>('PushRequestError');
export const isPushCollectError = errorGuard<PushCollectError>('PushCollectError');
