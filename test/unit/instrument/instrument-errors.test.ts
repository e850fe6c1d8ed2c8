/**
 * A decorator whose labels cannot be had must leave the call as it is: the caller gets the
 * function's own result or exception, and the instrumentation error goes to `onError` (default:
 * one process warning per decorator). Every decorator, sync and async, wrapper and standard
 * decorator forms; the legacy form is in test/legacy-decorators/legacy.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Counter,
  countExceptions,
  Gauge,
  Histogram,
  type Instrument,
  InstrumentError,
  inprogress,
  isLabelError,
  Registry,
  timer,
} from '../../../src/index.js';

type Body = (this: unknown, mode: string) => unknown;
type AnyInstrument = Instrument<[string]>;
type BadLabels = (mode: string) => { kind: string };

function metrics() {
  const registry = new Registry();
  return {
    registry,
    latency: new Histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['kind'] as const, registry }),
    running: new Gauge({ name: 'running', help: 'R.', labelNames: ['kind'] as const, registry }),
    failures: new Counter({ name: 'failures_total', help: 'F.', labelNames: ['kind'] as const, registry }),
  };
}

const DECORATORS = {
  timer: (m: ReturnType<typeof metrics>, labels: BadLabels, onError: (e: InstrumentError) => void) =>
    timer(m.latency, labels, { onError }),
  inprogress: (m: ReturnType<typeof metrics>, labels: BadLabels, onError: (e: InstrumentError) => void) =>
    inprogress(m.running, labels, { onError }),
  countExceptions: (
    m: ReturnType<typeof metrics>,
    labels: BadLabels,
    onError: (e: InstrumentError) => void,
  ) => countExceptions(m.failures, labels, { onError }),
} as const;

const LABELS: Record<string, { labels: BadLabels; cause: (e: unknown) => boolean }> = {
  'a labels function that throws': {
    labels: () => {
      throw new RangeError('labels broke');
    },
    cause: (e) => e instanceof RangeError && e.message === 'labels broke',
  },
  'a labels function that returns a bad label set': {
    labels: () => ({ wrong: 'x' }) as unknown as { kind: string },
    cause: isLabelError,
  },
};

const ownError = new TypeError('the function failed');

/** The function under instrumentation, in each of the four ways a call can end. */
const BODIES: Record<string, { body: Body; fails: boolean; async: boolean }> = {
  'a sync return': { body: (mode) => `result ${mode}`, fails: false, async: false },
  'a sync throw': {
    body: () => {
      throw ownError;
    },
    fails: true,
    async: false,
  },
  'an async resolve': { body: async (mode) => `result ${mode}`, fails: false, async: true },
  'an async reject': {
    body: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw ownError;
    },
    fails: true,
    async: true,
  },
};

/** Applies the instrument as a wrapper, or as a standard decorator on a method. */
const FORMS: Record<string, (instrument: AnyInstrument, body: Body) => (mode: string) => unknown> = {
  wrapper: (instrument, body) => instrument(body),
  'standard decorator': (instrument, body) => {
    class Service {
      @instrument
      run(mode: string): unknown {
        return body.call(this, mode);
      }
    }
    const service = new Service();
    return (mode) => service.run(mode);
  },
};

async function outcome(call: () => unknown, async: boolean) {
  let value: unknown;
  try {
    value = call();
  } catch (error) {
    return { threw: error };
  }
  if (!async) return { returned: value };
  assert.ok(value instanceof Promise, 'an async function still returns a promise');
  try {
    return { resolved: await value };
  } catch (error) {
    return { rejected: error };
  }
}

describe('decorators whose labels fail never change the call', () => {
  for (const [decoratorName, make] of Object.entries(DECORATORS)) {
    for (const [labelsName, { labels, cause }] of Object.entries(LABELS)) {
      for (const [formName, apply] of Object.entries(FORMS)) {
        it(`${decoratorName} with ${labelsName}, as a ${formName}`, async () => {
          for (const [bodyName, { body, fails, async }] of Object.entries(BODIES)) {
            const m = metrics();
            const reported: InstrumentError[] = [];
            const call = apply(make(m, labels, (e) => reported.push(e)) as AnyInstrument, body);
            const expected = fails
              ? { [async ? 'rejected' : 'threw']: ownError }
              : { [async ? 'resolved' : 'returned']: 'result a' };
            assert.deepEqual(await outcome(() => call('a'), async), expected, bodyName);
            if (fails) {
              const got = await outcome(() => call('a'), async);
              assert.equal(Object.values(got)[0], ownError, `${bodyName}: the very same error object`);
            }
            // countExceptions reads a label set only to count a failure; a throwing labels
            // function is reported on every call.
            const reads = decoratorName !== 'countExceptions' || fails || labelsName.includes('throws');
            const calls = fails ? 2 : 1;
            assert.equal(reported.length, reads ? calls : 0, `${bodyName}: reports`);
            for (const error of reported) {
              assert.ok(error instanceof InstrumentError, bodyName);
              assert.ok(cause(error.cause), `${bodyName}: the cause is the original error`);
              assert.match(
                error.message,
                new RegExp(`^${decoratorName}: a call of \\w+ was not recorded in metric "`),
              );
            }
            assert.deepEqual(
              (await m.registry.collect()).map((f) => f.points.length),
              [0, 0, 0],
              `${bodyName}: nothing recorded`,
            );
          }
        });
      }
    }
  }

  it('by default warns once per decorator, through process warnings', async () => {
    const m = metrics();
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const broken = () => {
        throw new Error('no labels today');
      };
      const first = timer(m.latency, broken)((x: number) => x + 1);
      const second = countExceptions(m.failures, broken)(() => 'fine');
      assert.equal(first(1), 2);
      assert.equal(first(2), 3);
      assert.equal(second(), 'fine');
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(
      warnings.map((w) => [w.name, w.message]),
      [
        ['InstrumentError', 'timer: a call was not recorded in metric "latency_seconds": no labels today'],
        [
          'InstrumentError',
          'countExceptions: a call was not recorded in metric "failures_total": no labels today',
        ],
      ],
    );
  });

  it('an onError that throws does not reach the call', async () => {
    const m = metrics();
    const run = inprogress(m.running, () => ({}) as { kind: string }, {
      onError: () => {
        throw new Error('the reporter broke');
      },
    })(async () => 'still fine');
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      assert.equal(await run(), 'still fine');
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['the reporter broke'],
    );
  });

  it('refuses unknown or bad options when the decorator is made', () => {
    const m = metrics();
    const unlabelled = new Histogram({ name: 'plain_seconds', help: 'P.', registry: m.registry });
    assert.throws(() => timer(m.latency, { kind: 'a' }, { onErr: () => {} } as never), {
      name: 'InstrumentError',
      message: 'timer: unknown option "onErr" (the options are: onError)',
    });
    assert.throws(() => inprogress(m.running, { kind: 'a' }, { onError: 'log' } as never), {
      name: 'InstrumentError',
      message: 'inprogress: onError must be a function, got "log"',
    });
    const reported: unknown[] = [];
    const timed = timer(unlabelled, { onError: (e) => reported.push(e) })(() => 'ok');
    assert.equal(timed(), 'ok');
    assert.equal(unlabelled.get().count, 1);
    assert.deepEqual(reported, []);
  });
});
