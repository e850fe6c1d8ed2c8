/**
 * Checks of the series lifecycle options (`maxSeries`, `ttlSeconds`), shared by metrics and by the
 * registry defaults. Each returns the value, or undefined when it was not given.
 */
import { describeValue } from '../errors.js';

/** Throws the caller's error type with a message that names the option and the value. */
export type Fail = (message: string) => never;

/** A positive integer, or Infinity for no cap. */
export function checkMaxSeries(option: string, value: unknown, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1))
  ) {
    fail(`${option} must be a positive integer or Infinity, got ${describeValue(value)}`);
  }
  return value;
}

/** A positive number of seconds, or Infinity for never. */
export function checkTtlSeconds(option: string, value: unknown, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0)) {
    fail(`${option} must be a positive number of seconds or Infinity, got ${describeValue(value)}`);
  }
  return value;
}
