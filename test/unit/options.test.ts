/**
 * Option checking: unknown keys (prom-client habits such as `registers`, `percentiles`,
 * `register`) and malformed definitions are a MetricDefinitionError naming the metric, the key
 * and the option meant, and nothing is registered then.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  isMetricDefinitionError,
  REGISTRY,
  Registry,
  Summary,
} from '../../src/index.js';
import { checkOptionKeys } from '../../src/options.js';
import { metricsHandler, Service } from '../../src/service/index.js';

/** The error is a MetricDefinitionError for `metric` whose message matches every pattern. */
function definitionError(metric: string, ...patterns: RegExp[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isMetricDefinitionError(e), String(e));
    assert.equal(e.metric, metric);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

const construct = {
  Counter: (o: object) => new Counter(o as never),
  Gauge: (o: object) => new Gauge(o as never),
  Histogram: (o: object) => new Histogram(o as never),
  Summary: (o: object) => new Summary(o as never),
};

describe('unknown option keys', () => {
  test('prom-client’s `registers` names `registry`, and the metric lands nowhere', () => {
    const reg = new Registry();
    for (const [kind, make] of Object.entries(construct)) {
      const name = `opt_${kind.toLowerCase()}_total`;
      assert.throws(
        () => make({ name, help: 'h', registers: [reg] }),
        definitionError(name, new RegExp(`unknown ${kind} option "registers"; did you mean "registry"\\?`)),
      );
      assert.equal(REGISTRY.get(name), undefined);
    }
  });

  test('`percentiles` on a summary names `quantiles`', () => {
    assert.throws(
      () => new Summary({ name: 's', help: 'h', percentiles: [0.5], registry: null } as never),
      definitionError('s', /option "percentiles"; did you mean "quantiles"\?/),
    );
  });

  test('typos suggest the closest known option; unrelated keys list the known ones', () => {
    assert.throws(
      () => new Histogram({ name: 'h', help: 'h', bucket: [1], registry: null } as never),
      definitionError('h', /"bucket"; did you mean "buckets"\?/),
    );
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', labelnames: ['a'], registry: null } as never),
      definitionError('g', /"labelnames"; did you mean "labelNames"\?/),
    );
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', aggregator: 'sum', registry: null } as never),
      definitionError(
        'g',
        /unknown Gauge option "aggregator" \(known: clock, collect, constLabels, help, labelNames/,
      ),
    );
  });

  test('a type’s own options are refused on another type', () => {
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', buckets: [1], registry: null } as never),
      definitionError('g', /unknown Gauge option "buckets"/),
    );
    assert.throws(
      () => new Counter({ name: 'c', help: 'h', quantiles: [0.5], registry: null } as never),
      definitionError('c', /unknown Counter option "quantiles"/),
    );
  });

  test('native histogram options are checked too', () => {
    assert.throws(
      () => new Histogram({ name: 'n', help: 'h', native: { bucketfactor: 1.1 }, registry: null } as never),
      definitionError('n', /native histogram option "bucketfactor"; did you mean "bucketFactor"\?/),
    );
  });

  test('every documented option is accepted', () => {
    const registry = new Registry();
    const common = { labelNames: ['a'], constLabels: { c: 'x' }, registry, collect: () => {} };
    new Counter({ name: 'ok_seconds_total', help: 'h', unit: 'seconds', ...common });
    new Gauge({ name: 'ok_gauge', help: 'h', ...common });
    new Histogram({
      name: 'ok_hist',
      help: 'h',
      buckets: [1],
      native: {
        bucketFactor: 1.1,
        zeroThreshold: 0,
        maxBuckets: 10,
        minResetDurationSeconds: 0,
        maxZeroThreshold: 0,
      },
      ...common,
    });
    new Summary({
      name: 'ok_summary',
      help: 'h',
      quantiles: [0.5],
      relativeAccuracy: 0.01,
      maxAgeSeconds: 60,
      ageBuckets: 2,
      ...common,
    });
    assert.equal(registry.get('ok_summary') !== undefined, true);
  });

  test('collectDefaultMetrics({ register }) names `registry` and registers nothing', () => {
    const reg = new Registry();
    const before = REGISTRY.get('process_cpu_seconds_total');
    assert.throws(
      () => collectDefaultMetrics({ register: reg } as never),
      definitionError('collectDefaultMetrics', /option "register"; did you mean "registry"\?/),
    );
    assert.equal(REGISTRY.get('process_cpu_seconds_total'), before);
    assert.throws(
      () => collectDefaultMetrics({ registry: {} as Registry }),
      definitionError('collectDefaultMetrics', /registry must be a Registry/),
    );
  });

  test('Service, Service.start and metricsHandler refuse unknown keys', async () => {
    assert.throws(
      () => new Service({ registy: new Registry() } as never),
      definitionError('Service', /"registy"; did you mean "registry"\?/),
    );
    assert.throws(
      () => metricsHandler(new Registry(), { compress: false } as never),
      definitionError('metricsHandler', /"compress"; did you mean "compression"\?/),
    );
    const service = new Service({ registry: new Registry(), stopTimeoutMs: 100, compression: false });
    await assert.rejects(
      service.start({ hostname: '127.0.0.1' } as never),
      definitionError('Service.start', /"hostname"; did you mean "host"\?/),
    );
  });

  test('the checker reports own keys only, through the given error', () => {
    const inherited = Object.create({ registers: 1 }) as object;
    assert.doesNotThrow(() => checkOptionKeys('X', inherited, [], {}, (m) => new Error(m)));
    assert.throws(
      () => checkOptionKeys('X', { b: 1 }, ['a'], { b: 'a' }, (m) => new RangeError(m)),
      (e: unknown) => e instanceof RangeError && /unknown X option "b"; did you mean "a"\?/.test(e.message),
    );
  });
});

describe('malformed definitions', () => {
  test('labelNames must be an array: a string is not split into one label per character', () => {
    assert.throws(
      () => new Counter({ name: 'c', help: 'h', labelNames: 'ab' as never, registry: null }),
      definitionError('c_total', /labelNames must be an array of label names, got "ab"/),
    );
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', labelNames: [1] as never, registry: null }),
      definitionError('g', /invalid label name 1/),
    );
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', constLabels: ['x'] as never, registry: null }),
      definitionError('g', /constLabels must be an object/),
    );
  });

  test('a counter named `_total` is refused: its OpenMetrics name would be empty', () => {
    assert.throws(
      () => new Counter({ name: '_total', help: 'h', registry: null }),
      definitionError('_total', /needs a name before "_total"/),
    );
    assert.doesNotThrow(() => new Counter({ name: '_', help: 'h', registry: null }));
  });

  test('HELP with a lone surrogate is refused, not turned into U+FFFD', () => {
    for (const help of ['bad \ud800', '\udc00 bad']) {
      assert.throws(
        () => new Gauge({ name: 'g', help, registry: null }),
        definitionError('g', /help .* contains a lone UTF-16 surrogate/),
      );
    }
    assert.equal(new Gauge({ name: 'g', help: 'ok 🙂', registry: null }).help, 'ok 🙂');
  });

  test('registry must be a Registry or null', () => {
    assert.throws(
      () => new Gauge({ name: 'g', help: 'h', registry: [new Registry()] as never }),
      definitionError('g', /registry must be a Registry or null/),
    );
  });
});
