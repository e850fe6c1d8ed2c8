/**
 * The engine shared by `timer`, `inprogress` and `countExceptions`: one function that works as a
 * TC39 standard method decorator, a legacy (`experimentalDecorators`) method decorator, and a
 * higher-order wrapper, telling the three apart from its arguments at run time.
 */
import type { Labels } from '../labels.js';
import { InstrumentError } from './errors.js';

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

/** Builds the three-form decorator around an observer. */
export function makeInstrument<A extends readonly unknown[]>(
  decorator: string,
  observe: CallObserver,
): Instrument<A> {
  const instrument = (target: unknown, context?: unknown, descriptor?: unknown): unknown => {
    if (descriptor !== undefined) return decorateLegacy(decorator, observe, context, descriptor);
    if (context !== undefined) {
      const kind = (context as { kind?: unknown } | null)?.kind;
      if (kind !== 'method') {
        throw new InstrumentError(decorator, `decorates methods only, not a ${String(kind ?? context)}`);
      }
    }
    if (typeof target !== 'function') {
      throw new InstrumentError(decorator, `needs a function to wrap, got ${typeof target}`);
    }
    return wrap(target as AnyFunction, observe);
  };
  return instrument as Instrument<A>;
}

function decorateLegacy(decorator: string, observe: CallObserver, key: unknown, descriptor: unknown) {
  const method = (descriptor as PropertyDescriptor | null)?.value;
  if (typeof method !== 'function') {
    throw new InstrumentError(decorator, `decorates methods only; "${String(key)}" is not a method`);
  }
  return { ...(descriptor as PropertyDescriptor), value: wrap(method as AnyFunction, observe) };
}

/**
 * The instrumented function. A result with a `then` method is treated as a promise: the call ends
 * when it settles, and the caller gets a promise that settles the same way (the same value or
 * the same rejection reason). A synchronous throw ends the call and is rethrown unchanged.
 */
function wrap(fn: AnyFunction, observe: CallObserver): AnyFunction {
  const instrumented = function (this: unknown, ...args: unknown[]): unknown {
    const end = observe(args);
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      end(true);
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          end(false);
          return value;
        },
        (error: unknown) => {
          end(true);
          throw error;
        },
      );
    }
    end(false);
    return result;
  };
  Object.defineProperty(instrumented, 'name', { value: fn.name });
  Object.defineProperty(instrumented, 'length', { value: fn.length });
  return instrumented;
}

/**
 * Resolves the labels option into a per-call function. A metric with labels needs them; one
 * without takes none. Checked when the decorator is made, so misuse fails at startup.
 */
export function labelResolver(
  decorator: string,
  metric: { readonly name: string; readonly labelNames: readonly string[] },
  labels: unknown,
): (args: readonly unknown[]) => Readonly<Record<string, string | number>> | undefined {
  if (metric.labelNames.length === 0) {
    if (labels !== undefined) {
      throw new InstrumentError(decorator, `metric "${metric.name}" has no labels, but labels were given`);
    }
    return () => undefined;
  }
  if (typeof labels === 'function') {
    return (args) =>
      (labels as (...a: readonly unknown[]) => Readonly<Record<string, string | number>>)(...args);
  }
  if (typeof labels !== 'object' || labels === null) {
    throw new InstrumentError(
      decorator,
      `metric "${metric.name}" has labels {${metric.labelNames.join(', ')}}: pass a label set or a function returning one`,
    );
  }
  const fixed = labels as Readonly<Record<string, string | number>>;
  return () => fixed;
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
