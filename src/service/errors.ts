/**
 * Errors of the metrics Service. Like the core errors, each has a literal `name` and an `is*`
 * guard that tests the name, so the guards work across the ESM and CJS copies of the library.
 */
import { describeError, errorGuard, OptionValueError } from '../errors.js';

/** A Service option has a value it cannot use: a TLS or basic-auth setting, for example. */
export class ServiceOptionError extends OptionValueError {
  override readonly name = 'ServiceOptionError' as const;
  constructor(option: string, value: unknown, expected: string) {
    super('Service option', option, value, expected);
  }
}

/** `Service.start()` could not listen, e.g. because the port is taken (`code` is then `EADDRINUSE`). */
export class ServiceListenError extends Error {
  override readonly name = 'ServiceListenError' as const;
  /** The system error code, e.g. `EADDRINUSE` or `EACCES`, when there is one. */
  readonly code: string | undefined;
  constructor(
    readonly host: string,
    readonly port: number,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown } | null)?.code;
    super(`metrics service cannot listen on ${formatHostPort(host, port)}: ${describeError(cause)}`, {
      cause,
    });
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** A Service URL was read before `start()` completed or after `stop()`. */
export class ServiceNotRunningError extends Error {
  override readonly name = 'ServiceNotRunningError' as const;
  constructor(readonly property: string) {
    super(`Service.${property} is only known while the service runs: await service.start() first`);
  }
}

/** `basicAuth` is configured but the optional peer dependency bcryptjs cannot be loaded. */
export class BasicAuthUnavailableError extends Error {
  override readonly name = 'BasicAuthUnavailableError' as const;
  constructor(cause: unknown) {
    super(
      `Service basicAuth checks bcrypt hashes with the optional peer dependency bcryptjs: install it (${describeError(cause)})`,
      { cause },
    );
  }
}

export const isBasicAuthUnavailableError = errorGuard<BasicAuthUnavailableError>('BasicAuthUnavailableError');
export const isServiceOptionError = errorGuard<ServiceOptionError>('ServiceOptionError');
export const isServiceListenError = errorGuard<ServiceListenError>('ServiceListenError');
export const isServiceNotRunningError = errorGuard<ServiceNotRunningError>('ServiceNotRunningError');

/** `host:port`, with IPv6 literals in brackets as URLs need them. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
