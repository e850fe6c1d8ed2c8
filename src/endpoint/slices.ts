/**
 * Encoding in slices. A large exposition encoded in one piece blocks the event loop for as long
 * as it takes (hundreds of milliseconds at 100k series), and every other request waits. Here the
 * families are encoded a few thousand lines at a time, by row ranges of the ordinary encoders,
 * and the generator gives the event loop a turn whenever a slice has taken more than a few
 * milliseconds.
 * The consumer pulls chunks as the socket takes them, so only a slice or two is held at a time.
 */

import { ByteSink } from '../exposition/byte-sink.js';
import type { Format } from '../exposition/negotiate.js';
import { writeOpenMetricsHeader, writeOpenMetricsRows } from '../exposition/openmetrics.js';
import {
  closeProtobufFamily,
  openProtobufFamily,
  reserveRest,
  writeProtobufRows,
} from '../exposition/protobuf.js';
import { ProtoWriter } from '../exposition/protobuf-writer.js';
import { writeTextHeader, writeTextRows } from '../exposition/text.js';
import { columnsOf, seriesCount } from '../model/columns.js';
import type { MetricFamily } from '../model/family.js';
import { nextTurn } from '../model/next-turn.js';

/** Options of `encodeInSlices`. */
export interface SliceOptions {
  readonly createdSamples: boolean;
  /** Stops encoding when aborted: the client has gone. */
  readonly signal?: AbortSignal;
}

/** About this many exposition lines are encoded between two looks at the clock. */
const LINES_PER_PIECE = 2048;
/** The event loop gets a turn after at most this much encoding time. */
const SLICE_MS = 4;

const OPENMETRICS_EOF = '# EOF\n';

/**
 * Encodes `families` in `format` as a series of byte chunks whose concatenation is exactly what
 * the format's one-piece encoder writes (with `createdSamples` applied). Every format is sliced by
 * rows, also within a family; a protobuf family is handed out whole, since its length comes first.
 * Stops, without error, once `signal` aborts.
 */
export async function* encodeInSlices(
  families: readonly MetricFamily[],
  format: Format,
  options: SliceOptions,
): AsyncGenerator<Uint8Array> {
  const { escaping } = format;
  const openMetrics = { escaping, createdSamples: options.createdSamples };
  let sliceStart = performance.now();
  /** Gives the event loop a turn when the slice has taken long enough; false once aborted. */
  const pause = async (): Promise<boolean> => {
    if (performance.now() - sliceStart < SLICE_MS) return true;
    await nextTurn();
    sliceStart = performance.now();
    return options.signal?.aborted !== true;
  };
  // Text goes out in the sink's buffers, each handed out once full.
  const sink = new ByteSink('bytes');
  for (const family of families) {
    const count = seriesCount(family);
    if (count === 0) continue;
    const step = Math.max(1, Math.floor(LINES_PER_PIECE / linesPerSeries(family)));
    if (format.kind === 'protobuf') {
      const w = new ProtoWriter();
      const at = openProtobufFamily(w, family, escaping);
      for (let from = 0; from < count; from += step) {
        const to = Math.min(count, from + step);
        writeProtobufRows(w, family, escaping, from, to);
        // The rest of a large family gets its room at once, estimated from the first rows, as
        // renderProtobuf does: doubling would touch twice the family's size in fresh memory.
        if (from === 0 && to < count) reserveRest(w, to, count - to);
        if (!(await pause())) return;
      }
      closeProtobufFamily(w, family, at);
      yield w.detach();
      continue;
    }
    if (format.kind === 'text') writeTextHeader(sink, family, escaping);
    else writeOpenMetricsHeader(sink, family, openMetrics);
    for (let from = 0; from < count; from += step) {
      const to = Math.min(count, from + step);
      if (format.kind === 'text') writeTextRows(sink, family, escaping, from, to);
      else writeOpenMetricsRows(sink, family, openMetrics, from, to);
      yield* sink.takeFull();
      if (!(await pause())) return;
    }
  }
  if (format.kind === 'openmetrics') sink.push(OPENMETRICS_EOF);
  yield* sink.take();
}

/** About how many lines one series takes, from its first point (or its bucket count). */
function linesPerSeries(family: MetricFamily): number {
  const columns = columnsOf(family);
  if (columns?.histogram !== undefined) return columns.histogram.upperBounds.length + 4;
  if (columns !== undefined) return 2;
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      return (family.points[0]?.upperBounds.length ?? 0) + 4;
    case 'summary':
      return (family.points[0]?.quantiles.length ?? 0) + 3;
    default:
      return 2;
  }
}
