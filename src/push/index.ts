/**
 * `aioprometheus/push`: a Pushgateway client for batch jobs.
 *
 * @example
 * ```ts
 * import { Registry } from 'aioprometheus';
 * import { Pusher } from 'aioprometheus/push';
 *
 * const registry = new Registry();
 * const pusher = new Pusher({ url: 'http://127.0.0.1:9091', job: 'nightly-backup' });
 * await pusher.replace(registry);
 * ```
 */
export type { PushFormat } from './body.js';
export {
  isPushCollectError,
  isPushConfigError,
  isPushError,
  isPushRequestError,
  isPushValidationError,
  PushCollectError,
  PushConfigError,
  PushError,
  type PushErrorDetails,
  PushRequestError,
  PushValidationError,
} from './errors.js';
export type { GroupingKey } from './grouping.js';
export { Pusher, type PusherOptions, type PushSource } from './pusher.js';
export type { FetchFunction } from './request.js';
