import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { renderOpenMetrics, renderText } from '../../../src/exposition/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  labelSet,
  type MetricFamily,
  Registry,
  render,
  Summary,
} from '../../../src/index.js';
import { compareUtf8 } from '../../../src/model/byte-order.js';

const L = labelSet;

const families: MetricFamily[] = [
  {
    name: 'name_total',
    help: 'two-line\n doc  str\\ing with "quotes"',
    type: 'counter',
    points: [
      { labels: L({ labelname: 'val1', basename: 'basevalue' }), value: Number.NaN },
      { labels: L({ labelname: 'val2', basename: 'basevalue' }), value: 0.23, timestampMs: 1234567890 },
    ],
  },
  {
    name: 'gauge_name',
    help: 'gauge\ndoc\nstr"ing',
    type: 'gauge',
    points: [
      {
        labels: L({ name_1: 'val with\nnew line', name_2: 'val with \\backslash and "quotes"' }),
        value: Number.POSITIVE_INFINITY,
      },
      { labels: L({ name_1: 'Björn', name_2: '佖佥' }), value: 3.14e42 },
      { labels: L(), value: -1.23e-45 },
    ],
  },
  {
    name: 'untyped_name',
    help: '',
    type: 'untyped',
    points: [{ labels: L(), value: Number.NEGATIVE_INFINITY }],
  },
  {
    name: 'summary_name',
    help: 'summary docstring',
    type: 'summary',
    points: [
      {
        labels: L({ code: '200' }),
        quantiles: [
          { quantile: 0.5, value: -1.23 },
          { quantile: 0.9, value: 0.2342354 },
          { quantile: 0.99, value: 0 },
        ],
        count: 42,
        sum: -3.4567,
      },
    ],
  },
  {
    name: 'request_duration_microseconds',
    help: 'The response latency.',
    type: 'histogram',
    points: [
      {
        labels: L(),
        upperBounds: [100, 120, 144, 172.8],
        cumulativeCounts: [123, 412, 592, 1524],
        count: 2693,
        sum: 1756047.3,
      },
    ],
  },
  {
    name: 'gauge_hist',
    help: 'A gauge histogram.',
    type: 'gaugehistogram',
    points: [{ labels: L(), upperBounds: [1], cumulativeCounts: [2], count: 3, sum: 4.5 }],
  },
  { name: 'empty', help: 'No series: left out.', type: 'gauge', points: [] },
];

test('text 0.0.4 output matches client_golang byte for byte', () => {
  assert.equal(
    renderText(families),
    `# HELP name_total two-line\\n doc  str\\\\ing with "quotes"
# TYPE name_total counter
name_total{basename="basevalue",labelname="val1"} NaN
name_total{basename="basevalue",labelname="val2"} 0.23 1234567890
# HELP gauge_name gauge\\ndoc\\nstr"ing
# TYPE gauge_name gauge
gauge_name{name_1="val with\\nnew line",name_2="val with \\\\backslash and \\"quotes\\""} +Inf
gauge_name{name_1="Björn",name_2="佖佥"} 3.14e+42
gauge_name -1.23e-45
# HELP untyped_name 
# TYPE untyped_name untyped
untyped_name -Inf
# HELP summary_name summary docstring
# TYPE summary_name summary
summary_name{code="200",quantile="0.5"} -1.23
summary_name{code="200",quantile="0.9"} 0.2342354
summary_name{code="200",quantile="0.99"} 0
summary_name_sum{code="200"} -3.4567
summary_name_count{code="200"} 42
# HELP request_duration_microseconds The response latency.
# TYPE request_duration_microseconds histogram
request_duration_microseconds_bucket{le="100"} 123
request_duration_microseconds_bucket{le="120"} 412
request_duration_microseconds_bucket{le="144"} 592
request_duration_microseconds_bucket{le="172.8"} 1524
request_duration_microseconds_bucket{le="+Inf"} 2693
request_duration_microseconds_sum 1.7560473e+06
request_duration_microseconds_count 2693
# HELP gauge_hist A gauge histogram.
# TYPE gauge_hist histogram
gauge_hist_bucket{le="1"} 2
gauge_hist_bucket{le="+Inf"} 3
gauge_hist_sum 4.5
gauge_hist_count 3
`,
  );
});

