/**
 * The byte sink the text encoders write into: its bytes are the UTF-8 of what was pushed, across
 * buffer boundaries and with non-ASCII text, and its numbers are the formatters' texts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteSink, decode } from '../../../src/exposition/byte-sink.js';
import { formatCanonical, formatCount, formatFloat } from '../../../src/exposition/format-number.js';

const PIECES = ['a', 'family_total{a="', 'é', '€', '😀', 'x'.repeat(70_000), '', '"} ', 'ü'.repeat(30_000)];

/** Pushes a deterministic mix of pieces; returns the string they make. */
function fill(sink: ByteSink, count: number, seed: number): string {
  let expected = '';
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const piece = PIECES[state % PIECES.length]!;
    sink.push(piece);
    expected += piece;
    if (state % 7 === 0) {
      sink.newline();
      expected += '\n';
    }
  }
  return expected;
}

test('text() is the pushed strings, across buffers and with non-ASCII text', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const sink = new ByteSink('text');
    const expected = fill(sink, 400, seed);
    assert.equal(sink.text(), expected, `seed ${seed}`);
  }
  // Past the size of one text piece.
  const sink = new ByteSink('text');
  const expected = fill(sink, 3000, 6);
  assert.ok(expected.length > 9_000_000);
  assert.equal(sink.text(), expected);
});

test('a marked span is written again, also when the buffer fills meanwhile', () => {
  for (const mode of ['text', 'bytes'] as const) {
    const sink = new ByteSink(mode);
    let expected = '';
    for (let series = 0; series < 20_000; series++) {
      const label = series % 3 === 0 ? `a="é${series}"` : `a="v${series}",b="${'x'.repeat(series % 50)}"`;
      sink.ensure(3 * label.length + 3);
      sink.push('{');
      sink.markStart();
      sink.push(label);
      sink.markEnd();
      expected += `{${label}`;
      for (let line = 0; line < 12; line++) {
        sink.push('} 1\n{');
        sink.again();
        expected += `} 1\n{${label}`;
      }
      sink.newline();
      expected += '\n';
    }
    const text = mode === 'text' ? sink.text() : Buffer.concat(sink.take()).toString('utf8');
    assert.equal(text, expected, mode);
  }
});

test('the chunks are the UTF-8 bytes, each ending on a character boundary', () => {
  const sink = new ByteSink('bytes');
  const expected = fill(sink, 400, 9);
  const chunks = [...sink.takeFull(), ...sink.take()];
  assert.ok(chunks.length > 2, 'several buffers were filled');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A chunk that split a character would not decode on its own.
  assert.equal(chunks.map((c) => decoder.decode(c)).join(''), expected);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(expected, 'utf8'));
});

test('without Buffer the bytes decode to the same text', () => {
  const plain = 'x{a="b"} 1\n'.repeat(20_000);
  assert.equal(decode(new TextEncoder().encode(plain), true, undefined), plain);
  const mixed = new ByteSink('bytes');
  const expected = fill(mixed, 300, 4);
  const chunks = mixed.take();
  assert.equal(chunks.map((chunk) => decode(chunk, false, undefined)).join(''), expected);
});

test('numbers are written as the formatters write them', () => {
  const values = [
    0,
    -0,
    1,
    7,
    10,
    99,
    100,
    12345,
    999_999,
    1e6,
    1_000_001,
    2 ** 53 - 1,
    2 ** 53,
    1e21,
    0.5,
    1e-4,
    1e-5,
    -1,
    -12.5,
    123.456,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
  ];
  for (let i = 0; i < 2000; i++) values.push(Math.floor(Math.random() * 2e6), Math.random() * 1e7);
  for (const v of values) {
    for (const [write, format] of [
      [(s: ByteSink) => s.float(v), formatFloat],
      [(s: ByteSink) => s.canonical(v), formatCanonical],
      [(s: ByteSink) => s.count(v), formatCount],
    ] as const) {
      const sink = new ByteSink('text');
      write(sink);
      assert.equal(sink.text(), format(v), `${format.name}(${v})`);
    }
  }
});
