/**
 * TLS for the Service, with the settings of Prometheus' exporter-toolkit web config: a server
 * certificate and key, an optional client CA that makes client certificates required (mutual
 * TLS), and a minimum protocol version (default TLS 1.2).
 */
import type { SecureVersion, TlsOptions } from 'node:tls';
import { ServiceOptionError } from './errors.js';

/** PEM text, as a string or the bytes of a file. */
export type Pem = string | Uint8Array;

/** The Service's `tls` option. Read files yourself: `{ cert: readFileSync('server.crt'), ... }`. */
export interface ServiceTlsOptions {
  /** The server certificate chain, PEM. */
  readonly cert: Pem;
  /** The server's private key, PEM. */
  readonly key: Pem;
  /**
   * CA certificates (PEM) that client certificates must chain to. When given, every client must
   * present a valid certificate (exporter-toolkit's `RequireAndVerifyClientCert`).
   */
  readonly clientCa?: Pem;
  /** The lowest TLS version accepted. Default `'TLSv1.2'`. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

const VERSIONS: readonly SecureVersion[] = ['TLSv1.2', 'TLSv1.3'];

/** Node's TLS server options for the Service's `tls`; throws ServiceOptionError for a bad value. */
export function serverTlsOptions(tls: ServiceTlsOptions): TlsOptions {
  if (typeof tls !== 'object' || tls === null) {
    throw new ServiceOptionError('tls', tls, 'an object with cert and key');
  }
  const cert = checkPem('tls.cert', tls.cert, 'CERTIFICATE');
  const key = checkPem('tls.key', tls.key, 'PRIVATE KEY');
  const minVersion = tls.minVersion ?? 'TLSv1.2';
  if (!VERSIONS.includes(minVersion)) {
    throw new ServiceOptionError('tls.minVersion', minVersion, "'TLSv1.2' or 'TLSv1.3'");
  }
  const options: TlsOptions = { cert, key, minVersion };
  if (tls.clientCa === undefined) return options;
  const ca = checkPem('tls.clientCa', tls.clientCa, 'CERTIFICATE');
  return { ...options, ca, requestCert: true, rejectUnauthorized: true };
}

/** The PEM as a string, after checking it holds a block of `kind` (a key may be "RSA PRIVATE KEY" etc.). */
function checkPem(option: string, value: unknown, kind: string): string {
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Uint8Array
        ? new TextDecoder().decode(value)
        : undefined;
  if (text === undefined || !new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new ServiceOptionError(option, summarize(value), `PEM text with a ${kind} block`);
  }
  return text;
}

/** Keys must not end up in error messages: only the kind and size of a bad value is shown. */
function summarize(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  return String(value);
}
