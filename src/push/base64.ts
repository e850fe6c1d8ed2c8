/**
 * Base64 of UTF-8 text with the Web globals (TextEncoder, btoa) that Node, Bun, Deno and
 * Workers all have, so the Pusher needs no Node `Buffer`.
 */

/** RFC 4648 §4 base64, padded: the form basic auth uses. */
export function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** RFC 4648 §5 URL-safe base64 without padding: the form the Pushgateway reads from a path. */
export function base64url(text: string): string {
  return base64(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