test('OpenMetrics output: counter names, canonical numbers, seconds, gauge histograms, EOF', () => {
  assert.equal(
    renderOpenMetrics(families),
    `# HELP name two-line\\n doc  str\\\\ing with \\"quotes\\"
# TYPE name counter
name_total{basename="basevalue",labelname="val1"} NaN
name_total{basename="basevalue",labelname="val2"} 0.23 1.23456789e+06
# HELP gauge_name gauge\\ndoc\\nstr\\"ing
# TYPE gauge_name gauge
gauge_name{name_1="val with\\nnew line",name_2="val with \\\\backslash and \\"quotes\\""} +Inf
gauge_name{name_1="Björn",name_2="佖佥"} 3.14e+42
gauge_name -1.23e-45
# HELP untyped_name 
# TYPE untyped_name unknown
untyped_name -Inf
# HELP summary_name summary docstring
# TYPE summary_name summary
summary_name{code="200",quantile="0.5"} -1.23
summary_name{code="200",quantile="0.9"} 0.2342354
summary_name{code="200",quantile="0.99"} 0.0
# HELP request_duration_microseconds The response latency.
# TYPE request_duration_microseconds histogram
request_duration_microseconds_bucket{le="100.0"} 123
request_duration_microseconds_bucket{le="120.0"} 412
request_duration_microseconds_bucket{le="144.0"} 592
request_duration_microseconds_bucket{le="172.8"} 1524
request_duration_microseconds_bucket{le="+Inf"} 2693
request_duration_microseconds_sum 1.7560473e+06
request_duration_microseconds_count 2693
# HELP gauge_hist A gauge histogram.
# TYPE gauge_hist gaugehistogram
gauge_hist_bucket{le="1.0"} 2
gauge_hist_bucket{le="+Inf"} 3
gauge_hist_gcount 3
gauge_hist_gsum 4.5
# EOF
`,
  );
});

test('OpenMetrics writes _created, UNIT, exemplars, and unknown for a counter without _total', () => {
  const out = renderOpenMetrics([
    {
      name: 'req_seconds_total',
      help: 'h',
      unit: 'seconds',
      type: 'counter',
      points: [
        {
          labels: L({ a: 'b' }),
          value: 3,
          created: 1700000000.5,
          exemplar: { labels: L({ trace_id: 'abc' }), value: 0.67, timestamp: 1520879607.789 },
        },
      ],
    },
    { name: 'legacy', help: 'h', type: 'counter', points: [{ labels: L(), value: 1 }] },
    {
      name: 'neg',
      help: 'h',
      type: 'histogram',
      points: [
        {
          labels: L(),
          upperBounds: [-1, 1],
          cumulativeCounts: [1, 2],
          count: 2,
          sum: 0,
          created: 1,
          exemplars: [undefined, { labels: L(), value: 0.5 }, undefined],
        },
      ],
    },
  ]);
  assert.equal(
    out,
    `# HELP req_seconds h
# TYPE req_seconds counter
# UNIT req_seconds seconds
req_seconds_total{a="b"} 3.0 # {trace_id="abc"} 0.67 1.520879607789e+09
req_seconds_created{a="b"} 1.7000000005e+09
# HELP legacy h
# TYPE legacy unknown
legacy 1.0
# HELP neg h
# TYPE neg histogram
neg_bucket{le="-1.0"} 1
neg_bucket{le="1.0"} 2 # {} 0.5
neg_bucket{le="+Inf"} 2
neg_created 1.0
# EOF
`,
  );
});

test('render negotiates from Accept and defaults to text', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'hits_total', help: 'Hits.', registry });
  c.inc();
  const text = await render(registry);
  assert.equal(text.contentType, 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
  assert.equal(text.body, '# HELP hits_total Hits.\n# TYPE hits_total counter\nhits_total 1\n');
  const om = await render(registry, 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5');
  assert.equal(
    om.contentType,
    'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
  );
  // `_created` samples are off unless asked for: Prometheus 2.x would store each as a series.
  assert.equal(om.body, '# HELP hits Hits.\n# TYPE hits counter\nhits_total 1.0\n# EOF\n');
  const withCreated = await render(registry, 'application/openmetrics-text;version=1.0.0', {
    createdSamples: true,
  });
  assert.match(
    withCreated.body as string,
    /^# HELP hits Hits\.\n# TYPE hits counter\nhits_total 1\.0\nhits_created \S+\n# EOF\n$/,
  );
});

