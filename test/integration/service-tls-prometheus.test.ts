/**
 * Prometheus 2.42 scrapes the Service over https with basic_auth, once also presenting a client
 * certificate (mutual TLS). With a wrong password the target is down and its last error names
 * the 401.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { Counter, Registry } from '../../src/index.js';
import { Service, type ServiceOptions } from '../../src/service/index.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { waitFor } from '../helpers/processes.js';
import { query, startPrometheus } from '../helpers/prometheus.js';

const USERS = { prometheus: bcrypt.hashSync('s3cret', 10) };

async function startService(t: TestContext, options: ServiceOptions): Promise<Service> {
  const registry = new Registry();
  new Counter({ name: 'tls_scrapes_total', help: 'A value to find.', registry }).inc(42);
  const service = new Service({ registry, basicAuth: { users: USERS }, ...options });
  await service.start();
  t.after(() => service.stop());
  return service;
}

function jobLines(certs: TestCertificates, password: string, clientCertificate: boolean): string[] {
  return [
    '    basic_auth:',
    '      username: prometheus',
    `      password: ${JSON.stringify(password)}`,
    '    tls_config:',
    `      ca_file: ${certs.files.ca}`,
    ...(clientCertificate
      ? [`      cert_file: ${certs.files.clientCert}`, `      key_file: ${certs.files.clientKey}`]
      : []),
  ];
}

interface Target {
  readonly health: string;
  readonly lastError: string;
}

async function target(base: string): Promise<Target> {
  const json = (await (await fetch(`${base}/api/v1/targets`)).json()) as {
    data: { activeTargets: Target[] };
  };
  assert.equal(json.data.activeTargets.length, 1);
  return json.data.activeTargets[0]!;
}

test('Prometheus scrapes over https with basic_auth, with and without a client certificate', async (t) => {
  const certs = await makeCertificates(t);
  const tls = { cert: certs.serverCert, key: certs.serverKey };
  for (const mutual of [false, true]) {
    const service = await startService(t, { tls: mutual ? { ...tls, clientCa: certs.ca } : tls });
    const prometheus = await startPrometheus(t, service.metricsUrl, [], {
      jobLines: jobLines(certs, 's3cret', mutual),
    });
    const stored = await query(prometheus.base, 'tls_scrapes_total');
    assert.equal(stored[0]?.value[1], '42', mutual ? 'with a client certificate' : 'server TLS only');
    assert.equal((await target(prometheus.base)).health, 'up');
  }
});

test('a wrong password leaves the target down with the 401 in its last error', async (t) => {
  const certs = await makeCertificates(t);
  const service = await startService(t, { tls: { cert: certs.serverCert, key: certs.serverKey } });
  const prometheus = await startPrometheus(t, service.metricsUrl, [], {
    jobLines: jobLines(certs, 'wrong', false),
    expectUp: false,
  });
  const up = await query(prometheus.base, 'up{job="aioprometheus"}');
  assert.equal(up[0]?.value[1], '0');
  const down = await waitFor('the target error', async () => {
    const current = await target(prometheus.base);
    return current.lastError === '' ? undefined : current;
  });
  assert.equal(down.health, 'down');
  assert.match(down.lastError, /401 Unauthorized/);
});
