/**
 * Test-only decoders of the remote-write messages, written from the protocol schemas
 * (`prometheus.WriteRequest` for 1.0, `io.prometheus.write.v2.Request` for 2.0) independently of
 * the encoders under test: a generic protobuf field reader, then one function per message. The
 * body is decompressed with `snappyjs`, an independent Snappy implementation.
 */
import assert from 'node:assert/strict';
import { uncompress } from 'snappyjs';

type Field = { wire: 0; value: bigint } | { wire: 1; value: number } | { wire: 2; value: Uint8Array };

/** Every field of a message by number, in order, with packed and unpacked repeats alike. */
function fields(bytes: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      assert.ok(pos < bytes.length, 'truncated varint');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wire = key & 7;
    let field: Field;
    if (wire === 0) field = { wire, value: varint() };
    else if (wire === 1) {
      field = { wire, value: view.getFloat64(pos, true) };
      pos += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      assert.ok(pos + length <= bytes.length, 'truncated length-delimited field');
      field = { wire, value: bytes.subarray(pos, pos + length) };
      pos += length;
    } else {
      assert.fail(`unexpected wire type ${wire} for field ${number}`);
    }
    const list = out.get(number) ?? [];
    list.push(field);
    out.set(number, list);
  }
  return out;
}

const text = new TextDecoder('utf-8', { fatal: true });

function messages(f: Map<number, Field[]>, n: number): Uint8Array[] {
  return (f.get(n) ?? []).map((x) => {
    assert.equal(x.wire, 2, `field ${n} must be length-delimited`);
    return x.value as Uint8Array;
  });
}
function str(f: Map<number, Field[]>, n: number): string {
  const list = messages(f, n);
  return list.length === 0 ? '' : text.decode(list[list.length - 1]);
}
function dbl(f: Map<number, Field[]>, n: number): number {
  const list = f.get(n) ?? [];
  if (list.length === 0) return 0;
  const last = list[list.length - 1]!;
  assert.equal(last.wire, 1, `field ${n} must be a double`);
  return last.value as number;
}
function uvarint(f: Map<number, Field[]>, n: number): bigint | undefined {
  const list = f.get(n) ?? [];
  if (list.length === 0) return undefined;
  const last = list[list.length - 1]!;
  assert.equal(last.wire, 0, `field ${n} must be a varint`);
  return last.value as bigint;
}
function int64(f: Map<number, Field[]>, n: number): number {
  const v = uvarint(f, n) ?? 0n;
  return Number(BigInt.asIntN(64, v));
}
function zigzag(v: bigint): number {
  return Number((v >> 1n) ^ -(v & 1n));
}
/** A repeated varint field, packed or not. */
function varints(f: Map<number, Field[]>, n: number): bigint[] {
  const out: bigint[] = [];
  for (const x of f.get(n) ?? []) {
    if (x.wire === 0) out.push(x.value);
    else if (x.wire === 2) {
      const packed = x.value;
      let pos = 0;
      while (pos < packed.length) {
        let result = 0n;
        let shift = 0n;
        for (;;) {
          const b = packed[pos++]!;
          result |= BigInt(b & 0x7f) << shift;
          if (b < 0x80) break;
          shift += 7n;
        }
        out.push(result);
      }
    } else assert.fail(`field ${n} must be varints`);
  }
  return out;
}

export interface DecodedHistogram {
  count: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  negativeSpans: { offset: number; length: number }[];
  negativeDeltas: number[];
  positiveSpans: { offset: number; length: number }[];
  positiveDeltas: number[];
  resetHint: number;
  timestamp: number;
}

function histogram(bytes: Uint8Array): DecodedHistogram {
  const f = fields(bytes);
  assert.equal(f.has(2), false, 'integer histograms use count_int');
  const spans = (n: number) =>
    messages(f, n).map((b) => {
      const s = fields(b);
      return { offset: zigzag(uvarint(s, 1) ?? 0n), length: Number(uvarint(s, 2) ?? 0n) };
    });
  return {
    count: Number(uvarint(f, 1) ?? 0n),
    sum: dbl(f, 3),
    schema: zigzag(uvarint(f, 4) ?? 0n),
    zeroThreshold: dbl(f, 5),
    zeroCount: Number(uvarint(f, 6) ?? 0n),
    negativeSpans: spans(8),
    negativeDeltas: varints(f, 9).map(zigzag),
    positiveSpans: spans(11),
    positiveDeltas: varints(f, 12).map(zigzag),
    resetHint: Number(uvarint(f, 14) ?? 0n),
    timestamp: int64(f, 15),
  };
}