test('metrics render end to end with constant labels, units and sorted series', async () => {
  const registry = new Registry();
  const h = new Histogram({
    name: 'job_seconds',
    help: 'Job time.',
    unit: 'seconds',
    buckets: [0.1, 1],
    labelNames: ['kind'] as const,
    constLabels: { app: 'etl' },
    registry,
  });
  h.observe({ kind: 'b' }, 0.5);
  h.observe({ kind: 'a' }, 0.05);
  const s = new Summary({ name: 'size_bytes', help: 'Size.', quantiles: [0.5], registry });
  s.observe(100);
  const g = new Gauge({ name: 'temperature', help: 'T.', registry });
  g.set(21.5);
  assert.equal(
    (await render(registry)).body,
    `# HELP job_seconds Job time.
# TYPE job_seconds histogram
job_seconds_bucket{app="etl",kind="a",le="0.1"} 1
job_seconds_bucket{app="etl",kind="a",le="1"} 1
job_seconds_bucket{app="etl",kind="a",le="+Inf"} 1
job_seconds_sum{app="etl",kind="a"} 0.05
job_seconds_count{app="etl",kind="a"} 1
job_seconds_bucket{app="etl",kind="b",le="0.1"} 0
job_seconds_bucket{app="etl",kind="b",le="1"} 1
job_seconds_bucket{app="etl",kind="b",le="+Inf"} 1
job_seconds_sum{app="etl",kind="b"} 0.5
job_seconds_count{app="etl",kind="b"} 1
# HELP size_bytes Size.
# TYPE size_bytes summary
size_bytes{quantile="0.5"} ${s.get().quantiles[0]!.value}
size_bytes_sum 100
size_bytes_count 1
# HELP temperature T.
# TYPE temperature gauge
temperature 21.5
`,
  );
  assert.ok(Math.abs(s.get().quantiles[0]!.value - 100) <= 1);
});

test('OpenMetrics _created lines stay right when collectors share one label set between families', () => {
  const shared = L({ app: 'x' });
  const family = (name: string, created: number): MetricFamily => ({
    name: `${name}_total`,
    help: '',
    type: 'counter',
    points: [{ labels: shared, value: 1, created }],
  });
  const out = renderOpenMetrics([family('a', 5), family('b', 5)]);
  assert.match(out, /^a_created\{app="x"\} 5\.0$/m);
  assert.match(out, /^b_created\{app="x"\} 5\.0$/m);
  assert.match(renderOpenMetrics([family('a', 6)]), /^a_created\{app="x"\} 6\.0$/m);
});

test('series, label names and families sort by UTF-8 bytes, as client_golang: U+E000 before U+1F600', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'sorted_total', help: 'h', labelNames: ['v'] as const, registry });
  c.inc({ v: '\u{1F600}' });
  c.inc({ v: '\uE000' });
  c.inc({ v: 'z' });
  const text = (await render(registry)).body as string;
  assert.deepEqual(
    text.split('\n').filter((l) => l.startsWith('sorted_total{')),
    ['sorted_total{v="z"} 1', 'sorted_total{v="\uE000"} 1', 'sorted_total{v="\u{1F600}"} 1'],
  );
  assert.deepEqual(L({ '\u{1F600}': 'a', '\uE000': 'b' }).names, ['\uE000', '\u{1F600}']);
});

test('compareUtf8 orders any two strings as their UTF-8 bytes compare', () => {
  const utf8Order = (a: string, b: string): number =>
    Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      assert.equal(Math.sign(compareUtf8(a, b)), utf8Order(a, b));
    }),
    { numRuns: 2000 },
  );
  assert.ok(compareUtf8('\uFFFF', '\u{10000}') < 0);
  assert.ok(compareUtf8('\uD7FF', '\u{10000}') < 0);
});
