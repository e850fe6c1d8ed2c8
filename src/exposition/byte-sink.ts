/**
 * The bytes of a text exposition, written straight into UTF-8 buffers. Building the text as
 * strings costs a string per line and per batch, and a socket wants bytes in the end, which costs
 * one more pass to encode. Most of an exposition is ASCII (names, digits, punctuation, most label
 * values), which is copied one code unit per byte; other text goes through TextEncoder.
 */
import { formatCanonical, formatFloat } from './format-number.js';

/** Bytes per buffer: the endpoint hands out chunks of about this size. */
const CHUNK_BYTES = 64 * 1024;
/** The first buffer of a text-mode sink. */
const TEXT_START_BYTES = 4096;

const NEWLINE = 10;
const DOT = 46;
const ZERO = 48;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Node's and Bun's Buffer, where the runtime has one. */
export interface BufferLike {
  allocUnsafeSlow(size: number): Uint8Array;
  from(
    buffer: ArrayBufferLike,
    offset: number,
    length: number,
  ): { toString(encoding: 'latin1' | 'utf8'): string };
}
const runtimeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/**
 * A buffer for text that is written before it is read. Node's uninitialized buffers are not
 * zeroed first, so a large one costs only the pages written to.
 */
function uninitialized(size: number): Uint8Array {
  return runtimeBuffer === undefined ? new Uint8Array(size) : runtimeBuffer.allocUnsafeSlow(size);
}

/**
 * A sink collects bytes (for a socket: each buffer it fills is handed out as a chunk) or text (see
 * TEXT_PIECE_BYTES).
 */
export class ByteSink {
  #buf: Uint8Array;
  #n = 0;
  /** The text of the buffers filled so far, in text mode. */
  readonly #texts: string[] | undefined;
  /** Buffers filled and left since the last look, in order. */
  #full: Uint8Array[] = [];
  /** The span `again` writes: where it was written, and its bounds there. */
  #span: Uint8Array;
  #spanAt = 0;
  #spanEnd = 0;
  /** Whether every byte in the current buffer is ASCII (so its text is its bytes read as Latin-1). */
  #ascii = true;

  constructor(mode: 'bytes' | 'text') {
    this.#texts = mode === 'text' ? [] : undefined;
    // Text mode starts small (most renders are small) and grows.
    this.#buf = new Uint8Array(mode === 'text' ? TEXT_START_BYTES : CHUNK_BYTES);
    this.#span = this.#buf;
  }

  /** Writes `text` as UTF-8. */
  push(text: string): void {
    const length = text.length;
    if (this.#n + length > this.#buf.length) this.#room(length);
    const buf = this.#buf;
    let n = this.#n;
    for (let i = 0; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) {
        this.#n = n;
        this.#pushUtf8(text.slice(i));
        return;
      }
      buf[n++] = unit;
    }
    this.#n = n;
  }

