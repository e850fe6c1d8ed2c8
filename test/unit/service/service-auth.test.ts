import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { Counter, Registry } from '../../../src/index.js';
import { isServiceOptionError, Service, type ServiceOptions } from '../../../src/service/index.js';
import { makeCertificates } from '../../helpers/certs.js';

function registry(): Registry {
  const r = new Registry();
  new Counter({ name: 'secret_total', help: 'Secret.', registry: r }).inc();
  return r;
}

async function started(options: ServiceOptions): Promise<Service> {
  const service = new Service({ registry: registry(), ...options });
  await service.start();
  after(() => service.stop());
  return service;
}

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// Cost 4 keeps the tests fast; the checks are the same at any cost.
const USERS = { prometheus: bcrypt.hashSync('s3cret', 4), other: bcrypt.hashSync('x', 4) };

describe('basic auth', () => {
  test('every route needs a configured user and password; 401 carries WWW-Authenticate', async () => {
    const service = await started({ basicAuth: { users: USERS } });
    for (const url of [service.metricsUrl, service.rootUrl, `${service.baseUrl}/robots.txt`]) {
      for (const authorization of [
        undefined,
        basic('prometheus', 'wrong'),
        basic('nobody', 's3cret'),
        'Bearer abc',
        'Basic !!!',
      ]) {
        const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
        assert.equal(response.status, 401, `${url} with ${authorization}`);
        assert.equal(response.headers.get('www-authenticate'), 'Basic realm="metrics", charset="UTF-8"');
        assert.doesNotMatch(await response.text(), /secret_total/);
      }
    }
    const ok = await fetch(service.metricsUrl, { headers: { authorization: basic('prometheus', 's3cret') } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /^secret_total 1$/m);
    // The remembered success does not admit another password for the same user.
    const after = await fetch(service.metricsUrl, {
      headers: { authorization: basic('prometheus', 's3cret2') },
    });
    assert.equal(after.status, 401);
    const again = await fetch(service.metricsUrl, {
      headers: { authorization: basic('prometheus', 's3cret') },
    });
    assert.equal(again.status, 200);
  });

  test('a password containing ":" is split at the first colon, as RFC 7617 says', async () => {
    const service = await started({ basicAuth: { users: { u: bcrypt.hashSync('a:b', 4) } } });
    const response = await fetch(service.metricsUrl, { headers: { authorization: basic('u', 'a:b') } });
    assert.equal(response.status, 200);
  });

  test('refuses hashes that are not bcrypt, and an empty user table', () => {
    assert.throws(
      () => new Service({ basicAuth: { users: { prometheus: 's3cret' } } }),
      (e: unknown) =>
        isServiceOptionError(e) &&
        /basicAuth\.users\["prometheus"\] must be a bcrypt hash .*"s3cret"/.test(String(e)),
    );
    assert.throws(() => new Service({ basicAuth: { users: {} } }), isServiceOptionError);
    assert.throws(() => new Service({ basicAuth: { users: { 'a:b': USERS.other } } }), isServiceOptionError);
  });
});

function httpsGet(
  url: string,
  options: { ca: string; cert?: string; key?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...options, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  test('serves https with the given certificate; with clientCa a client certificate is required', async (t) => {
    const certs = await makeCertificates(t);
    const service = await started({ tls: { cert: certs.serverCert, key: certs.serverKey } });
    assert.match(service.metricsUrl, /^https:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const reply = await httpsGet(service.metricsUrl, { ca: certs.ca });
    assert.equal(reply.status, 200);
    assert.match(reply.body, /^secret_total 1$/m);

    const mutual = await started({
      tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca, minVersion: 'TLSv1.3' },
    });
    await assert.rejects(httpsGet(mutual.metricsUrl, { ca: certs.ca }));
    const withCert = await httpsGet(mutual.metricsUrl, {
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    });
    assert.equal(withCert.status, 200);
  });

  test('refuses a certificate or key that is not PEM, without echoing the key', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----\n';
    assert.throws(
      () => new Service({ tls: { cert: 'not a certificate', key } }),
      (e: unknown) =>
        isServiceOptionError(e) && /tls\.cert must be PEM text with a CERTIFICATE block/.test(String(e)),
    );
    assert.throws(
      () => new Service({ tls: { cert: key, key: 'nope' } }),
      (e: unknown) => isServiceOptionError(e) && !String(e).includes('secret-material'),
    );
    const cert = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';
    assert.throws(
      // @ts-expect-error: an unsupported version is refused at run time too.
      () => new Service({ tls: { cert, key, minVersion: 'TLSv1' } }),
      isServiceOptionError,
    );
  });
});
