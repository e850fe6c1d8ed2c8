/**
 * Encoding in slices. A large exposition encoded in one piece blocks the event loop for as long
 * as it takes (hundreds of milliseconds at 100k series), and every other request waits. Here the
 * families are encoded a few thousand lines at a time with the ordinary encoders, and the
 * generator gives the event loop a turn whenever a slice has taken more than a few milliseconds.
 * The consumer pulls chunks as the socket takes them, so only a slice or two is held at a time.
 */

import type { Format } from '../exposition/negotiate.js';
import { renderOpenMetrics } from '../exposition/openmetrics.js';
import { renderProtobuf } from '../exposition/protobuf.js';
import { renderText } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';

/** Options of `encodeInSlices`. */
export interface SliceOptions {
  readonly createdSamples: boolean;
  /** Stops encoding when aborted: the client has gone. */
  readonly signal?: AbortSignal;
}

/** About this many exposition lines are encoded per encoder call. */
const LINES_PER_PIECE = 4096;
/** Text is handed out in chunks of at least this many characters. */
const CHUNK_CHARS = 64 * 1024;
/** The event loop gets a turn after at most this much encoding time. */
const SLICE_MS = 4;

const OPENMETRICS_EOF = '# EOF\n';

/**
 * Encodes `families` in `format` as a series of byte chunks whose concatenation is exactly what
 * the format's one-piece encoder writes (with `createdSamples` applied). Protobuf is sliced per
 * family, the text formats also within a family. Stops, without error, once `signal` aborts.
 */
export async function* encodeInSlices(
  families: readonly MetricFamily[],
  format: Format,
  options: SliceOptions,
): AsyncGenerator<Uint8Array> {
  const utf8 = new TextEncoder();
  let sliceStart = performance.now();
  let pending = '';
  for (const family of families) {
    if (family.points.length === 0) continue;
    if (format.kind === 'protobuf') {
      yield renderProtobuf([family], format.escaping);
    } else {
      for (const text of textPieces(family, format, options.createdSamples)) {
        pending += text;
        if (pending.length >= CHUNK_CHARS) {
          yield utf8.encode(pending);
          pending = '';
        }
        if (performance.now() - sliceStart >= SLICE_MS) {
          await nextTurn();
          if (options.signal?.aborted) return;
          sliceStart = performance.now();
        }
      }
    }
    if (performance.now() - sliceStart >= SLICE_MS) {
      await nextTurn();
      if (options.signal?.aborted) return;
      sliceStart = performance.now();
    }
  }
  if (format.kind === 'openmetrics') pending += OPENMETRICS_EOF;
  if (pending !== '') yield utf8.encode(pending);
}

/**
 * One family as text, in pieces of about LINES_PER_PIECE lines. Each piece is encoded as a
 * family of its own; later pieces drop the metadata lines the encoder writes first, so the
 * family keeps one `# HELP`/`# TYPE` header.
 */
function* textPieces(family: MetricFamily, format: Format, createdSamples: boolean): Generator<string> {
  const { kind, escaping } = format;
  const pointsPerPiece = Math.max(1, Math.floor(LINES_PER_PIECE / linesPerPoint(family)));
  const count = family.points.length;
  for (let start = 0; start < count; start += pointsPerPiece) {
    const piece =
      start === 0 && count <= pointsPerPiece ? family : withPoints(family, start, start + pointsPerPiece);
    let text =
      kind === 'text'
        ? renderText([piece], escaping)
        : renderOpenMetrics([piece], { createdSamples, escaping });
    if (kind === 'openmetrics') text = text.slice(0, -OPENMETRICS_EOF.length);
    yield start === 0 ? text : withoutMetadata(text);
  }
}

function withPoints(family: MetricFamily, start: number, end: number): MetricFamily {
  return { ...family, points: family.points.slice(start, end) } as MetricFamily;
}

/** Sample lines never start with `#`; the encoders write metadata only before the first sample. */
function withoutMetadata(text: string): string {
  let at = 0;
  while (text.startsWith('#', at)) {
    const end = text.indexOf('\n', at);
    if (end < 0) return '';
    at = end + 1;
  }
  return text.slice(at);
}

function linesPerPoint(family: MetricFamily): number {
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

/**
 * Resolves on a later turn of the event loop, after pending I/O: setImmediate where the runtime
 * has it (Node, Bun, Deno), else a zero timeout.
 */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === 'function') immediate(resolve);
    else setTimeout(resolve, 0);
  });
}
