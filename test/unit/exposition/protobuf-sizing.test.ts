/**
 * A large protobuf render writes its first rows, reserves room for the rest from them, then
 * writes the rest: the bytes must be those of one pass over every family.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  closeProtobufFamily,
  openProtobufFamily,
  renderProtobuf,
  writeProtobufRows,
} from '../../../src/exposition/protobuf.js';
import { ProtoWriter } from '../../../src/exposition/protobuf-writer.js';
import { Counter, Histogram, type MetricFamily, Registry } from '../../../src/index.js';
import { seriesCount } from '../../../src/model/columns.js';

/** The delimited messages of `families`, each written in one pass with no size estimate. */
function onePass(families: readonly MetricFamily[]): Uint8Array {
  const w = new ProtoWriter();
  for (const family of families) {
    const at = openProtobufFamily(w, family, 'underscores');
    writeProtobufRows(w, family, 'underscores', 0, seriesCount(family));
    closeProtobufFamily(w, family, at);
  }
  return w.detach();
}

async function registry(families: number, series: number): Promise<MetricFamily[]> {
  const r = new Registry();
  for (let f = 0; f < families; f++) {
    const c = new Counter({ name: `c${f}_total`, help: 'C.', labelNames: ['a', 'b'] as const, registry: r });
    for (let i = 0; i < series; i++) c.inc({ a: `v${i % 7}`, b: `path/${i}` }, i);
    const h = new Histogram({ name: `h${f}_seconds`, help: 'H.', labelNames: ['a'] as const, registry: r });
    for (let i = 0; i < series; i++) h.observe({ a: `route_${i}` }, (i % 113) / 10, { trace: `${i}` });
  }
  return r.collect();
}

test('one family larger than the sample is written as in one pass', async () => {
  const families = await registry(1, 5000);
  assert.deepEqual(renderProtobuf(families), onePass(families));
});

test('many small families, the sample ending inside one, are written as in one pass', async () => {
  const families = await registry(9, 100);
  assert.ok(families.reduce((n, f) => n + seriesCount(f), 0) > 1024);
  assert.deepEqual(renderProtobuf(families), onePass(families));
});
