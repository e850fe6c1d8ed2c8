/**
 * A small protobuf wire writer for the exposition encoder. It replaced `@bufbuild/protobuf`'s
 * BinaryWriter after a benchmark showed a clear gap. CPU time per render of the bench registries,
 * one run, best of 9 rounds (2-core machine under load, so read the ratios, not the times):
 *
 * | registry                        | BinaryWriter | this writer | text 0.0.4 string |
 * |---------------------------------|-------------:|------------:|------------------:|
 * | 10,000 counters (2 labels)      |      2.8 ms  |     1.7 ms  |            1.3 ms |
 * | 1,000 histograms (11 buckets)   |      1.2 ms  |     0.74 ms |            1.9 ms |
 *
 * (The counter row also gains from protobuf.ts' per-series metric prefix cache, which the
 * BinaryWriter version did not have; the histogram row is the same encoder code.) The gains
 * come from length prefixes whose position the caller keeps (no fork stack), no per-call range
 * assertions, number-only varints (BinaryWriter's 64-bit writes go through BigInt), and handing
 * the output buffer over instead of copying it.
 */

const UINT32_LIMIT = 2 ** 32;
const INITIAL_SIZE = 256;
/** Byte arrays up to this long are copied by a loop in `raw`. */
const SHORT_RAW = 32;
const encoder = new TextEncoder();

/** Encodes into a growing buffer; `finish()` returns a copy of what was written and starts over. */
export class ProtoWriter {
  private buf = new Uint8Array(INITIAL_SIZE);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  /** How many bytes have been written since the last `finish`, `detach` or `reset`. */
  get length(): number {
    return this.pos;
  }

  /** A compact copy of the bytes written; the writer is empty again and keeps its buffer. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  /**
   * The bytes written, as a view of the writer's buffer, which the writer hands over without
   * copying; the writer starts again from a small buffer, so it keeps nothing of the output.
   */
  detach(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(INITIAL_SIZE);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
    return out;
  }

  /**
   * Makes room for `n` more bytes in one step. A writer that grows by doubling has touched twice
   * its final size in fresh memory by the end, and the first touch of a page costs more than
   * writing into it (tens of microseconds a page where the system is slow at it), so a caller that
   * can tell how much is coming says so.
   */
  reserve(n: number): void {
    const needed = this.pos + n;
    if (needed > this.buf.length) this.resize(needed);
  }

  /** Takes back the last `n` bytes written (after `join` has counted them in a length). */
  drop(n: number): void {
    this.pos -= n;
  }

  /** Drops everything written. */
  reset(): void {
    this.pos = 0;
  }

  /**
   * Opens a length-delimited value (a message or a delimited stream entry). Returns where it
   * starts; pass that to `join`. One byte is reserved for the length, which fits messages
   * under 128 bytes; longer ones are moved up by `join`.
   */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the value opened at `start`. */
  join(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    const size = varintSize(length);
    this.ensure(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += size - 1;
    let p = start;
    let v = length;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }

  /** A varint from a non-negative integer below 2^32 (tags, lengths, enum values, small counts). */
  uint32(v: number): this {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
    return this;
  }

  /** A uint64 varint from a non-negative integer-valued number below 2^64. */
  uint64(v: number): this {
    if (v < UINT32_LIMIT) return this.uint32(v);
    const hi = Math.floor(v / UINT32_LIMIT);
    return this.varint64(v - hi * UINT32_LIMIT, hi);
  }

  /** An int64 varint (two's complement, so negatives take 10 bytes) from an integer-valued number. */
  int64(v: number): this {
    if (v >= 0) return this.uint64(v);
    const hi = Math.floor(v / UINT32_LIMIT);
    return this.varint64(v - hi * UINT32_LIMIT, hi >>> 0);
  }

  /** A zigzag varint (sint32 or sint64 alike) from an integer-valued number. */
  sint64(v: number): this {
    if (v >= 0) return this.uint64(v * 2);
    // -2v - 1, computed on the halves so it stays exact above 2^53.
    const u = -v * 2;
    let hi = Math.floor(u / UINT32_LIMIT);
    let lo = u - hi * UINT32_LIMIT;
    if (lo === 0) {
      hi -= 1;
      lo = UINT32_LIMIT - 1;
    } else {
      lo -= 1;
    }
    return this.varint64(lo, hi);
  }

  /** A little-endian IEEE 754 double (NaN, ±Inf and -0 keep their bits). */
  double(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** Raw bytes, with no length prefix. */
  raw(bytes: Uint8Array): this {
    const n = bytes.length;
    this.ensure(n);
    if (n > SHORT_RAW) {
      this.buf.set(bytes, this.pos);
      this.pos += n;
      return this;
    }
    // A few bytes (a label name's pieces, a timestamp) are copied faster one by one than by a call.
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = bytes[i]!;
    this.pos = pos;
    return this;
  }

  /**
   * A length-prefixed UTF-8 string. Short ASCII strings (names, most label values) are copied
   * byte by byte, which saves the encoder's allocation of a temporary array per string.
   */
  string(s: string): this {
    const n = s.length;
    if (n < 0x80) {
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
        i++;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return this;
      }
    }
    const bytes = encoder.encode(s);
    return this.uint32(bytes.length).raw(bytes);
  }

  private varint64(lo: number, hi: number): this {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    // 7 bits at a time across the two 32-bit halves.
    while (hi > 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
    return this;
  }

  private ensure(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    this.resize(size);
  }

  private resize(size: number): void {
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Bytes a varint takes for a non-negative integer below 2^35. */
function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}
