/**
 * The label text (`a="x",b="y"`, without braces) of the series of a columnar family, built per
 * row from the columns and never kept: the label names, escaped for the negotiated scheme, and the
 * constant labels are joined once per family into the fixed pieces between the variable values,
 * and a value is escaped only when its column may hold a character that needs it.
 */
import type { SeriesColumns } from '../model/columns.js';
import { type EscapingScheme, exposedLabelName } from '../model/names.js';
import type { ByteSink } from './byte-sink.js';
import { escapeLabelValue, textLabelName } from './escape.js';

/** Writes the label text of the series in one slot into a sink. */
export type RowLabelWriter = (sink: ByteSink, slot: number) => void;

/** A family's label text in pieces: fixed text, then a variable value, and so on, then `last`. */
interface LabelPieces {
  /** The fixed text before each variable value. */
  readonly pieces: readonly string[];
  readonly variable: readonly (readonly string[])[];
  /** For each variable value: whether its column may need escaping. */
  readonly escapes: readonly boolean[];
  /** The fixed text after the last variable value. */
  readonly last: string;
}

function labelPieces(
  columns: SeriesColumns,
  escaping: EscapingScheme,
  head: string,
  tail: string,
): LabelPieces {
  const { labelNames, labelValues, special } = columns;
  const pieces: string[] = [];
  const variable: (readonly string[])[] = [];
  const escapes: boolean[] = [];
  let piece = head;
  for (let k = 0; k < labelNames.length; k++) {
    piece += `${k > 0 ? ',' : ''}${textLabelName(exposedLabelName(labelNames[k]!, escaping))}="`;
    const values = labelValues[k]!;
    if (typeof values === 'string') {
      piece += `${special[k] ? escapeLabelValue(values) : values}"`;
      continue;
    }
    pieces.push(piece);
    variable.push(values);
    escapes.push(special[k]!);
    piece = '"';
  }
  return { pieces, variable, escapes, last: piece + tail };
}

/**
 * The most bytes the label text of a slot can take (three per UTF-16 unit, escaping doubling
 * them), without writing it: room to make before a span that is written again.
 */
export function labelBytesBound(columns: SeriesColumns, escaping: EscapingScheme): (slot: number) => number {
  if (columns.labelNames.length === 0) return () => 0;
  const { pieces, variable, last } = labelPieces(columns, escaping, '', '');
  let fixed = last.length;
  for (const piece of pieces) fixed += piece.length;
  return (slot) => {
    let chars = fixed;
    for (let i = 0; i < variable.length; i++) chars += 2 * variable[i]![slot]!.length;
    return 3 * chars;
  };
}

/**
 * Writes the label text of each slot into a sink, between `head` and `tail` (for a whole
 * sample-line start); with no label at all, just `bare`.
 */
export function rowLabelWriter(
  columns: SeriesColumns,
  escaping: EscapingScheme,
  head = '',
  tail = '',
  bare = '',
): RowLabelWriter {
  if (columns.labelNames.length === 0) return (sink) => sink.push(bare);
  const { pieces, variable, escapes, last } = labelPieces(columns, escaping, head, tail);
  if (!escapes.includes(true)) {
    switch (variable.length) {
      case 0:
        return (sink) => sink.push(last);
      case 1: {
        const [p0] = pieces as [string];
        const [c0] = variable as [readonly string[]];
        return (sink, slot) => {
          sink.push(p0);
          sink.push(c0[slot]!);
          sink.push(last);
        };
      }
      case 2: {
        const [p0, p1] = pieces as [string, string];
        const [c0, c1] = variable as [readonly string[], readonly string[]];
        return (sink, slot) => {
          sink.push(p0);
          sink.push(c0[slot]!);
          sink.push(p1);
          sink.push(c1[slot]!);
          sink.push(last);
        };
      }
    }
  }
  return (sink, slot) => {
    for (let i = 0; i < variable.length; i++) {
      const value = variable[i]![slot]!;
      sink.push(pieces[i]!);
      sink.push(escapes[i] ? escapeLabelValue(value) : value);
    }
    sink.push(last);
  };
}