  /** Makes room for `bytes` more in one buffer, so that a span written next stays in one piece. */
  ensure(bytes: number): void {
    if (this.#n + bytes > this.#buf.length) this.#room(bytes);
  }

  /**
   * Starts the span that `again` writes again. The span must be written within room made by
   * `ensure`, so that it stays in one buffer.
   */
  markStart(): void {
    this.#spanAt = this.#n;
  }

  /** Ends the span that `again` writes again. */
  markEnd(): void {
    this.#span = this.#buf;
    this.#spanEnd = this.#n;
  }

  /** Writes the marked span again: a series' label text, for each line of the series after the first. */
  again(): void {
    if (this.#n + (this.#spanEnd - this.#spanAt) > this.#buf.length) this.#room(this.#spanEnd - this.#spanAt);
    const span = this.#span;
    const buf = this.#buf;
    const to = this.#spanEnd;
    let n = this.#n;
    for (let i = this.#spanAt; i < to; i++) buf[n++] = span[i]!;
    this.#n = n;
  }

  /** Writes one ASCII byte. */
  byte(value: number): void {
    if (this.#n === this.#buf.length) this.#room(1);
    this.#buf[this.#n++] = value;
  }

  /** Ends a line. */
  newline(): void {
    this.byte(NEWLINE);
  }

  /** Writes a sample value as the text format does (`formatFloat`). */
  float(value: number): void {
    // Integers below 1e6 are most values; their digits are written without a string.
    if (value >= 0 && value < 1e6 && Math.floor(value) === value) this.#digits(value);
    else this.push(formatFloat(value));
  }

  /** Writes a value as OpenMetrics does (`formatCanonical`): `5.0`, `0.25`, `1e+06`. */
  canonical(value: number): void {
    if (value >= 0 && value < 1e6 && Math.floor(value) === value) {
      this.#digits(value);
      this.byte(DOT);
      this.byte(ZERO);
    } else {
      this.push(formatCanonical(value));
    }
  }

  /** Writes a safe integer's digits, else `formatFloat`'s text (OpenMetrics counts). */
  count(value: number): void {
    if (value >= 0 && Number.isSafeInteger(value)) this.#digits(value);
    else this.push(formatFloat(value));
  }

  /** Writes a non-negative safe integer in decimal. */
  #digits(value: number): void {
    if (this.#n + 16 > this.#buf.length) this.#room(16);
    const buf = this.#buf;
    let width = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) width++;
    let n = this.#n + width;
    this.#n = n;
    let v = value;
    do {
      const next = Math.floor(v / 10);
      buf[--n] = ZERO + (v - next * 10);
      v = next;
    } while (v > 0);
  }

  #pushUtf8(text: string): void {
    // A UTF-16 code unit takes at most three bytes.
    if (this.#n + text.length * 3 > this.#buf.length) this.#room(text.length * 3);
    this.#ascii = false;
    this.#n += utf8.encodeInto(text, this.#buf.subarray(this.#n)).written;
  }

  /**
   * Leaves the bytes written so far, for a buffer with room for `bytes` more. A buffer is left
   * whole or not at all before a string is written, so every chunk ends on a character boundary.
   */
  #room(bytes: number): void {
    // A text-mode buffer is written over once left: the marked span is kept apart.
    if (this.#span === this.#buf) {
      this.#span = this.#buf.slice(this.#spanAt, this.#spanEnd);
      this.#spanEnd -= this.#spanAt;
      this.#spanAt = 0;
    }
    const texts = this.#texts;
    if (texts === undefined) {
      if (this.#n > 0) this.#full.push(this.#buf.subarray(0, this.#n));
      this.#buf = new Uint8Array(Math.max(CHUNK_BYTES, bytes));
      this.#n = 0;
      return;
    }
    const old = this.#buf;
    if (this.#n + bytes <= TEXT_PIECE_BYTES) {
      // Up to a piece's size the text stays in one buffer, grown fourfold, which copies less than
      // doubling and leaves less unused than one large step.
      let next = Math.min(TEXT_PIECE_BYTES, old.length * 4);
      while (next < this.#n + bytes) next = Math.min(TEXT_PIECE_BYTES, next * 4);
      this.#buf = uninitialized(next);
      this.#buf.set(old.subarray(0, this.#n));
      return;
    }
    texts.push(decode(old.subarray(0, this.#n), this.#ascii));
    this.#ascii = true;
    if (bytes > old.length) this.#buf = new Uint8Array(bytes);
    this.#n = 0;
  }

  /** The buffers filled since the last look, as chunks. */
  takeFull(): Uint8Array[] {
    const chunks = this.#full;
    if (chunks.length > 0) this.#full = [];
    return chunks;
  }

  /** Everything written since the last look, as chunks; the sink goes on empty. */
  take(): Uint8Array[] {
    if (this.#n > 0) this.#room(0);
    return this.takeFull();
  }

  /** Everything written, as a string (text mode). */
  text(): string {
    const texts = this.#texts!;
    if (this.#n > 0) texts.push(decode(this.#buf.subarray(0, this.#n), this.#ascii));
    this.#n = 0;
    return texts.length === 1 ? texts[0]! : texts.join('');
  }
}

/**
 * Text mode keeps up to this many bytes in one buffer, grown as needed, and turns each full
 * buffer into one string piece. Node makes a string of more than a megabyte outside the JS heap,
 * in memory malloc reuses from render to render, where the young generation's collections do not
 * copy it. Measured here: 100,000 counter lines (5 MB) rendered in 23-27 ms with 8 MB pieces, 38-49
 * ms with 4 MB pieces and ~41 ms as 64 KB pieces; 100,000 histograms (75 MB) in 670-740 ms with 8
 * MB pieces, 1.1-1.2 s with 64 KB or 32 MB pieces (the string code took 730-1,030 ms).
 */
const TEXT_PIECE_BYTES = 1 << 23;

/**
 * The text of UTF-8 bytes that end on a character boundary: Node's and Bun's Buffer make it in one
 * copy (ASCII read as Latin-1, its fastest path); other runtimes use TextDecoder.
 */
export function decode(
  bytes: Uint8Array,
  ascii: boolean,
  buffer: BufferLike | undefined = runtimeBuffer,
): string {
  if (buffer !== undefined) {
    return buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(ascii ? 'latin1' : 'utf8');
  }
  return utf8Decoder.decode(bytes);
}
