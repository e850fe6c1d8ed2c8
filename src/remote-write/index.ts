/**
 * `aioprometheus/remote-write`: sends metrics to a Prometheus remote-write receiver, for
 * processes nothing scrapes. Runs on Node, Bun, Deno and Workers (it needs only `fetch`).
 *
 * @example
 * ```ts
 * import { RemoteWriter } from 'aioprometheus/remote-write';
 *
 * const token = process.env.REMOTE_WRITE_TOKEN ?? '';
 * const writer = new RemoteWriter({ url: 'https://prom.example/api/v1/write', bearerToken: token });
 * writer.start();
 * await writer.stop();
 * ```
 */

export type { Credentials } from './config.js';
export {
  isRemoteWriteConfigError,
  isRemoteWriteDroppedError,
  isRemoteWriteError,
  isRemoteWriteRedirectError,
  isRemoteWriteRequestError,
  isRemoteWriteValidationError,
  RemoteWriteConfigError,
  RemoteWriteDroppedError,
  RemoteWriteError,
  RemoteWriteRedirectError,
  RemoteWriteRequestError,
  RemoteWriteValidationError,
} from './errors.js';
export type { FetchFunction, FetchResponse } from './transport.js';
export {
  isRemoteWriteFlushError,
  RemoteWriteFlushError,
  type RemoteWriteProtocol,
  RemoteWriter,
  type RemoteWriterOptions,
  USER_AGENT,
} from './writer.js';
