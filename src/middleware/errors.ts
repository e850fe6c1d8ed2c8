/** The error the HTTP middleware throws for options it cannot use. */
import { errorGuard } from '../errors.js';

/**
 * An option of the HTTP middleware is unknown or misspelt (`prefix` for `metricPrefix`, which a
 * Fastify user would read as a URL prefix). `option` is the key as given.
 */
export class HttpMetricsOptionError extends Error {
  override readonly name = 'HttpMetricsOptionError' as const;
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`HTTP metrics option "${option}": ${message}`);
  }
}

export const isHttpMetricsOptionError = errorGuard<HttpMetricsOptionError>('HttpMetricsOptionError');
