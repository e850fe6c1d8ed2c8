/**
 * UTF-8 metric and label names against prometheus/common's own test tables (copied to
 * test/conformance/utf8/cases.json): EscapeName per scheme, the names an exposition carries, name
 * validity, the encoders' quoted output, and negotiation of the escaping parameter.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  parseProtobuf,
  renderOpenMetrics,
  renderProtobuf,
  renderText,
} from '../../../src/exposition/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  isMetricDefinitionError,
  type LabelSet,
  type MetricFamily,
  negotiate,
  Registry,
  render,
} from '../../../src/index.js';
import { isValidMetricName } from '../../../src/model/labels.js';
import {
  type EscapingScheme,
  escapeName,
  exposedLabelName,
  exposedMetricName,
} from '../../../src/model/names.js';

interface Vectors {
  cases: {
    input: string;
    scheme: EscapingScheme;
    expected: string;
    exposed: string;
    level: string;
    kind?: 'metric' | 'label';
  }[];
  escapeName: { case: string; input: string; underscores: string; dots: string; values: string }[];
  validity: { name: string | null; nameUtf8Hex?: string; utf8Valid: boolean; legacyValid: boolean }[];
  encoder: {
    dotted: {
      format: string;
      scheme: EscapingScheme;
      metric: string;
      label: string;
      expectMetricName: string;
      expectLabelName: string;
    }[];
  };
  negotiate: {
    test: string;
    case: string;
    accept: string;
    expected: string;
    defaultEscapingInTest: string;
  }[];
  textCreate: { source: string; family: GoFamily; expected: string }[];
  openMetricsCreate: { source: string; family: GoFamily; expected: string }[];
}

interface GoFamily {
  name: string;
  help: string;
  type: 'GAUGE' | 'COUNTER';
  metric: { labels: [string, string][]; gauge?: unknown; counter?: unknown; timestampMs?: number }[];
}

const VECTORS = JSON.parse(
  readFileSync(new URL('../../conformance/utf8/cases.json', import.meta.url), 'utf8'),
) as Vectors;

function goFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  const go = (v as { go: string }).go;
  if (go === 'math.Inf(+1)') return Number.POSITIVE_INFINITY;
  if (go === 'math.Inf(-1)') return Number.NEGATIVE_INFINITY;
  throw new Error(`unknown Go expression ${go}`);
}

/** A vector family in the snapshot model, its label pairs kept in the order the Go test gives them. */
function toFamily(f: GoFamily): MetricFamily {
  const points = f.metric.map((m) => {
    const labels: LabelSet = { names: m.labels.map((l) => l[0]), values: m.labels.map((l) => l[1]) };
    const value = goFloat(f.type === 'GAUGE' ? m.gauge : m.counter);
    return m.timestampMs === undefined ? { labels, value } : { labels, value, timestampMs: m.timestampMs };
  });
  return { name: f.name, help: f.help, type: f.type === 'GAUGE' ? 'gauge' : 'counter', points };
}

describe('escaping vectors from prometheus/common', () => {
  test('EscapeName, every input and scheme', () => {
    for (const c of VECTORS.cases.filter((x) => x.level === 'EscapeName')) {
      assert.equal(escapeName(c.input, c.scheme), c.expected, `${c.scheme}: ${JSON.stringify(c.input)}`);
    }
    for (const c of VECTORS.escapeName) {
      for (const scheme of ['underscores', 'dots', 'values'] as const) {
        assert.equal(escapeName(c.input, scheme), c[scheme], `${c.case} (${scheme})`);
      }
    }
  });

  test('the names an exposition carries: legacy names are never changed, even by dots', () => {
    for (const c of VECTORS.cases.filter((x) => x.level !== 'EscapeName')) {
      const exposed =
        c.kind === 'label' ? exposedLabelName(c.input, c.scheme) : exposedMetricName(c.input, c.scheme);
      assert.equal(exposed, c.exposed, `${c.level} ${c.kind} ${c.scheme}: ${JSON.stringify(c.input)}`);
    }
  });

  test('validity: legacy and UTF-8 rules', () => {
    for (const v of VECTORS.validity) {
      // The one input that is not valid UTF-8 becomes a lone surrogate in a JavaScript string.
      const name = v.name ?? 'a\uD800z';
      assert.equal(isValidMetricName(name, 'utf8'), v.utf8Valid, `utf8 ${JSON.stringify(name)}`);
      assert.equal(isValidMetricName(name, 'legacy'), v.legacyValid, `legacy ${JSON.stringify(name)}`);
    }
  });

  test('text and OpenMetrics encoders write the quoted forms of the Go tests byte for byte', () => {
    for (const c of VECTORS.textCreate) {
      assert.equal(renderText([toFamily(c.family)], 'allow-utf-8'), c.expected, c.source);
    }
    for (const c of VECTORS.openMetricsCreate) {
      assert.equal(
        renderOpenMetrics([toFamily(c.family)], { escaping: 'allow-utf-8' }),
        `${c.expected}# EOF\n`,
        c.source,
      );
    }
  });

  test('every format carries the names of its scheme (TestDottedEncode)', () => {
    for (const c of VECTORS.encoder.dotted) {
      const family: MetricFamily = {
        name: c.metric,
        help: 'h',
        type: 'gauge',
        points: [{ labels: { names: [c.label], values: ['v'] }, value: 1 }],
      };
      const [decoded] = parseProtobuf(renderProtobuf([family], c.scheme));
      assert.equal(decoded?.name, c.expectMetricName, c.format);
      assert.deepEqual(decoded?.points[0]?.labels.names, [c.expectLabelName], c.format);
      const text = renderText([family], c.scheme);
      assert.ok(
        text.includes(c.expectMetricName) && text.includes(c.expectLabelName),
        `${c.format}: ${text}`,
      );
    }
  });

  test('negotiation echoes the escaping scheme (rows of TestNegotiate and TestNegotiateIncludingOpenMetrics)', () => {
    // Those tests set the library default to `values` in places; ours is `underscores`, as prometheus/common's.
    const rows = VECTORS.negotiate.filter(
      (r) =>
        (r.test === 'TestNegotiate' || r.test === 'TestNegotiateIncludingOpenMetrics') &&
        !/encoding=(compact-)?text/.test(r.expected) &&
        !/encoding=(compact-)?text/.test(r.accept),
    );
    assert.ok(rows.length >= 15, `only ${rows.length} rows`);
    for (const r of rows) {
      const formats = r.test === 'TestNegotiate' ? (['text', 'protobuf'] as const) : undefined;
      const expected = /escaping=/.test(r.accept)
        ? r.expected
        : r.expected.replace(`escaping=${r.defaultEscapingInTest}`, 'escaping=underscores');
      const got = negotiate(r.accept, formats === undefined ? {} : { formats: [...formats] });
      assert.equal(got.contentType, expected, `${r.test} "${r.case}": ${r.accept}`);
    }
  });
});