export interface DecodedSample {
  value: number;
  timestamp: number;
}
export interface DecodedExemplar {
  labels: Record<string, string>;
  value: number;
  timestamp: number;
}
export interface DecodedSeries {
  /** Label pairs in the order sent. */
  labels: [string, string][];
  samples: DecodedSample[];
  exemplars: DecodedExemplar[];
  histograms: DecodedHistogram[];
}

export interface DecodedV1 {
  timeseries: DecodedSeries[];
  metadata: { type: number; name: string; help: string; unit: string }[];
}

function sample(bytes: Uint8Array): DecodedSample {
  const f = fields(bytes);
  return { value: dbl(f, 1), timestamp: int64(f, 2) };
}

/** Decodes an uncompressed `prometheus.WriteRequest`. */
export function decodeV1(bytes: Uint8Array): DecodedV1 {
  const f = fields(bytes);
  assert.equal(f.has(2), false, 'field 2 is reserved');
  const label = (b: Uint8Array): [string, string] => {
    const l = fields(b);
    return [str(l, 1), str(l, 2)];
  };
  return {
    timeseries: messages(f, 1).map((b) => {
      const s = fields(b);
      return {
        labels: messages(s, 1).map(label),
        samples: messages(s, 2).map(sample),
        exemplars: messages(s, 3).map((e) => {
          const x = fields(e);
          return {
            labels: Object.fromEntries(messages(x, 1).map(label)),
            value: dbl(x, 2),
            timestamp: int64(x, 3),
          };
        }),
        histograms: messages(s, 4).map(histogram),
      };
    }),
    metadata: messages(f, 3).map((b) => {
      const m = fields(b);
      return { type: Number(uvarint(m, 1) ?? 0n), name: str(m, 2), help: str(m, 4), unit: str(m, 5) };
    }),
  };
}

export interface DecodedV2Series extends DecodedSeries {
  metadata: { type: number; help: string; unit: string };
  createdTimestamp: number;
}

export interface DecodedV2 {
  symbols: string[];
  timeseries: DecodedV2Series[];
}

/** Decodes an uncompressed `io.prometheus.write.v2.Request`, resolving every reference. */
export function decodeV2(bytes: Uint8Array): DecodedV2 {
  const f = fields(bytes);
  for (const reserved of [1, 2, 3]) assert.equal(f.has(reserved), false, `field ${reserved} is reserved`);
  const symbols = messages(f, 4).map((b) => text.decode(b));
  assert.equal(symbols[0], '', 'the symbol table starts with the empty string');
  assert.equal(new Set(symbols).size, symbols.length, 'symbols are deduplicated');
  const sym = (ref: bigint): string => {
    const s = symbols[Number(ref)];
    assert.ok(s !== undefined, `symbol reference ${ref} out of range`);
    return s;
  };
  const pairs = (refs: bigint[]): [string, string][] => {
    assert.equal(refs.length % 2, 0, 'label references come in pairs');
    const out: [string, string][] = [];
    for (let i = 0; i < refs.length; i += 2) out.push([sym(refs[i]!), sym(refs[i + 1]!)]);
    return out;
  };
  return {
    symbols,
    timeseries: messages(f, 5).map((b) => {
      const s = fields(b);
      const meta = fields(messages(s, 5)[0] ?? new Uint8Array());
      return {
        labels: pairs(varints(s, 1)),
        samples: messages(s, 2).map(sample),
        histograms: messages(s, 3).map(histogram),
        exemplars: messages(s, 4).map((e) => {
          const x = fields(e);
          return {
            labels: Object.fromEntries(pairs(varints(x, 1))),
            value: dbl(x, 2),
            timestamp: int64(x, 3),
          };
        }),
        metadata: {
          type: Number(uvarint(meta, 1) ?? 0n),
          help: sym(uvarint(meta, 3) ?? 0n),
          unit: sym(uvarint(meta, 4) ?? 0n),
        },
        createdTimestamp: int64(s, 6),
      };
    }),
  };
}

/** Snappy block-format decompression by an independent implementation. */
export function decompress(body: Uint8Array): Uint8Array {
  return uncompress(body);
}
