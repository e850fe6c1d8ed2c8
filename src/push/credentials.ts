/**
 * Checks of the authentication and header options. A header value is usually a secret (a token,
 * an API key), so no message here repeats one: they name the option or header and the problem.
 */
import { PushConfigError } from './errors.js';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

// A header field name is an RFC 9110 token.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `where` names the option in messages, e.g. "basicAuth". */
export function checkBasicCredentials(credentials: unknown, where: string): BasicCredentials {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new PushConfigError(`${where} must be an object with a username and a password`);
  }
  const { username, password } = credentials as Partial<Record<'username' | 'password', unknown>>;
  for (const [part, value] of [
    ['username', username],
    ['password', password],
  ] as const) {
    if (typeof value !== 'string') {
      throw new PushConfigError(`${where}: the ${part} must be a string (got ${typeof value})`);
    }
    if (hasControlCharacter(value)) {
      throw new PushConfigError(
        `${where}: the ${part} contains a control character (such as CR or LF), which basic auth does not allow; the value is not shown`,
      );
    }
  }
  if ((username as string).includes(':')) {
    throw new PushConfigError(
      `${where}: the username contains ":", which basic auth uses to separate it from the password; the value is not shown`,
    );
  }
  return { username: username as string, password: password as string };
}

/** Checks one header value as fetch would send it, without silently trimming or failing with the value. */
export function checkHeaderValue(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new PushConfigError(`${where} must be a string (got ${typeof value})`);
  }
  const problem = headerValueProblem(value);
  if (problem !== undefined) {
    throw new PushConfigError(`${where} ${problem}; the value is not shown`);
  }
  return value;
}

export function checkHeaderName(name: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new PushConfigError(`invalid header name ${JSON.stringify(name)}: it must be an HTTP token`);
  }
}

/** A control character in the sense of RFC 5234's CTL; basic-auth credentials may not contain one (RFC 7617). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function headerValueProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x0d || code === 0x0a) return `contains CR or LF at index ${i}`;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return `contains a control character at index ${i}`;
    }
    if (code > 0xff)
      return `contains a character above U+00FF at index ${i}, which HTTP headers cannot carry`;
  }
  if (/^[\t ]|[\t ]$/.test(value)) return 'has leading or trailing whitespace, which fetch would remove';
  return undefined;
}
