/**
 * The engine shared by `timer`, `inprogress` and `countExceptions`: one function that works as a
 * TC39 standard method decorator, a legacy (`experimentalDecorators`) method decorator, and a
 * higher-order wrapper, telling the three apart from its arguments at run time.
 */
import { describeValue } from '../errors.js';
import type { Labels } from '../model/labels.js';
import { InstrumentError } from './errors.js';
import { type InstrumentOptions, type ReportError, reporter } from './report.js';

/**
 * Labels of an instrumented call: a fixed label set, or a function of the call's arguments that
 * returns one (evaluated once per call, before the call).
 */
export type CallLabels<L extends string, A extends readonly unknown[]> =
  | Labels<NoInfer<L>>
  | ((...args: A) => Labels<NoInfer<L>>);

/** A metric type's label names, as a phantom check that a metric without labels has none. */
export interface Unlabelled {
  readonly labelNames: readonly never[];
}

/**
 * What `timer(...)`, `inprogress(...)` and `countExceptions(...)` return: apply it to a method as
 * a standard or legacy decorator, or call it on a function to get the instrumented function. The
 * result has the original parameters, return type and `this`. `A` are the parameters a label
 * function reads; the instrumented function must accept at least those.
 */
export interface Instrument<A extends readonly unknown[]> {
  /** TC39 standard method decorator (TypeScript 5+ without `experimentalDecorators`). */
  <This, Args extends [...A, ...unknown[]], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R;
  /** Legacy method decorator (`experimentalDecorators`, e.g. NestJS). */
  <This, Args extends [...A, ...unknown[]], R>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<(this: This, ...args: Args) => R>,
  ): TypedPropertyDescriptor<(this: This, ...args: Args) => R>;
  /** Wraps a plain function. */
  <This, Args extends [...A, ...unknown[]], R>(
    fn: (this: This, ...args: Args) => R,
  ): (this: This, ...args: Args) => R;
}

/**
 * Called on entry of every instrumented call with its arguments; returns the function called
 * exactly once when the call ends: `failed` is true when it threw or its promise rejected.
 */
export type CallObserver = (args: readonly unknown[]) => (failed: boolean) => void;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** What one decorator instance needs to instrument calls. */
interface Instrumentation {
  readonly decorator: string;
  readonly metric: string;
  readonly observe: CallObserver;
  readonly report: ReportError;
}

/**
 * Builds the three-form decorator around an observer. `observe` and the function it returns may
 * throw (a labels function that throws, a bad label set): the call then runs, returns and throws
 * as it would uninstrumented, and the error goes to `options.onError`.
 */
export function makeInstrument<A extends readonly unknown[]>(
  decorator: string,
  metric: { readonly name: string },
  options: InstrumentOptions,
  observe: CallObserver,
): Instrument<A> {
  const instrumentation: Instrumentation = {
    decorator,
    metric: metric.name,
    observe,
    report: reporter(options),
  };
  const instrument = (target: unknown, context?: unknown, descriptor?: unknown): unknown => {
    if (descriptor !== undefined) return decorateLegacy(instrumentation, context, descriptor);
    if (context !== undefined) {
      const kind = (context as { kind?: unknown } | null)?.kind;
      if (kind !== 'method') {
        throw new InstrumentError(decorator, `decorates methods only, not a ${String(kind ?? context)}`);
      }
    }
    if (typeof target !== 'function') {
      throw new InstrumentError(decorator, `needs a function to wrap, got ${typeof target}`);
    }
    return wrap(target as AnyFunction, instrumentation);
  };
  return instrument as Instrument<A>;
}

function decorateLegacy(instrumentation: Instrumentation, key: unknown, descriptor: unknown) {
  const method = (descriptor as PropertyDescriptor | null)?.value;
  if (typeof method !== 'function') {
    throw new InstrumentError(
      instrumentation.decorator,
      `decorates methods only; "${String(key)}" is not a method`,
    );
  }
  return { ...(descriptor as PropertyDescriptor), value: wrap(method as AnyFunction, instrumentation) };
}

/**
 * The instrumented function. A result with a `then` method is treated as a promise: the call ends
 * when it settles, and the caller gets a promise that settles the same way (the same value or
 * the same rejection reason). A synchronous throw ends the call and is rethrown unchanged.
 */
