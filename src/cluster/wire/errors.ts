/** Thrown when bytes are not a snapshot of this wire version; the message names what is wrong. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError' as const;
}
