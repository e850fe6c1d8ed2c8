/**
 * Reads the primitive values of a snapshot's sections in order: varints, float64s and string
 * table references. Every read names the field it is for, so a corrupt snapshot is reported as
 * the field, and the family, where the bytes ran out or went wrong.
 */
import { WireFormatError } from './errors.js';

export class WireCursor {
  #f = 0;
  #i = 0;
  /** The family being read, once its name is known; errors name it. */
  family: string | undefined;

  readonly #floats: Float64Array;
  readonly #ints: Uint8Array;
  readonly #strings: readonly string[];

  constructor(floats: Float64Array, ints: Uint8Array, strings: readonly string[]) {
    this.#floats = floats;
    this.#ints = ints;
    this.#strings = strings;
  }

  /** A WireFormatError whose message ends with the family being read, if any. */
  error(problem: string): WireFormatError {
    const where = this.family === undefined ? '' : `, in metric family "${this.family}"`;
    return new WireFormatError(`snapshot ${problem}${where}`);
  }

  int(field: string): number {
    const ints = this.#ints;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.#i >= ints.length) throw this.error(`truncated: no integer left for the ${field}`);
      const byte = ints[this.#i++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
      if (shift > 28) throw this.error(`has an integer that is too long at the ${field}`);
    }
  }

  float(field: string): number {
    if (this.#f >= this.#floats.length) throw this.error(`truncated: no number left for the ${field}`);
    return this.#floats[this.#f++]!;
  }

  /** `n` numbers in a row, as a plain array. */
  floats(n: number, field: string): number[] {
    if (this.#f + n > this.#floats.length)
      throw this.error(`truncated: ${n} numbers announced for the ${field}, fewer left`);
    const out = Array.from(this.#floats.subarray(this.#f, this.#f + n));
    this.#f += n;
    return out;
  }

  /** A reference into the string table. */
  string(field: string): string {
    const index = this.int(field);
    const s = this.#strings[index];
    if (s === undefined) throw this.error(`refers to a missing string ${index} for the ${field}`);
    return s;
  }

  /**
   * A count of items that follow. Each item takes at least one byte of integers or one number, so
   * a count above what is left is corrupt; checking first keeps a forged count from allocating.
   */
  count(field: string): number {
    const n = this.int(field);
    if (n > this.#ints.length - this.#i + this.#floats.length - this.#f) {
      throw this.error(`announces ${n} for the ${field} but is shorter`);
    }
    return n;
  }

  /** Throws unless every integer and number was read: trailing data means a different layout. */
  finish(): void {
    this.family = undefined;
    if (this.#i !== this.#ints.length || this.#f !== this.#floats.length) {
      throw this.error('has data after its last family');
    }
  }
}