function wrap(fn: AnyFunction, instrumentation: Instrumentation): AnyFunction {
  const instrumented = function (this: unknown, ...args: unknown[]): unknown {
    const end = begin(instrumentation, fn, args);
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      finish(instrumentation, fn, end, true);
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          finish(instrumentation, fn, end, false);
          return value;
        },
        (error: unknown) => {
          finish(instrumentation, fn, end, true);
          throw error;
        },
      );
    }
    finish(instrumentation, fn, end, false);
    return result;
  };
  Object.defineProperty(instrumented, 'name', { value: fn.name });
  Object.defineProperty(instrumented, 'length', { value: fn.length });
  return instrumented;
}

type EndCall = (failed: boolean) => void;

/** Starts observing a call; undefined (and the error reported) when its labels could not be had. */
function begin(
  instrumentation: Instrumentation,
  fn: AnyFunction,
  args: readonly unknown[],
): EndCall | undefined {
  try {
    return instrumentation.observe(args);
  } catch (error) {
    report(instrumentation, fn, error);
    return undefined;
  }
}

function finish(
  instrumentation: Instrumentation,
  fn: AnyFunction,
  end: EndCall | undefined,
  failed: boolean,
) {
  if (end === undefined) return;
  try {
    end(failed);
  } catch (error) {
    report(instrumentation, fn, error);
  }
}

function report(instrumentation: Instrumentation, fn: AnyFunction, cause: unknown): void {
  const { decorator, metric } = instrumentation;
  const reason = cause instanceof Error ? cause.message : describeValue(cause);
  const call = fn.name === '' ? 'a call' : `a call of ${fn.name}`;
  instrumentation.report(
    new InstrumentError(decorator, `${call} was not recorded in metric "${metric}": ${reason}`, { cause }),
  );
}

/** The labels and options a decorator was given. */
export interface InstrumentArgs {
  readonly labels: (args: readonly unknown[]) => Readonly<Record<string, string | number>> | undefined;
  readonly options: InstrumentOptions;
}

/**
 * Reads the arguments after the metric: `(options?)` for a metric without labels, `(labels,
 * options?)` for one with them. A metric with labels needs them; one without takes none. Checked
 * when the decorator is made, so misuse fails at startup.
 */
export function instrumentArgs(
  decorator: string,
  metric: { readonly name: string; readonly labelNames: readonly string[] },
  second: unknown,
  third: unknown,
): InstrumentArgs {
  if (metric.labelNames.length === 0) {
    if (third !== undefined || (second !== undefined && !looksLikeOptions(second))) {
      throw new InstrumentError(decorator, `metric "${metric.name}" has no labels, but labels were given`);
    }
    return { labels: () => undefined, options: checkOptions(decorator, second) };
  }
  const options = checkOptions(decorator, third);
  if (typeof second === 'function') {
    const labels = second as (...a: readonly unknown[]) => Readonly<Record<string, string | number>>;
    return { labels: (args) => labels(...args), options };
  }
  if (typeof second !== 'object' || second === null) {
    throw new InstrumentError(
      decorator,
      `metric "${metric.name}" has labels {${metric.labelNames.join(', ')}}: pass a label set or a function returning one`,
    );
  }
  const fixed = second as Readonly<Record<string, string | number>>;
  return { labels: () => fixed, options };
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['onError']);

function looksLikeOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).every((k) => OPTION_KEYS.has(k));
}

function checkOptions(decorator: string, options: unknown): InstrumentOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InstrumentError(decorator, `options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new InstrumentError(decorator, `unknown option "${key}" (the options are: onError)`);
    }
  }
  const { onError } = options as { onError?: unknown };
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InstrumentError(decorator, `onError must be a function, got ${describeValue(onError)}`);
  }
  return options as InstrumentOptions;
}

/** Throws unless `metric` is one of the metric types the decorator works with. */
export function checkMetricType(decorator: string, metric: unknown, types: readonly string[]): void {
  const type = (metric as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !types.includes(type)) {
    const what =
      typeof type === 'string'
        ? `a ${type} ("${String((metric as { name?: unknown }).name)}")`
        : `${metric === null ? 'null' : typeof metric}`;
    throw new InstrumentError(decorator, `needs a ${types.join(' or ')}, got ${what}`);
  }
}
