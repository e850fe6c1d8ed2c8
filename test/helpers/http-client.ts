/**
 * Small HTTP helpers for middleware tests: real requests to 127.0.0.1, a request the client
 * abandons mid-response, and a wait until the server has recorded every request.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Gauge } from '../../src/index.js';
import { waitFor } from './processes.js';

export interface Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Listens on 127.0.0.1 on a free port, closes at test end, and returns the port. */
export async function listen(t: TestContext, server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** Sends one request and reads the whole response. */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends a request and destroys the connection as soon as the response headers arrive. */
export function abandonAfterHeaders(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => {});
    req.on('close', () => resolve(0));
    setTimeout(() => reject(new Error('no response headers within 30 s')), 30_000).unref();
    req.end();
  });
}

/** Sends a request and destroys the connection after `ms`, before any response. */
export function abandonAfter(port: number, path: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false });
    req.on('error', () => {});
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

/** Waits until no request is in flight, so every finished one has been recorded. */
export async function settled(inFlight: Gauge<'method'>, expectedTotal = 0): Promise<void> {
  await waitFor(
    'in-flight requests to drain',
    async () => {
      const total = inFlight.snapshot().points.reduce((sum, p) => sum + (p as { value: number }).value, 0);
      return total === expectedTotal ? true : undefined;
    },
    5000,
  );
  await new Promise((resolve) => setImmediate(resolve));
}

/** The sample lines of an exposition that start with `name`, for exact comparisons. */
export function samples(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((line) => line.startsWith(name));
}
