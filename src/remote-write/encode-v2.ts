/**
 * Encodes a batch of series as a Remote-Write 2.0 `io.prometheus.write.v2.Request`: every
 * string (label names and values, help, unit) is written once in the symbol table and referred
 * to by index; each series carries its metadata and its created (start) timestamp.
 */
import { ProtoWriter } from '../exposition/protobuf-writer.js';
import type { EncodedBatch } from './batch.js';
import { writeHistogram } from './histogram-message.js';
import { METRIC_TYPE, POINT, V2 } from './schema.js';
import type { WriteSeries } from './series.js';

const series = new ProtoWriter();
const symbolsOut = new ProtoWriter();
const utf8 = new TextEncoder();

/** The symbol table of one request; index 0 is the empty string, as the protocol requires. */
class Symbols {
  readonly list: string[] = [''];
  readonly #index = new Map<string, number>([['', 0]]);
  /** Encoded size of the table: a tag, a length and the UTF-8 bytes per entry. */
  bytes = 2;

  ref(s: string): number {
    let i = this.#index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.#index.set(s, i);
      const n = utf8.encode(s).length;
      this.bytes += 1 + varintSize(n) + n;
    }
    return i;
  }

  /** Forgets the symbols added after the table had `count` entries and `bytes` size. */
  truncate(count: number, bytes: number): void {
    for (let i = count; i < this.list.length; i++) this.#index.delete(this.list[i]!);
    this.list.length = count;
    this.bytes = bytes;
  }
}

/** As `encodeV1`: stops before the series that would make the request exceed `maxBytes`. */
export function encodeV2(
  items: readonly WriteSeries[],
  from: number,
  to: number,
  maxBytes: number,
): EncodedBatch {
  series.reset();
  const symbols = new Symbols();
  let i = from;
  let exemplars = 0;
  for (; i < to; i++) {
    const s = items[i]!;
    const mark = series.length;
    const symbolCount = symbols.list.length;
    const symbolBytes = symbols.bytes;
    writeSeries(s, symbols);
    if (i > from && series.length + symbols.bytes > maxBytes) {
      series.drop(series.length - mark);
      symbols.truncate(symbolCount, symbolBytes);
      break;
    }
    exemplars += s.exemplars.length;
  }
  symbolsOut.reset();
  for (const symbol of symbols.list) symbolsOut.uint32(V2.requestSymbol).string(symbol);
  symbolsOut.raw(series.finish());
  return { body: symbolsOut.finish(), taken: i - from, exemplars };
}

function writeSeries(s: WriteSeries, symbols: Symbols): void {
  const at = series.uint32(V2.requestTimeseries).fork();
  writeRefs(V2.seriesLabelRefs, s.labels, symbols);
  if (s.histogram === undefined) {
    const sample = series.uint32(V2.seriesSample).fork();
    series.uint32(POINT.sampleValue).double(s.value);
    series.uint32(POINT.sampleTimestamp).int64(s.timestampMs);
    series.join(sample);
  } else {
    writeHistogram(series, V2.seriesHistogram, s.histogram, s.timestampMs);
  }
  for (const e of s.exemplars) {
    const ex = series.uint32(V2.seriesExemplar).fork();
    writeRefs(V2.exemplarLabelRefs, e.labels, symbols);
    series.uint32(POINT.value).double(e.value);
    series.uint32(POINT.exemplarTimestamp).int64(e.timestampMs);
    series.join(ex);
  }
  const m = s.metadata;
  const meta = series.uint32(V2.seriesMetadata).fork();
  const type = METRIC_TYPE[m.type];
  if (type !== 0) series.uint32(V2.metadataType).uint32(type);
  if (m.help !== '') series.uint32(V2.metadataHelpRef).uint32(symbols.ref(m.help));
  if (m.unit !== '') series.uint32(V2.metadataUnitRef).uint32(symbols.ref(m.unit));
  series.join(meta);
  // Zero means "not set" in this field, so a series created at the epoch itself is sent without it.
  if (s.createdMs !== undefined && s.createdMs !== 0) series.uint32(V2.seriesCreated).int64(s.createdMs);
  series.join(at);
}

/** A packed repeated uint32 field of symbol references. */
function writeRefs(field: number, strings: readonly string[], symbols: Symbols): void {
  if (strings.length === 0) return;
  const at = series.uint32(field).fork();
  for (const s of strings) series.uint32(symbols.ref(s));
  series.join(at);
}

function varintSize(v: number): number {
  let n = 1;
  while (v > 0x7f) {
    v >>>= 7;
    n++;
  }
  return n;
}
