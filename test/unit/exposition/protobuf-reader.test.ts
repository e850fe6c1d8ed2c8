import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { ProtobufReader, WireType } from '../../../src/exposition/protobuf-reader.js';

/** protobuf-es' writer is the independent producer: every value it writes must read back. */
describe('ProtobufReader', () => {
  const int64 = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
  const uint64 = fc.bigInt(0n, 2n ** 64n - 1n);

  test('reads every integer flavour the writer produces, rounding 64-bit values as Number() does', () => {
    fc.assert(
      fc.property(
        int64,
        uint64,
        int64,
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.nat({ max: 2 ** 32 - 1 }),
        (i64, u64, s64, i32, s32, u32) => {
          const bytes = new BinaryWriter()
            .int64(i64)
            .uint64(u64)
            .sint64(s64)
            .int32(i32)
            .sint32(s32)
            .uint32(u32)
            .finish();
          const r = new ProtobufReader(bytes);
          assert.equal(r.int64(), Number(i64));
          assert.equal(r.uint64(), Number(u64));
          assert.equal(r.sint64(), Number(s64));
          assert.equal(r.int32(), i32);
          assert.equal(r.sint32(), s32);
          assert.equal(r.uint32(), u32);
          assert.equal(r.pos, r.len);
        },
      ),
    );
  });

  test('reads doubles bit for bit and UTF-8 strings, and skips every wire type', () => {
    fc.assert(
      fc.property(fc.double(), fc.string({ unit: 'grapheme' }), (d, s) => {
        const bytes = new BinaryWriter()
          .tag(1, WireType.Varint)
          .uint64(123456789012345n)
          .tag(2, WireType.Bit64)
          .double(1.5)
          .tag(3, WireType.LengthDelimited)
          .string('skipped')
          .tag(4, WireType.Bit32)
          .fixed32(7)
          .tag(5, WireType.StartGroup)
          .tag(1, WireType.Varint)
          .int32(3)
          .tag(5, WireType.EndGroup)
          .double(d)
          .string(s)
          .finish();
        const r = new ProtobufReader(bytes);
        for (let i = 0; i < 5; i++) {
          const [no, wire] = r.tag();
          assert.equal(no, i + 1);
          r.skip(wire, no);
        }
        assert.ok(Object.is(r.double(), d));
        assert.equal(r.string(), s);
        assert.equal(r.pos, r.len);
      }),
    );
  });

  test('rejects truncated input, overlong varints, field number 0 and invalid UTF-8', () => {
    assert.throws(() => new ProtobufReader(new Uint8Array([0x80])).uint32(), /premature EOF/);
    assert.throws(() => new ProtobufReader(new Uint8Array(11).fill(0xff)).uint64(), /invalid varint/);
    assert.throws(() => new ProtobufReader(new Uint8Array([0x02])).tag(), /illegal tag/);
    assert.throws(() => new ProtobufReader(new Uint8Array([1, 2, 3])).double(), /premature EOF/);
    assert.throws(() => new ProtobufReader(new Uint8Array([5, 0x61])).string(), /premature EOF/);
    assert.throws(() => new ProtobufReader(new Uint8Array([1, 0xff])).string(), TypeError);
    const group = new ProtobufReader(new BinaryWriter().tag(2, WireType.EndGroup).finish());
    assert.throws(() => group.skip(WireType.StartGroup, 1), /group 1 closed by end group 2/);
  });
});
