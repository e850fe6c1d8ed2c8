/**
 * Number formatting that matches client_golang byte for byte: Go's
 * `strconv.FormatFloat(f, 'g', -1, 64)` (shortest round-trip digits, exponent form iff the
 * decimal exponent is < -4 or >= 6, exponent with a sign and at least two digits).
 */

/** A sample value as the text format writes it: `1`, `0.25`, `1e+06`, `NaN`, `+Inf`, `-Inf`. */
export function formatFloat(v: number): string {
  const a = v < 0 ? -v : v;
  // In this range JavaScript's shortest round-trip form is already Go's fixed notation.
  if (a >= 1e-4 && a < 1e6) return String(v);
  if (v === 0) return '0';
  if (Number.isNaN(v)) return 'NaN';
  if (a === Number.POSITIVE_INFINITY) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const negative = v < 0;
  const digits = mantissa.replace('-', '').replace('.', '');
  // Outside [1e-4, 1e6) the decimal exponent is < -4 or >= 6, so Go always uses the exponent form.
  const abs = e < 0 ? -e : e;
  const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${negative ? '-' : ''}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/**
 * An OpenMetrics canonical number (for `le` and `quantile`): Go `%g` plus `.0` when the result
 * has neither a `.` nor an exponent: `1.0`, `0.005`, `1e+06`, `100000.0`, `+Inf`.
 */
export function formatCanonical(v: number): string {
  const s = formatFloat(v);
  if (s.includes('.') || s.includes('e') || s === 'NaN' || s.endsWith('Inf')) return s;
  return `${s}.0`;
}

/** An integer count as OpenMetrics writes it (no exponent), falling back to the float form. */
export function formatCount(v: number): string {
  return Number.isSafeInteger(v) ? String(v) : formatFloat(v);
}
