/**
 * The protobuf exposition against its own reader: for random snapshots of every type, parsing
 * what `renderProtobuf` wrote gives the input back, except for what the protobuf format cannot
 * carry, which `whatProtobufCarries` removes from the expectation (each loss listed there).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderProtobuf } from '../../src/exposition/protobuf.js';
import { parseProtobuf } from '../../src/exposition/protobuf-decode.js';
import type { MetricFamily, SummaryPoint } from '../../src/model/family.js';
import { snapshotArbitrary, snapshotSeed } from '../helpers/random-snapshot.js';

const RUNS = 500;

/**
 * The input as the protobuf format can hold it:
 * - a family without series is not written (as in the text formats);
 * - a summary's sketch state has no protobuf field (only its quantiles, count and sum travel).
 * Everything else travels exactly: UTF-8 names (with the allow-utf-8 escaping), NaN, ±Inf and -0
 * in every double field, non-integer histogram counts (the `_float` fields), exemplars in every
 * bucket including +Inf, created times and timestamps at millisecond precision, native buckets.
 */
function whatProtobufCarries(families: readonly MetricFamily[]): MetricFamily[] {
  return families
    .filter((f) => f.points.length > 0)
    .map((f) => (f.type === 'summary' ? { ...f, points: f.points.map(withoutSketch) } : f));
}

function withoutSketch(point: SummaryPoint): SummaryPoint {
  const { sketch: _dropped, ...rest } = point;
  return rest;
}

test('parsing a rendered random snapshot gives back all that protobuf carries', (t) => {
  const seed = snapshotSeed();
  t.diagnostic(`seed ${seed} (replay with SNAPSHOT_SEED=${seed})`);
  fc.assert(
    fc.property(snapshotArbitrary(), (families) => {
      const bytes = renderProtobuf(families, 'allow-utf-8');
      assert.deepStrictEqual(parseProtobuf(bytes), whatProtobufCarries(families));
    }),
    { seed, numRuns: RUNS },
  );
});
