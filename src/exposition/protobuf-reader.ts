/**
 * A small protobuf wire reader: the few primitives the exposition decoder needs (varints of
 * every flavour, fixed 64-bit doubles, length-delimited strings, field skipping), reading one
 * `Uint8Array` without copying.
 *
 * 64-bit integers are returned as JavaScript numbers. The decoder turns every one of them into a
 * number anyway (counts, timestamps, deltas), so a BigInt would only be converted back; values
 * beyond 2^53 lose their low bits exactly as `Number(bigint)` would.
 *
 * Every read checks the bounds of the buffer and throws `Error` with a short reason on truncated
 * or malformed input; the decoder wraps it with the byte offset.
 */

/** The wire types of the protobuf encoding, as they appear in the low three bits of a tag. */
export const WireType = {
  Varint: 0,
  Bit64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Bit32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const TWO_POW_32 = 2 ** 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ProtobufReader {
  /** The offset of the next byte to read. */
  pos = 0;
  /** The length of the buffer: reading stops here. */
  readonly len: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  /** The two 32-bit halves of the last 64-bit varint, unsigned. */
  #lo = 0;
  #hi = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.len = bytes.length;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads a tag: the field number and the wire type. Field number 0 is malformed. */
  tag(): [fieldNo: number, wireType: WireType] {
    const tag = this.uint32();
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNo === 0 || wireType > 5)
      throw new Error(`illegal tag: field no ${fieldNo} wire type ${wireType}`);
    return [fieldNo, wireType as WireType];
  }

  /** A varint read as uint32 (longer varints are truncated to their low 32 bits, as protobuf does). */
  uint32(): number {
    this.#varint64();
    return this.#lo;
  }

  int32(): number {
    this.#varint64();
    return this.#lo | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  uint64(): number {
    this.#varint64();
    return this.#hi * TWO_POW_32 + this.#lo;
  }

  int64(): number {
    this.#varint64();
    if ((this.#hi & 0x80000000) === 0) return this.#hi * TWO_POW_32 + this.#lo;
    // Two's complement: negate the 64-bit value half by half so no precision is lost before the sign.
    let lo = (~this.#lo >>> 0) + 1;
    let hi = ~this.#hi >>> 0;
    if (lo === TWO_POW_32) {
      lo = 0;
      hi += 1;
    }
    return -(hi * TWO_POW_32 + lo);
  }

  sint64(): number {
    this.#varint64();
    const negative = (this.#lo & 1) === 1;
    let lo = ((this.#lo >>> 1) | ((this.#hi & 1) << 31)) >>> 0;
    let hi = this.#hi >>> 1;
    if (!negative) return hi * TWO_POW_32 + lo;
    // Zigzag odd n means -(n >>> 1) - 1: add the 1 half by half, then round once.
    lo += 1;
    if (lo === TWO_POW_32) {
      lo = 0;
      hi += 1;
    }
    return -(hi * TWO_POW_32 + lo);
  }

  double(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited UTF-8 string; invalid UTF-8 is an error, never replaced silently. */
  string(): string {
    const length = this.uint32();
    this.#need(length);
    const start = this.pos;
    this.pos += length;
    return utf8.decode(this.#bytes.subarray(start, this.pos));
  }

  /** Skips the value of a field whose tag was just read. */
  skip(wireType: WireType, fieldNo: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.#varint64();
        return;
      case WireType.Bit64:
        this.#need(8);
        this.pos += 8;
        return;
      case WireType.Bit32:
        this.#need(4);
        this.pos += 4;
        return;
      case WireType.LengthDelimited: {
        const length = this.uint32();
        this.#need(length);
        this.pos += length;
        return;
      }
      case WireType.StartGroup:
        for (;;) {
          const [no, wire] = this.tag();
          if (wire === WireType.EndGroup) {
            if (no !== fieldNo) throw new Error(`group ${fieldNo} closed by end group ${no}`);
            return;
          }
          this.skip(wire, no);
        }
      case WireType.EndGroup:
        throw new Error(`unexpected end group ${fieldNo}`);
    }
  }

  #need(bytes: number): void {
    if (this.pos + bytes > this.len) throw new Error('premature EOF');
  }

  /** Reads a varint of up to ten bytes into the two unsigned 32-bit halves. */
  #varint64(): void {
    const bytes = this.#bytes;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.len) throw new Error('premature EOF');
      const b = bytes[this.pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if ((b & 0x80) === 0) {
        this.#lo = lo >>> 0;
        this.#hi = hi >>> 0;
        return;
      }
      shift += 7;
    }
    throw new Error('invalid varint');
  }
}
