/**
 * Accept-Encoding negotiation (RFC 9110 §12.5.3), reduced to the one choice a metrics endpoint
 * makes: gzip or identity.
 *
 * @example
 * ```ts
 * import { chooseEncoding } from 'aioprometheus/service';
 *
 * chooseEncoding('gzip, deflate, br');   // 'gzip'
 * chooseEncoding('gzip;q=0, identity');  // 'identity'
 * chooseEncoding(undefined);             // 'identity': never compress unasked
 * ```
 */

/** The content codings the metrics handler can answer with. */
export type ContentCoding = 'gzip' | 'identity';

/**
 * Picks the response coding for an Accept-Encoding header. gzip is used only when the header
 * makes it acceptable (listed with q > 0, as `x-gzip`, or through `*`) and weighs it at least as
 * much as identity; everything else, including a missing or empty header, gives identity.
 * When even identity is refused (`identity;q=0` or `*;q=0`), identity is still sent: RFC 9110
 * allows that, and an uncompressed scrape is more useful than a 406.
 */
export function chooseEncoding(header: string | readonly string[] | undefined): ContentCoding {
  if (header === undefined) return 'identity';
  const weights = parseWeights(typeof header === 'string' ? header : header.join(','));
  const star = weights.get('*');
  const gzip = weights.get('gzip') ?? weights.get('x-gzip') ?? star ?? 0;
  // identity is acceptable unless refused explicitly, or by `*;q=0` without its own entry.
  const identity = weights.get('identity') ?? (star === 0 ? 0 : 1);
  return gzip > 0 && gzip >= identity ? 'gzip' : 'identity';
}

/** Maps each listed coding (lower case) to its q-value; a malformed q counts as 0 (refused). */
function parseWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawCoding, ...params] = part.split(';');
    const coding = rawCoding!.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = Number(param.slice(eq + 1).trim());
      q = value >= 0 && value <= 1 ? value : 0;
    }
    // A coding listed twice keeps its first weight, as most servers do.
    if (!weights.has(coding)) weights.set(coding, q);
  }
  return weights;
}
