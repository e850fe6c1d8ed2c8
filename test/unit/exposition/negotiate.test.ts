import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiate } from '../../../src/index.js';

const OM1 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OM0 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

// The Accept headers real Prometheus versions send (docs/formats.md §3).
const prometheus = {
  'v2.5-v2.33': 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  'v2.34-v2.48':
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  'v2.40.0':
    'application/openmetrics-text;version=1.0.0;q=0.75,application/openmetrics-text;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  'v2.49-v2.55':
    'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  'v3.x':
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
};

test('negotiates OpenMetrics for every Prometheus version', () => {
  assert.equal(negotiate(prometheus['v2.5-v2.33']).contentType, `${OM0}; escaping=underscores`);
  assert.equal(negotiate(prometheus['v2.34-v2.48']).contentType, `${OM1}; escaping=underscores`);
  assert.equal(negotiate(prometheus['v2.40.0']).contentType, `${OM1}; escaping=underscores`);
  assert.equal(negotiate(prometheus['v2.49-v2.55']).contentType, `${OM1}; escaping=underscores`);
  const v3 = negotiate(prometheus['v3.x']);
  assert.equal(v3.kind, 'openmetrics');
  assert.equal(v3.escaping, 'allow-utf-8');
  assert.equal(v3.contentType, `${OM1}; escaping=allow-utf-8`);
});

test('falls back to text 0.0.4 when nothing supported is asked', () => {
  for (const accept of [
    undefined,
    null,
    '',
    '*/*',
    'application/json',
    'text/html;q=0.9',
    'text/plain;version=9.9.9',
  ]) {
    const format = negotiate(accept);
    assert.equal(format.kind, 'text', String(accept));
    assert.equal(format.contentType, `${TEXT}; escaping=underscores`);
  }
});

test('honours q-values and skips q=0 entries', () => {
  assert.equal(negotiate('text/plain;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8').kind, 'text');
  assert.equal(
    negotiate('text/plain;q=0.5,application/openmetrics-text;version=1.0.0;q=0.8').kind,
    'openmetrics',
  );
  assert.equal(negotiate('application/openmetrics-text;version=1.0.0;q=0,text/plain').kind, 'text');
  assert.equal(negotiate('application/openmetrics-text;version=1.0.0;q=abc,text/plain;q=0.1').kind, 'text');
});

test('echoes the escaping parameter of the chosen entry', () => {
  assert.equal(
    negotiate('text/plain;version=1.0.0;escaping=allow-utf-8').contentType,
    'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8',
  );
  assert.equal(negotiate('text/plain;version=0.0.4;escaping=values').escaping, 'values');
  assert.equal(negotiate('text/plain;escaping=bogus').escaping, 'underscores');
});

test('offers protobuf only when the caller can produce it', () => {
  const native =
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
  assert.equal(negotiate(native, { formats: ['text', 'openmetrics'] }).kind, 'openmetrics');
  assert.equal(negotiate(native).kind, 'protobuf');
  assert.equal(
    negotiate('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text').kind,
    'text',
  );
});
