import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatCanonical, formatFloat } from '../../../src/exposition/index.js';

/** Go's FormatFloat(f, 'g', -1, 64), by the recipe in docs/formats.md §1, as an independent oracle. */
function goFormat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  if (x === 0) return '0';
  const [m, e] = x.toExponential().split('e') as [string, string];
  const E = Number(e);
  const neg = m.startsWith('-');
  const d = m.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (E < -4 || E >= 6) {
    return `${sign}${d[0]}${d.length > 1 ? `.${d.slice(1)}` : ''}e${E < 0 ? '-' : '+'}${String(Math.abs(E)).padStart(2, '0')}`;
  }
  if (E >= 0) {
    const int = d.slice(0, E + 1).padEnd(E + 1, '0');
    const frac = d.slice(E + 1);
    return sign + (frac ? `${int}.${frac}` : int);
  }
  return `${sign}0.${'0'.repeat(-E - 1)}${d}`;
}

test('formats the client_golang examples exactly', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0, '0'],
    [-0, '0'],
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [1e6, '1e+06'],
    [100000, '100000'],
    [1.7560473e6, '1.7560473e+06'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [3.14e42, '3.14e+42'],
    [172.8, '172.8'],
    [-1.23e-45, '-1.23e-45'],
    [6.088634523481149e11, '6.088634523481149e+11'],
    [1.5e-7, '1.5e-07'],
    [5e-324, '5e-324'],
    [1e21, '1e+21'],
    [-2500000, '-2.5e+06'],
  ];
  for (const [value, expected] of cases) assert.equal(formatFloat(value), expected, `formatFloat(${value})`);
});

test('matches Go formatting for every double (property)', () => {
  fc.assert(
    fc.property(fc.double(), (x) => formatFloat(x) === goFormat(x)),
    { numRuns: 20_000 },
  );
});

test('round-trips every finite double', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const back = Number(formatFloat(x));
      return back === x || (x === 0 && back === 0);
    }),
    { numRuns: 20_000 },
  );
});

test('writes OpenMetrics canonical numbers with .0 where Go %g has no point', () => {
  assert.equal(formatCanonical(1), '1.0');
  assert.equal(formatCanonical(0.005), '0.005');
  assert.equal(formatCanonical(1e6), '1e+06');
  assert.equal(formatCanonical(100000), '100000.0');
  assert.equal(formatCanonical(0), '0.0');
  assert.equal(formatCanonical(Number.POSITIVE_INFINITY), '+Inf');
  assert.equal(formatCanonical(-5), '-5.0');
});
