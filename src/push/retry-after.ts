/**
 * The `Retry-After` header of a 429 or 503 answer (RFC 9110 §10.2.3): a number of seconds, or
 * an HTTP-date.
 */

/**
 * The wait the header asks for, in milliseconds from `nowMs` (a date in the past asks for
 * none), or undefined when the header is absent or is neither form; the caller then uses its
 * own backoff.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the day name; Date.parse alone would also take "1.5".
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
