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
  // Outside [1e-4, 1e6) Go always uses the exponent form. JavaScript's String() has the same
  // shortest digits but switches to exponents elsewhere (below 1e-6 and from 1e21), so its
  // output is rewritten: it is several times faster than toExponential().
  const js = String(v);
  const sign = v < 0 ? '-' : '';
  const body = v < 0 ? js.slice(1) : js;
  const e = body.indexOf('e');
  if (e >= 0) return sign + withExponent(body.slice(0, e), Number(body.slice(e + 1)));
  const dot = body.indexOf('.');
  let digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  // For a >= 1e6 the integer part has no leading zeros; for a < 1e-4 it is "0" and zeros follow.
  let exponent = (dot < 0 ? body.length : dot) - 1;
  let lead = 0;
  while (digits.charCodeAt(lead) === 48) lead++;
  exponent -= lead;
  digits = digits.slice(lead);
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return sign + withExponent(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits, exponent);
}

/** `mantissa` + Go's exponent: a sign and at least two digits. */
function withExponent(mantissa: string, exponent: number): string {
  const abs = exponent < 0 ? -exponent : exponent;
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
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
