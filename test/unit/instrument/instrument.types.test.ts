/**
 * Compile-time checks of the instrumentation decorators, proven by `npx tsc -p .`: every
 * `@ts-expect-error` line must stay an error. The runtime test only makes the file load.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  Counter,
  countExceptions,
  Gauge,
  Histogram,
  type InstrumentError,
  inprogress,
  Registry,
  Summary,
  timer,
} from '../../../src/index.js';

const registry = new Registry();
const plain = new Histogram({ name: 'plain_seconds', help: 'h', registry });
const routed = new Histogram({ name: 'routed_seconds', help: 'h', labelNames: ['route'] as const, registry });
const summary = new Summary({ name: 'summary_seconds', help: 's', registry });
const gauge = new Gauge({ name: 'gauge', help: 'g', registry });
const counter = new Counter({ name: 'errors_total', help: 'c', registry });
const byKind = new Counter({ name: 'by_kind_total', help: 'c', labelNames: ['kind'] as const, registry });

// The wrapper keeps parameters, return type and `this`.
const wrapped = timer(plain)(async (a: number, b: string): Promise<string> => `${a}${b}`);
const result: Promise<string> = wrapped(1, 'x');
const withThis = inprogress(gauge)(function (this: { n: number }, k: number) {
  return this.n * k;
});
const holder = { n: 2, withThis };
const n: number = holder.withThis(3);

// Standard method decorators keep the method's type.
class Service {
  @timer(routed, { route: '/users' })
  @countExceptions(byKind, (kind: string) => ({ kind }))
  async load(kind: string): Promise<number> {
    return kind.length;
  }
}
const loaded: Promise<number> = new Service().load('a');

/** Never called: its lines only have to type-check (or fail to, where marked). */
export function compileOnly(): void {
  // @ts-expect-error -- the wrapped function keeps its parameter types
  wrapped('1', 'x');
  // @ts-expect-error -- `this` is kept too
  withThis(3);

  // Wrong metric types are compile errors.
  // @ts-expect-error -- timer needs a Histogram or Summary
  timer(counter);
  // @ts-expect-error -- timer needs a Histogram or Summary
  timer(gauge);
  // @ts-expect-error -- inprogress needs a Gauge
  inprogress(plain);
  // @ts-expect-error -- countExceptions needs a Counter
  countExceptions(gauge);
  timer(summary);

  // Labels are checked against the metric's label names.
  timer(routed, { route: '/x' });
  // @ts-expect-error -- a labelled metric needs labels
  timer(routed);
  // @ts-expect-error -- misspelt label name
  timer(routed, { rout: '/x' });
  // @ts-expect-error -- extra label
  timer(routed, { route: '/x', extra: 'y' });
  // @ts-expect-error -- a metric without labels takes none
  timer(plain, { route: '/x' });

  // A label function reads the call's arguments; the function must accept them.
  const byRoute = timer(routed, (route: string) => ({ route }));
  byRoute((route: string, _body: unknown) => route);
  // @ts-expect-error -- the label function reads a string, the function takes a number
  byRoute((id: number) => id);
  // @ts-expect-error -- the label function must return the metric's labels
  countExceptions(byKind, (kind: string) => ({ type: kind }));

  // Options follow the labels, or the metric when it has none.
  const onError = (error: InstrumentError) => void error.cause;
  timer(plain, { onError });
  inprogress(gauge, { onError });
  countExceptions(byKind, { kind: 'a' }, { onError });
  // @ts-expect-error -- a labelled metric takes its labels before the options
  timer(routed, { onError });
  // @ts-expect-error -- an unknown option
  countExceptions(counter, { onErr: onError });
}

it('type-checks (see the @ts-expect-error lines)', async () => {
  assert.equal(await result, '1x');
  assert.equal(n, 6);
  assert.equal(await loaded, 1);
});
