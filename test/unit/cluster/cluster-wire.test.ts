/**
 * The cluster wire codec: a property over random snapshots of every type (decode after encode
 * gives the input back exactly, NaN, ±Inf, -0 and UTF-8 names included), and the decoder's
 * errors on corrupt bytes, which name the field and the family where decoding stopped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LabelInterner } from '../../../src/cluster/label-interner.js';
import { decodeSnapshot, encodeSnapshot, WireFormatError } from '../../../src/cluster/wire/index.js';
import { labelSet, type MetricFamily } from '../../../src/index.js';
import { snapshotArbitrary, snapshotSeed } from '../../helpers/random-snapshot.js';

const RUNS = 500;

/** Header words: float count is the third; floats start at byte 24. */
const FLOAT_COUNT = 2;
const HEADER_BYTES = 24;

/** The same snapshot with its last float removed, the header adjusted to match. */
function withoutLastFloat(bytes: Uint8Array): Uint8Array {
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, 6);
  const floats = header[FLOAT_COUNT]!;
  const out = new Uint8Array(bytes.byteLength - 8);
  out.set(bytes.subarray(0, HEADER_BYTES + (floats - 1) * 8));
  out.set(bytes.subarray(HEADER_BYTES + floats * 8), HEADER_BYTES + (floats - 1) * 8);
  new Uint32Array(out.buffer, 0, 6)[FLOAT_COUNT] = floats - 1;
  return out;
}

describe('cluster wire', () => {
  test('decoding an encoded random snapshot gives it back exactly', (t) => {
    const seed = snapshotSeed();
    t.diagnostic(`seed ${seed} (replay with SNAPSHOT_SEED=${seed})`);
    fc.assert(
      fc.property(snapshotArbitrary(), (families) => {
        assert.deepStrictEqual(decodeSnapshot(encodeSnapshot(families)), families);
      }),
      { seed, numRuns: RUNS },
    );
  });

  test('an interning label factory changes only where label sets come from', (t) => {
    const seed = snapshotSeed();
    t.diagnostic(`seed ${seed} (replay with SNAPSHOT_SEED=${seed})`);
    const interner = new LabelInterner();
    fc.assert(
      fc.property(snapshotArbitrary(), (families) => {
        const bytes = encodeSnapshot(families);
        const first = decodeSnapshot(bytes, interner.intern);
        assert.deepStrictEqual(first, families);
        const again = decodeSnapshot(bytes, interner.intern);
        first.forEach((family, f) => {
          family.points.forEach((point, p) => {
            assert.equal(again[f]!.points[p]!.labels, point.labels);
          });
        });
      }),
      { seed, numRuns: RUNS / 5 },
    );
  });

  test('a truncated snapshot is refused naming the field and the family', () => {
    const families: MetricFamily[] = [
      { name: 'jobs_total', help: 'Jobs.', type: 'counter', points: [{ labels: labelSet(), value: 3 }] },
    ];
    const bytes = withoutLastFloat(encodeSnapshot(families));
    assert.throws(
      () => decodeSnapshot(bytes),
      (error: unknown) =>
        error instanceof WireFormatError &&
        error.name === 'WireFormatError' &&
        error.message === 'snapshot truncated: no number left for the value, in metric family "jobs_total"',
    );
  });

  test('a histogram whose bounds are cut short is refused naming the bound count', () => {
    const families: MetricFamily[] = [
      {
        name: 'rpc_seconds',
        help: '',
        type: 'histogram',
        points: [{ labels: labelSet(), upperBounds: [0.1, 1], cumulativeCounts: [1, 2], count: 2, sum: 1 }],
      },
    ];
    const bytes = encodeSnapshot(families);
    // Floats: count, sum, two bounds, two cumulative counts; keep count and sum only.
    let cut = bytes;
    for (let i = 0; i < 4; i++) cut = withoutLastFloat(cut);
    assert.throws(
      () => decodeSnapshot(cut),
      /^WireFormatError: snapshot announces 2 for the bucket bound count but is shorter, in metric family "rpc_seconds"$/,
    );
  });

  test('an unknown type index is refused naming the index and the family', () => {
    const bytes = encodeSnapshot([{ name: 'g', help: '', type: 'gauge', points: [] }]);
    // Varints after the string table lengths (2 strings: "g", ""): family count, name, help, unit, type.
    const typeAt = HEADER_BYTES + 2 + 4;
    assert.equal(bytes[typeAt], 1, 'the gauge type index');
    const forged = bytes.slice();
    forged[typeAt] = 9;
    assert.throws(
      () => decodeSnapshot(forged),
      /^WireFormatError: snapshot has an unknown type 9, in metric family "g"$/,
    );
  });
});
