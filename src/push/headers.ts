/**
 * The request headers every push sends: the user's extra headers and the authentication, each
 * checked up front so that a bad value is a PushConfigError from the constructor instead of a
 * TypeError from fetch that quotes the secret.
 */
import { base64 } from './base64.js';
import {
  type BasicCredentials,
  checkBasicCredentials,
  checkHeaderName,
  checkHeaderValue,
} from './credentials.js';
import { PushConfigError } from './errors.js';

export interface HeaderOptions {
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly basicAuth?: BasicCredentials | undefined;
  readonly bearerToken?: string | undefined;
}

/** Content-Type and Content-Encoding belong to the body, which the Pusher encodes, so they are left out. */
const SET_BY_PUSHER = new Set(['content-type', 'content-encoding']);

/**
 * Extra headers whose names say they carry a credential (`X-Api-Key`, `Proxy-Authorization`,
 * `Cookie`, `X-Auth-Token`, …); their values are kept out of errors like the authentication's.
 */
const CREDENTIAL_HEADER = /auth|key|token|secret|passw|cookie|session|signature/i;

export interface RequestHeaders {
  /** The headers, names in lower case. */
  readonly headers: Record<string, string>;
  /**
   * The credentials, in every form a server could echo back in an error page: the basic-auth
   * password, pair and token, the bearer token, and the values of credential headers (whole, and
   * without an auth scheme word such as `Bearer`).
   */
  readonly secrets: readonly string[];
}

export function buildHeaders(
  options: HeaderOptions,
  urlCredentials: BasicCredentials | undefined,
): RequestHeaders {
  const headers = extraHeaders(options.headers);
  const auths = [options.basicAuth, options.bearerToken, urlCredentials, headers.get('authorization')].filter(
    (a) => a !== undefined,
  );
  if (auths.length > 1) {
    throw new PushConfigError(
      'give only one of basicAuth, bearerToken, credentials in the URL and an Authorization header',
    );
  }
  const basic =
    options.basicAuth === undefined ? urlCredentials : checkBasicCredentials(options.basicAuth, 'basicAuth');
  const secrets: string[] = [];
  if (basic !== undefined) {
    const pair = `${basic.username}:${basic.password}`;
    const token = base64(pair);
    headers.set('authorization', `Basic ${token}`);
    secrets.push(token, pair, basic.password);
  } else if (options.bearerToken !== undefined) {
    const token = checkHeaderValue(options.bearerToken, 'bearerToken');
    if (token === '') throw new PushConfigError('bearerToken must not be empty');
    headers.set('authorization', `Bearer ${token}`);
    secrets.push(token);
  }
  for (const [name, value] of headers) {
    if (CREDENTIAL_HEADER.test(name)) secrets.push(value, value.replace(/^\S+\s+/, ''));
  }
  return { headers: Object.fromEntries(headers), secrets };
}

function extraHeaders(given: unknown): Map<string, string> {
  const headers = new Map<string, string>();
  if (given === undefined) return headers;
  const proto: unknown =
    typeof given === 'object' && given !== null ? Object.getPrototypeOf(given) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new PushConfigError('the headers option must be a plain object of header names and string values');
  }
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    checkHeaderName(name);
    const lower = name.toLowerCase();
    if (headers.has(lower)) throw new PushConfigError(`the header ${JSON.stringify(name)} is given twice`);
    const checked = checkHeaderValue(value, `the value of header ${JSON.stringify(name)}`);
    if (!SET_BY_PUSHER.has(lower)) headers.set(lower, checked);
  }
  return headers;
}