describe('UTF-8 names in metrics', () => {
  const make = () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'http.server.request.duration',
      help: 'Duration.',
      labelNames: ['http.method'] as const,
      buckets: [1],
      registry,
    });
    h.observe({ 'http.method': 'GET' }, 0.5);
    const c = new Counter({ name: 'requests.total', help: 'R.', registry });
    c.inc();
    return registry;
  };

  test('allow-utf-8 quotes them; text 1.0.0 answers with its own Content-Type', async () => {
    const r = await render(make(), 'text/plain;version=1.0.0;escaping=allow-utf-8');
    assert.equal(r.contentType, 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8');
    assert.equal(
      r.body,
      [
        '# HELP "http.server.request.duration" Duration.',
        '# TYPE "http.server.request.duration" histogram',
        '{"http.server.request.duration_bucket","http.method"="GET",le="1"} 1',
        '{"http.server.request.duration_bucket","http.method"="GET",le="+Inf"} 1',
        '{"http.server.request.duration_sum","http.method"="GET"} 0.5',
        '{"http.server.request.duration_count","http.method"="GET"} 1',
        '# HELP "requests.total_total" R.',
        '# TYPE "requests.total_total" counter',
        '{"requests.total_total"} 1',
        '',
      ].join('\n'),
    );
  });

  test('without escaping= the names are underscore-escaped, so legacy scrapers read them', async () => {
    const r = await render(make(), 'text/plain;version=0.0.4');
    assert.match(r.body as string, /^http_server_request_duration_bucket\{http_method="GET",le="1"\} 1$/m);
    const om = await render(make(), 'application/openmetrics-text;version=1.0.0;escaping=values');
    assert.match(om.body as string, /^# TYPE U__http_2e_server_2e_request_2e_duration histogram$/m);
    assert.match(om.body as string, /^U__requests_2e_total__total 1\.0$/m);
  });

  test('protobuf carries raw names under allow-utf-8 and escaped ones otherwise', async () => {
    const raw = await render(
      make(),
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping=allow-utf-8',
    );
    const [family] = parseProtobuf(raw.body as Uint8Array);
    assert.equal(family?.name, 'http.server.request.duration');
    assert.deepEqual(family?.points[0]?.labels.names, ['http.method']);
    const escaped = await render(
      make(),
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    );
    assert.equal(parseProtobuf(escaped.body as Uint8Array)[0]?.name, 'http_server_request_duration');
  });

  test("nameValidation: 'legacy' refuses them with a MetricDefinitionError naming the metric", () => {
    assert.throws(
      () => new Gauge({ name: 'a.b', help: 'h', registry: null, nameValidation: 'legacy' }),
      (e: unknown) => isMetricDefinitionError(e) && e.metric === 'a.b' && /must match/.test(e.message),
    );
    assert.throws(
      () =>
        new Gauge({ name: 'ok', help: 'h', labelNames: ['x.y'], registry: null, nameValidation: 'legacy' }),
      (e: unknown) => isMetricDefinitionError(e) && /invalid label name "x.y"/.test(e.message),
    );
  });

  test('label names that are not identifiers address series like any other', () => {
    const g = new Gauge({
      name: 'g',
      help: 'h',
      labelNames: ["it's", 'a b', 'constructor'] as const,
      registry: null,
    });
    g.set({ "it's": '1', 'a b': '2', constructor: '3' }, 5);
    assert.equal(g.get({ "it's": '1', 'a b': '2', constructor: '3' }), 5);
    assert.equal(g.snapshot().points.length, 1);
  });
});
