/**
 * Every Accept header Prometheus 2.x and 3.x send when scraping (from their scrape code) maps to
 * the right format, version and escaping, and the Content-Type we answer is one Prometheus 3
 * accepts: a media type it knows, with the version and escaping it asked for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAccept } from '../../../src/exposition/negotiate.js';
import { type FormatKind, negotiate } from '../../../src/index.js';

const PB = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

interface Row {
  readonly who: string;
  readonly accept: string;
  readonly kind: FormatKind;
  readonly contentType: string;
}

const OM_1 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const TEXT_004 = 'text/plain; version=0.0.4; charset=utf-8';
const PB_CT = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

const ROWS: readonly Row[] = [
  {
    who: 'v2.5 to v2.33',
    accept: 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    kind: 'openmetrics',
    contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores',
  },
  {
    who: 'v2.34 to v2.48',
    accept:
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    kind: 'openmetrics',
    contentType: `${OM_1}; escaping=underscores`,
  },
  {
    who: 'v2.40.0',
    accept:
      'application/openmetrics-text;version=1.0.0;q=0.75,application/openmetrics-text;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    kind: 'openmetrics',
    contentType: `${OM_1}; escaping=underscores`,
  },
  {
    who: 'v2.40 to v2.48, native histograms',
    accept: `${PB},application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`,
    kind: 'protobuf',
    contentType: `${PB_CT}; escaping=underscores`,
  },
  {
    who: 'v2.40.0, native histograms (spaces after ;)',
    accept:
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited,application/openmetrics-text; version=1.0.0; q=0.8,text/plain; version=0.0.4; q=0.5,*/*; q=0.1',
    kind: 'protobuf',
    contentType: `${PB_CT}; escaping=underscores`,
  },
  {
    who: 'v2.49 to v2.55',
    accept:
      'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    kind: 'openmetrics',
    contentType: `${OM_1}; escaping=underscores`,
  },
  {
    who: 'v2.49 to v2.55, native histograms',
    accept: `${PB};q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1`,
    kind: 'protobuf',
    contentType: `${PB_CT}; escaping=underscores`,
  },
  {
    who: 'v3.x',
    accept:
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    kind: 'openmetrics',
    contentType: `${OM_1}; escaping=allow-utf-8`,
  },
  {
    who: 'v3.x, native histograms',
    accept: `${PB};q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1`,
    kind: 'protobuf',
    contentType: `${PB_CT}; escaping=underscores`,
  },
];

/** What Prometheus 3 checks of a scrape's Content-Type: one of its three media types. */
function prometheus3Accepts(contentType: string): boolean {
  const media = contentType.split(';')[0]!.trim();
  return ['text/plain', 'application/openmetrics-text', 'application/vnd.google.protobuf'].includes(media);
}

test('every Prometheus scrape Accept header maps to the right format, version and escaping', () => {
  for (const row of ROWS) {
    const format = negotiate(row.accept);
    assert.equal(format.kind, row.kind, row.who);
    assert.equal(format.contentType, row.contentType, row.who);
    assert.ok(prometheus3Accepts(format.contentType), row.who);
    // The answer names the version and escaping of the entry it picked.
    const echoed = new Map(parseAccept(format.contentType)[0]!.params);
    assert.equal(echoed.get('escaping'), format.escaping, row.who);
  }
});

test('without OpenMetrics and protobuf on offer, v3 gets text 1.0.0 with allow-utf-8', () => {
  const v3 = ROWS.find((r) => r.who === 'v3.x')!;
  const format = negotiate(v3.accept, { formats: ['text'] });
  assert.equal(format.contentType, 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8');
  assert.equal(
    negotiate(ROWS[0]!.accept, { formats: ['text'] }).contentType,
    `${TEXT_004}; escaping=underscores`,
  );
});

test('Accept headers that name nothing we offer fall back to text 0.0.4 with underscores', () => {
  for (const accept of [
    undefined,
    '',
    'application/json',
    'application/openmetrics-text;version=2.0.0',
    'text/plain;version=9',
  ]) {
    assert.equal(negotiate(accept).contentType, `${TEXT_004}; escaping=underscores`, String(accept));
  }
});
