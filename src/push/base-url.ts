/**
 * The Pushgateway base URL option: parsed, checked, and with its credentials taken out (fetch
 * refuses URLs that carry them; they become basic auth). No message repeats the credentials.
 */
import { type BasicCredentials, checkBasicCredentials } from './credentials.js';
import { PushConfigError } from './errors.js';
import { redactUnparsedUrl, redactUrl } from './redact.js';

export interface BaseUrl {
  /** The URL without userinfo. */
  readonly url: URL;
  readonly credentials: BasicCredentials | undefined;
}

export function parseBaseUrl(raw: unknown): BaseUrl {
  if (typeof raw !== 'string') {
    throw new PushConfigError(`the Pushgateway URL must be a string (got ${typeof raw})`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PushConfigError(`invalid Pushgateway URL ${redactUnparsedUrl(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // Other schemes need not have an authority: `user:pass@host` parses as scheme `user:`.
    throw new PushConfigError(`the Pushgateway URL must be http or https (got ${redactUnparsedUrl(raw)})`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PushConfigError(
      `the Pushgateway URL must not have a query or fragment (got ${redactUrl(url)})`,
    );
  }
  let credentials: BasicCredentials | undefined;
  if (url.username !== '' || url.password !== '') {
    credentials = {
      username: decodeUserinfo(url, 'username', url.username),
      password: decodeUserinfo(url, 'password', url.password),
    };
    checkBasicCredentials(credentials, `the credentials in the Pushgateway URL ${redactUrl(url)}`);
    url.username = '';
    url.password = '';
  }
  return { url, credentials };
}

function decodeUserinfo(url: URL, part: 'username' | 'password', encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new PushConfigError(
      `the ${part} in the Pushgateway URL ${redactUrl(url)} has a malformed percent-escape (a "%" must be followed by two hex digits; write a literal "%" as %25)`,
    );
  }
}
