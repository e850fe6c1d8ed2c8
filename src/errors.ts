/**
 * Error classes, and the parts every module's errors share. Each class has a literal `name`, and
 * the `is*` guards test that name, so they work when both the ESM and the CJS copy of the library
 * are loaded in one process.
 */

/** An error about one metric or metric family: its message starts with `metric "<name>": `. */
export abstract class MetricScopedError extends Error {
  constructor(
    /** The metric or metric family the error is about. */
    readonly metric: string,
    message: string,
  ) {
    super(`metric "${metric}": ${message}`);
  }
}

/** An option with a value that cannot be used: the message names the option, what it must be, and the value. */
export abstract class OptionValueError extends Error {
  constructor(
    /** Whose option, as the message starts: `Service option`, for example. */
    owner: string,
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${owner} ${option} must be ${expected} (got ${describeValue(value)})`);
  }
}

/** A metric was defined wrongly: bad name, reserved or duplicate label name, bad buckets or quantiles. */
export class MetricDefinitionError extends MetricScopedError {
  override readonly name = 'MetricDefinitionError' as const;
}

/** A call passed a label set that does not match the metric's label names, or a bad label value. */
export class LabelError extends MetricScopedError {
  override readonly name = 'LabelError' as const;
}

/** A value was refused: a negative counter increment, NaN, or something that is not a number. */
export class InvalidValueError extends MetricScopedError {
  override readonly name = 'InvalidValueError' as const;
  constructor(
    metric: string,
    readonly value: unknown,
    message: string,
  ) {
    super(metric, `${message} (got ${describeValue(value)})`);
  }
}

/** A collector was registered under a name that another collector already holds. */
export class DuplicateRegistrationError extends Error {
  override readonly name = 'DuplicateRegistrationError' as const;
  constructor(
    readonly metricName: string,
    /** The collector that holds the name. */
    readonly existing: unknown,
  ) {
    super(`a different collector is already registered under the name "${metricName}"`);
  }
}

/**
 * A metric was defined again under the name of a registered metric, with another definition (a
 * definition equal in every setting shares the registered metric's series instead).
 */
export class MetricRedefinitionError extends Error {
  override readonly name = 'MetricRedefinitionError' as const;
  constructor(
    readonly metric: string,
    /** The registered metric. */
    readonly existing: unknown,
    /** Each setting that differs, with its registered and its new value. */
    readonly differences: readonly string[],
  ) {
    super(
      `metric "${metric}" is already registered with another definition (${differences.join('; ')}); give the new one another name or unregister the old one first`,
    );
  }
}

/** A Registry was constructed with a bad option (e.g. `defaultMaxSeries: 0`). */
export class RegistryOptionError extends Error {
  override readonly name = 'RegistryOptionError' as const;
  constructor(message: string) {
    super(`registry: ${message}`);
  }
}

/**
 * One or more collectors failed during a collection. `families` holds what the others produced,
 * so a caller may still serve a partial exposition.
 */
export class CollectError extends AggregateError {
  override readonly name = 'CollectError' as const;
  constructor(
    errors: readonly unknown[],
    readonly families: readonly import('./model/family.js').MetricFamily[],
  ) {
    super(errors, `${errors.length} collector(s) failed: ${errors.map(describeError).join('; ')}`);
  }
}

/**
 * A collector returned something that cannot be exposed: not an array of families, or a family
 * with a bad name, label, unit, help text or value. The registry reports it inside a CollectError
 * and leaves the family out, so it is never written.
 */
export class CollectorOutputError extends Error {
  override readonly name = 'CollectorOutputError' as const;
  constructor(
    /** Which collector: its class name and the family names it describes, or its registration number. */
    readonly collector: string,
    /** The family's name as the collector gave it; undefined when the whole output was refused. */
    readonly family: string | undefined,
    /** What is wrong. */
    readonly problem: string,
  ) {
    super(
      family === undefined
        ? `${collector}: ${problem}`
        : `${collector}, metric family ${JSON.stringify(family.length > 100 ? `${family.slice(0, 100)}…` : family)}: ${problem}`,
    );
  }
}

/**
 * A collector did not finish within the collection's time limit (a scrape's deadline); its
 * families were left out of that collection. `families` names what it describes, when it does.
 */
export class CollectTimeoutError extends Error {
  override readonly name = 'CollectTimeoutError' as const;
  constructor(
    readonly families: readonly string[],
    readonly timeoutMs: number,
  ) {
    const which = families.length > 0 ? `the collector of ${families.join(', ')}` : 'a collector';
    super(`${which} did not finish within the scrape deadline of ${Math.round(timeoutMs)} ms`);
  }
}

/**
 * A protobuf exposition could not be decoded: it is truncated, or not a delimited stream of
 * `io.prometheus.client.MetricFamily` messages. `offset` is the byte where the problem lies.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError' as const;
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(`protobuf exposition, byte ${offset}: ${message}`);
  }
}

/** The message of an error, or the text of a thrown non-error. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The message of an error and of the error that caused it (Node's fetch hides ECONNREFUSED there). */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Object.prototype.toString.call(value);
}

/** Whether `e` is an error object named `name`: the cross-copy (ESM/CJS) test behind every `is…` guard. */
export function hasErrorName(e: unknown, name: string): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
}

/**
 * The `is…` guard of an error class, by its literal name: `errorGuard<LabelError>('LabelError')`.
 * The name is checked against the class's `name` type, so a guard cannot test a misspelt name.
 */
export function errorGuard<E extends Error>(name: E['name']): (e: unknown) => e is E {
  return (e: unknown): e is E => hasErrorName(e, name);
}

export const isMetricDefinitionError = errorGuard<MetricDefinitionError>('MetricDefinitionError');
export const isLabelError = errorGuard<LabelError>('LabelError');
export const isInvalidValueError = errorGuard<InvalidValueError>('InvalidValueError');
export const isDuplicateRegistrationError = errorGuard<DuplicateRegistrationError>(
  'DuplicateRegistrationError',
);
export const isMetricRedefinitionError = errorGuard<MetricRedefinitionError>('MetricRedefinitionError');
export const isRegistryOptionError = errorGuard<RegistryOptionError>('RegistryOptionError');
export const isCollectError = errorGuard<CollectError>('CollectError');
export const isCollectorOutputError = errorGuard<CollectorOutputError>('CollectorOutputError');
export const isCollectTimeoutError = errorGuard<CollectTimeoutError>('CollectTimeoutError');
export const isProtobufDecodeError = errorGuard<ProtobufDecodeError>('ProtobufDecodeError');
