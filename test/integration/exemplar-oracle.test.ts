/**
 * Our OpenMetrics exemplars, checked with Python prometheus_client's strict parser: random
 * exemplar labels (quotes, backslashes, newlines, unicode, up to the 128 code point limit) on
 * counters, classic and native histograms, with NaN and ±Inf values where the data model allows
 * them, must parse back to the same labels and values, and the parser's own limit must agree with
 * ours at 128/129 code points.
 *
 * Two prometheus_client 0.16 bugs shape the test: it reads a timestamp in exponent form, as
 * client_golang and we write it (`1.7e+09`), as seconds "1" plus nanoseconds "7e+09"[:9], so
 * timestamps are not compared (the Prometheus integration test checks them); and it ends an
 * exemplar's label set at the first `}`, even inside a quoted value, so values hold no `}`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderOpenMetrics } from '../../src/exposition/index.js';
import { Counter, Histogram, isLabelError, Registry } from '../../src/index.js';
import { fromPython, type ParsedExposition, parseWithPythonClient } from '../helpers/oracles.js';
import { findPythonClient } from '../helpers/processes.js';

/** `name → [labels, value]` of every sample that carries an exemplar. */
function exemplarsOf(parsed: ParsedExposition): Record<string, [Record<string, string>, number]> {
  assert.equal(parsed.error, undefined);
  const out: Record<string, [Record<string, string>, number]> = {};
  for (const [name, labels, , , exemplar] of parsed.samples!) {
    if (exemplar !== null) out[`${name}${JSON.stringify(labels)}`] = [exemplar[0], fromPython(exemplar[1])];
  }
  return out;
}

const INF = Number.POSITIVE_INFINITY;
/** Mostly ordinary values from `finite`, sometimes one of the special `values`. */
const withSpecials = (finite: fc.Arbitrary<number>, ...values: number[]) =>
  fc.oneof({ arbitrary: finite, weight: 4 }, { arbitrary: fc.constantFrom(...values), weight: 1 });

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
const labelValue = fc
  .oneof(
    fc.constantFrom('', '"', '\\', '\n', '\\n', '"{', 'Björn', '佖佥', 'a,b=c', '{', ' # ', '🙂'),
    fc.string({ unit: 'binary', maxLength: 40 }),
  )
  .filter((s) => s.isWellFormed() && !s.includes('}'));
const codePoints = (s: string) => [...s].length;
const exemplarLabels = fc
  .dictionary(labelName, labelValue, { maxKeys: 4 })
  .filter((d) => Object.entries(d).reduce((n, [k, v]) => n + codePoints(k) + codePoints(v), 0) <= 128);

test('exemplars in our OpenMetrics output parse in prometheus_client to the same labels and values', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  const cases = fc.sample(
    fc.record({
      counter: fc.tuple(exemplarLabels, withSpecials(fc.double({ min: 0, max: 1e6, noNaN: true }), INF)),
      classic: fc.array(
        fc.tuple(
          exemplarLabels,
          withSpecials(fc.double({ min: -10, max: 10, noNaN: true }), Number.NaN, INF, -INF),
        ),
        { minLength: 1, maxLength: 6 },
      ),
      native: fc.tuple(
        exemplarLabels,
        withSpecials(fc.double({ min: 0, max: 1e9, noNaN: true }), Number.NaN, INF),
      ),
    }),
    { numRuns: 40, seed: 20240601 },
  );
  const texts: string[] = [];
  const expected: Record<string, [Record<string, string>, number]>[] = [];
  for (const c of cases) {
    const registry = new Registry();
    const want: Record<string, [Record<string, string>, number]> = {};
    const counter = new Counter({
      name: 'orc_requests_total',
      help: 'h',
      labelNames: ['code'] as const,
      registry,
    });
    counter.inc({ code: '200' }, c.counter[1], c.counter[0]);
    want['orc_requests_total{"code":"200"}'] = [{ ...c.counter[0] }, c.counter[1]];
    const classic = new Histogram({ name: 'orc_classic', help: 'h', buckets: [-1, 0, 1], registry });
    const bounds = [-1, 0, 1];
    const les = ['-1.0', '0.0', '1.0', '+Inf'];
    for (const [labels, v] of c.classic) {
      classic.observe(v, labels);
      const slot = bounds.findIndex((b) => v <= b);
      want[`orc_classic_bucket{"le":"${les[slot < 0 ? 3 : slot]}"}`] = [{ ...labels }, v];
    }
    const native = new Histogram({ name: 'orc_native', help: 'h', native: true, registry });
    native.observe(c.native[1], c.native[0]);
    want['orc_native_bucket{"le":"+Inf"}'] = [{ ...c.native[0] }, c.native[1]];
    texts.push(renderOpenMetrics(await registry.collect()));
    expected.push(want);
  }
  const parsed = await parseWithPythonClient(python, texts);
  parsed.forEach((p, i) => {
    assert.equal(p.error, undefined, `${p.error}\n${texts[i]}`);
    assert.deepEqual(exemplarsOf(p), expected[i], texts[i]);
  });
});

test('the 128 code point limit: ours and prometheus_client agree at 128 and 129', async (t) => {
  const python = await findPythonClient();
  if (python === undefined) return t.skip('python3-prometheus-client is not installed');
  const at128 = [
    { trace_id: 'x'.repeat(120) },
    { a: '🚀'.repeat(127) },
    { a: 'é'.repeat(60), bc: 'ü'.repeat(65) },
  ];
  const texts = at128.map((labels) => {
    const c = new Counter({ name: 'lim_total', help: 'h', registry: null });
    c.inc(1, labels);
    return renderOpenMetrics([c.snapshot()]);
  });
  const at129 = [{ trace_id: 'x'.repeat(121) }, { a: '🚀'.repeat(128) }];
  for (const labels of at129) {
    const c = new Counter({ name: 'lim_total', help: 'h', registry: null });
    assert.throws(
      () => c.inc(1, labels),
      (e: unknown) => isLabelError(e) && e.message.includes('129 code points'),
    );
    // The same exemplar written by hand: prometheus_client refuses it too.
    const [[name, value]] = Object.entries(labels) as [[string, string]];
    texts.push(`# TYPE lim counter\nlim_total 1.0 # {${name}="${value}"} 1.0\n# EOF\n`);
  }
  const parsed = await parseWithPythonClient(python, texts);
  for (let i = 0; i < at128.length; i++) {
    assert.deepEqual(Object.values(exemplarsOf(parsed[i]!)), [[at128[i], 1]]);
  }
  for (let i = at128.length; i < texts.length; i++) {
    assert.match(parsed[i]!.error ?? '', /Exemplar labels are too long/);
  }
});
