/**
 * Errors of the remote-write sender. Each has a literal `name`, and the `is*` guards test that
 * name, so they work when both the ESM and the CJS copy of the library are loaded. Messages name
 * the receiver by origin and path only: credentials, query strings and header values never
 * appear in them.
 */
import { describeCause, errorGuard, MetricScopedError } from '../errors.js';

/** The RemoteWriter's options are invalid: a bad URL, a bad header, conflicting auth settings. */
export class RemoteWriteConfigError extends Error {
  override readonly name = 'RemoteWriteConfigError' as const;
}

/**
 * A metric family cannot be sent as it is (for example a name that Remote-Write 1.0 does not
 * allow, or a non-integer native histogram count). Its samples were counted as failed; the
 * other families were sent.
 */
export class RemoteWriteValidationError extends MetricScopedError {
  override readonly name = 'RemoteWriteValidationError' as const;
}

/**
 * The receiver answered with a status that is not success. `retryable` tells whether the
 * writer would try again (5xx and 429); `samples` is how many samples the request carried.
 */
export class RemoteWriteError extends Error {
  override readonly name = 'RemoteWriteError' as const;
  constructor(
    /** The receiver, as origin and path. */
    readonly url: string,
    readonly status: number,
    /** The start of the response body, which receivers use to explain a refusal. */
    readonly body: string,
    readonly samples: number,
    readonly retryable: boolean,
    detail = '',
  ) {
    const text = body.trim();
    super(
      `remote write of ${samples} sample(s) to ${url} failed with HTTP ${status}${detail}${text === '' ? '' : `: ${text}`}`,
    );
  }
}

/** The receiver answered with a redirect, which the writer never follows (it would resend credentials). */
export class RemoteWriteRedirectError extends Error {
  override readonly name = 'RemoteWriteRedirectError' as const;
  constructor(
    readonly url: string,
    readonly status: number,
    /** The Location header, when the runtime lets the writer see it. */
    readonly location: string | undefined,
  ) {
    super(
      `remote write to ${url} was redirected (HTTP ${status}) to ${location === undefined ? 'an unknown location' : JSON.stringify(location)}; redirects are not followed, configure the final URL`,
    );
  }
}

/**
 * No response came: the connection failed, or the timeout ran out (`timedOut`). `cause` holds
 * the underlying error.
 */
export class RemoteWriteRequestError extends Error {
  override readonly name = 'RemoteWriteRequestError' as const;
  constructor(
    readonly url: string,
    readonly timedOut: boolean,
    readonly samples: number,
    cause: unknown,
  ) {
    super(
      `remote write of ${samples} sample(s) to ${url} ${timedOut ? 'timed out' : `failed: ${describeCause(cause)}`}`,
      { cause },
    );
  }
}

/**
 * The queue was full (the receiver was down or too slow for too long), so the oldest samples
 * were dropped to keep memory bounded.
 */
export class RemoteWriteDroppedError extends Error {
  override readonly name = 'RemoteWriteDroppedError' as const;
  constructor(
    readonly url: string,
    readonly samples: number,
    readonly capacity: number,
  ) {
    super(
      `remote write to ${url}: dropped the ${samples} oldest queued sample(s), the queue holds at most ${capacity} (maxQueueSamples)`,
    );
  }
}

export const isRemoteWriteConfigError = errorGuard<RemoteWriteConfigError>('RemoteWriteConfigError');
export const isRemoteWriteValidationError = errorGuard<RemoteWriteValidationError>(
  'RemoteWriteValidationError',
);
export const isRemoteWriteError = errorGuard<RemoteWriteError>('RemoteWriteError');
export const isRemoteWriteRedirectError = errorGuard<RemoteWriteRedirectError>('RemoteWriteRedirectError');
export const isRemoteWriteRequestError = errorGuard<RemoteWriteRequestError>('RemoteWriteRequestError');
export const isRemoteWriteDroppedError = errorGuard<RemoteWriteDroppedError>('RemoteWriteDroppedError');
