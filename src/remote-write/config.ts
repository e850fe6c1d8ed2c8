/**
 * Checks the RemoteWriter's connection options and builds the request headers. The protocol
 * headers are the writer's alone: user headers may not set them, and no header may carry a CR
 * or LF (header injection). Error messages name a bad header, never its value.
 */
import { RemoteWriteConfigError } from './errors.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface Endpoint {
  /** The URL requests go to, without credentials. */
  readonly url: string;
  /** Origin and path: what errors and self-metrics show. */
  readonly displayUrl: string;
  /** Headers every request carries besides the protocol headers. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface EndpointOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly basicAuth?: Credentials | undefined;
  readonly bearerToken?: string | undefined;
}

/** Set by the writer on every request, so users cannot change them. */
const RESERVED = new Set([
  'content-encoding',
  'content-type',
  'x-prometheus-remote-write-version',
  'user-agent',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;

export function resolveEndpoint(options: EndpointOptions): Endpoint {
  let url: URL;
  try {
    url = new URL(String(options.url));
  } catch {
    throw new RemoteWriteConfigError('the remote-write url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteWriteConfigError(`the remote-write url must be http or https (got ${url.protocol})`);
  }
  let urlCredentials: Credentials | undefined;
  if (url.username !== '' || url.password !== '') {
    urlCredentials = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    url.username = '';
    url.password = '';
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name))
      throw new RemoteWriteConfigError(`${JSON.stringify(name)} is not a valid header name`);
    if (RESERVED.has(lower)) {
      throw new RemoteWriteConfigError(
        `the header ${name} is set by the remote-write protocol and cannot be overridden`,
      );
    }
    if (typeof value !== 'string' || FORBIDDEN_IN_VALUE.test(value)) {
      throw new RemoteWriteConfigError(
        `the value of the header ${name} must be a string without CR, LF or NUL`,
      );
    }
    headers[lower] = value;
  }
  const auths = [options.basicAuth, options.bearerToken, urlCredentials, headers.authorization].filter(
    (a) => a !== undefined,
  );
  if (auths.length > 1) {
    throw new RemoteWriteConfigError(
      'give only one of basicAuth, bearerToken, credentials in the url and an Authorization header',
    );
  }
  const basic = options.basicAuth ?? urlCredentials;
  if (basic !== undefined) {
    if (basic.username.includes(':'))
      throw new RemoteWriteConfigError('a basic-auth username cannot contain ":"');
    headers.authorization = `Basic ${base64(`${basic.username}:${basic.password}`)}`;
  } else if (options.bearerToken !== undefined) {
    if (typeof options.bearerToken !== 'string' || FORBIDDEN_IN_VALUE.test(options.bearerToken)) {
      throw new RemoteWriteConfigError('the bearer token must be a string without CR, LF or NUL');
    }
    headers.authorization = `Bearer ${options.bearerToken}`;
  }
  return { url: url.href, displayUrl: `${url.origin}${url.pathname}`, headers };
}

/** Base64 of the UTF-8 bytes, without Node's Buffer (not available on Workers by default). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
