/**
 * URLs as they may appear in error messages. Errors end up in logs, so the parts of a URL that
 * can carry secrets (the userinfo, and the query and fragment, where tokens and signatures
 * travel) are replaced by markers that only say they were there.
 */

/** `url` with its userinfo shown as `***@` and its query and fragment as `?…` and `#…`. */
export function redactUrl(url: URL): string {
  const userinfo = url.username !== '' || url.password !== '' ? '***@' : '';
  const search = url.search === '' ? '' : '?…';
  const hash = url.hash === '' ? '' : '#…';
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${search}${hash}`;
}

/**
 * A URL that did not parse, quoted for a message. Without a parse nobody knows where its
 * userinfo ends, so everything up to the last `@` is dropped (a password may itself contain `/`
 * or `?`), and so is everything from the first `?` or `#` after it.
 */
export function redactUnparsedUrl(raw: string): string {
  const at = raw.lastIndexOf('@');
  let text = raw;
  if (at !== -1) {
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(raw)?.[0] ?? '';
    text = `${scheme}***@${raw.slice(at + 1)}`;
  }
  const query = text.search(/[?#]/);
  if (query !== -1) text = `${text.slice(0, query)}${text[query]}…`;
  return JSON.stringify(text);
}

/** A `Location` header resolved against the request URL, redacted; undefined when absent. */
export function redactLocation(location: string | null | undefined, requestUrl: string): string | undefined {
  if (location === null || location === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return redactUnparsedUrl(location);
  }
  return redactUrl(url);
}

/**
 * `text` (a server's answer) with every occurrence of `secrets` replaced by `***`: an error page
 * that echoes the request would otherwise put the credentials into the error and the logs.
 * Secrets shorter than 4 characters are left alone, as replacing them would mangle the text.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
