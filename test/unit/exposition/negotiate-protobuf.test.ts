import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiate, PROTOBUF_CONTENT_TYPE } from '../../../src/index.js';

// Accept headers as Prometheus sends them (docs/formats.md §3, taken from scrape.go / config.go).
const PROMETHEUS_2_42_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_2_42_DEFAULT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_2_49_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
const PROMETHEUS_3_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

test('Prometheus 2.42 with --enable-feature=native-histograms negotiates protobuf', () => {
  const format = negotiate(PROMETHEUS_2_42_NATIVE);
  assert.equal(format.kind, 'protobuf');
  assert.equal(format.contentType, `${PROTOBUF_CONTENT_TYPE}; escaping=underscores`);
});

test('Prometheus 2.49 to 2.55 with native histograms negotiates protobuf', () => {
  assert.equal(negotiate(PROMETHEUS_2_49_NATIVE).kind, 'protobuf');
});

test('Prometheus 3 with native histograms negotiates protobuf; its protobuf entry has no escaping, so underscores', () => {
  const format = negotiate(PROMETHEUS_3_NATIVE);
  assert.equal(format.kind, 'protobuf');
  assert.equal(format.escaping, 'underscores');
  assert.equal(
    format.contentType,
    'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores',
  );
});

test('an escaping parameter on the protobuf entry is echoed in the Content-Type', () => {
  const format = negotiate(
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping=allow-utf-8;q=0.6,*/*;q=0.1',
  );
  assert.equal(format.kind, 'protobuf');
  assert.equal(format.escaping, 'allow-utf-8');
  assert.equal(format.contentType, `${PROTOBUF_CONTENT_TYPE}; escaping=allow-utf-8`);
});

test('without native histograms Prometheus 2.42 gets OpenMetrics, not protobuf', () => {
  assert.equal(negotiate(PROMETHEUS_2_42_DEFAULT).kind, 'openmetrics');
});

test('protobuf needs proto=io.prometheus.client.MetricFamily and encoding=delimited', () => {
  assert.equal(
    negotiate('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text').kind,
    'text',
  );
  assert.equal(negotiate('application/vnd.google.protobuf;encoding=delimited').kind, 'text');
});

test('a caller that cannot produce protobuf falls through to the next entry', () => {
  assert.equal(negotiate(PROMETHEUS_3_NATIVE, { formats: ['text', 'openmetrics'] }).kind, 'openmetrics');
});
