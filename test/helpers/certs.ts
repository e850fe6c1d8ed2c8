/**
 * Test certificates made with the openssl CLI in a temporary directory: a CA, a server
 * certificate for 127.0.0.1 and a client certificate, all signed by the CA.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findBinary, run, tempDir } from './processes.js';

export interface TestCertificates {
  readonly dir: string;
  /** File paths, for Prometheus' tls_config. */
  readonly files: { readonly ca: string; readonly clientCert: string; readonly clientKey: string };
  /** PEM texts, for the Service and node clients. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

export async function makeCertificates(t: TestContext): Promise<TestCertificates> {
  const openssl = findBinary('openssl');
  assert.ok(openssl, 'openssl is not installed');
  const dir = await tempDir(t, 'certs');
  const at = (name: string): string => join(dir, name);
  const ssl = async (...args: string[]): Promise<void> => {
    const result = await run(openssl, args);
    assert.equal(result.code, 0, `openssl ${args.join(' ')}: ${result.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=aioprometheus test CA',
  );
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await writeFile(at('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'prometheus'],
  ] as const) {
    await ssl('req', ...ec, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${cn}`);
    await ssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      at(`${name}.ext`),
    );
  }
  const read = (name: string): Promise<string> => readFile(at(name), 'utf8');
  return {
    dir,
    files: { ca: at('ca.crt'), clientCert: at('client.crt'), clientKey: at('client.key') },
    ca: await read('ca.crt'),
    serverCert: await read('server.crt'),
    serverKey: await read('server.key'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
  };
}
