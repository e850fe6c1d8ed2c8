/**
 * A stub remote-write receiver on 127.0.0.1 for unit tests: it records every request (headers
 * and the decompressed body) and answers with what the test scripts, request by request.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { decompress } from './remote-write-decoder.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The protobuf message, decompressed. */
  readonly body: Uint8Array;
}

/** Answers one request; the default answers 204. */
export type Responder = (request: ReceivedRequest, response: ServerResponse) => void;

export interface StubReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Answers the next requests with these, in order, then with the default. */
  script(...responders: Responder[]): void;
}

export const status =
  (code: number, headers: Record<string, string> = {}, body = ''): Responder =>
  (_request, response) => {
    response.writeHead(code, headers).end(body);
  };

export async function startStubReceiver(
  t: TestContext,
  fallback: Responder = status(204),
): Promise<StubReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripted: Responder[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = new Uint8Array(Buffer.concat(chunks));
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw.length === 0 ? raw : decompress(raw),
      };
      requests.push(request);
      (scripted.shift() ?? fallback)(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    requests,
    script: (...responders) => scripted.push(...responders),
  };
}
