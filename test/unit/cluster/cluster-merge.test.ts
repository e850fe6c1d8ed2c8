import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Aggregation } from '../../../src/cluster/aggregation.js';
import { type AggregatorOptions, WorkerAggregator } from '../../../src/cluster/aggregator.js';
import { isAggregationError } from '../../../src/cluster/errors.js';
import { LabelInterner } from '../../../src/cluster/label-interner.js';
import { type Contribution, mergeSnapshots, monotonicPart } from '../../../src/cluster/merge/index.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  WIRE_VERSION,
  WireFormatError,
} from '../../../src/cluster/wire/index.js';
import {
  Counter,
  Gauge,
  Histogram,
  type HistogramPoint,
  labelSet,
  type MetricFamily,
  Registry,
  Summary,
  type SummaryPoint,
} from '../../../src/index.js';

function merge(contributions: Contribution[], modes: Record<string, Aggregation> = {}) {
  return mergeSnapshots(contributions, {
    modeOf: (name) => modes[name] ?? 'sum',
    workerLabel: 'worker',
    interner: new LabelInterner(),
  });
}

/** Plain copies, so lazily computed summary sketches compare like decoded ones. */
function plain(families: readonly MetricFamily[]): unknown {
  return families.map((f) => ({
    ...f,
    points: f.points.map((p) => ({ ...p, ...('quantiles' in p && p.sketch ? { sketch: p.sketch } : {}) })),
  }));
}

function scalars(family: MetricFamily | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of family?.points ?? []) {
    const key = p.labels.names.map((n, i) => `${n}=${p.labels.values[i]}`).join(',');
    out[key] = (p as { value: number }).value;
  }
  return out;
}

async function workerFamilies(setup: (registry: Registry) => void): Promise<MetricFamily[]> {
  const registry = new Registry();
  setup(registry);
  return registry.collect();
}

describe('merging counters and gauges', () => {
  test('sums counters series by series, keeping series only one worker has', async () => {
    const a = await workerFamilies((registry) => {
      const c = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['kind'] as const, registry });
      c.inc({ kind: 'a' }, 2);
      c.inc({ kind: 'b' }, 1);
    });
    const b = await workerFamilies((registry) => {
      const c = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['kind'] as const, registry });
      c.inc({ kind: 'a' }, 5);
      c.inc({ kind: 'c' }, 7);
    });
    const { families, errors } = merge([
      { worker: '1', families: a },
      { worker: '2', families: b },
    ]);
    assert.deepEqual(errors, []);
    assert.equal(families[0]!.name, 'jobs_total');
    assert.equal(families[0]!.type, 'counter');
    assert.deepEqual(scalars(families[0]), { 'kind=a': 7, 'kind=b': 1, 'kind=c': 7 });
  });

  test('applies min, max, average, first and omit per family', () => {
    const gauge = (name: string, value: number): MetricFamily => ({
      name,
      help: 'h',
      type: 'gauge',
      points: [{ labels: labelSet(), value }],
    });
    const names = ['g_min', 'g_max', 'g_avg', 'g_first', 'g_omit', 'g_sum'];
    const worker = (values: number[]): MetricFamily[] => names.map((n, i) => gauge(n, values[i]!));
    const { families } = merge(
      [
        { worker: '1', families: worker([3, 3, 3, 3, 3, 3]) },
        { worker: '2', families: worker([1, 1, 1, 1, 1, 1]) },
        { worker: '3', families: worker([8, 8, 8, 8, 8, 8]) },
      ],
      { g_min: 'min', g_max: 'max', g_avg: 'average', g_first: 'first', g_omit: 'omit' },
    );
    const values = Object.fromEntries(
      families.map((f) => [f.name, (f.points[0] as { value: number }).value]),
    );
    assert.deepEqual(values, { g_avg: 4, g_first: 3, g_max: 8, g_min: 1, g_sum: 12 });
  });

  test('perWorker keeps each worker apart under the worker label, inserted in sorted order', () => {
    const fam = (value: number): MetricFamily => ({
      name: 'process_cpu_seconds_total',
      help: 'CPU.',
      type: 'counter',
      points: [{ labels: labelSet({ a: 'x', z: 'y' }), value }],
    });
    const { families } = merge(
      [
        { worker: '1', families: [fam(1.5)] },
        { worker: '2', families: [fam(2.5)] },
      ],
      { process_cpu_seconds_total: 'perWorker' },
    );
    assert.deepEqual(
      families[0]!.points.map((p) => [p.labels.names, p.labels.values, (p as { value: number }).value]),
      [
        [['a', 'worker', 'z'], ['x', '1', 'y'], 1.5],
        [['a', 'worker', 'z'], ['x', '2', 'y'], 2.5],
      ],
    );
  });

  test('a family whose workers disagree on the type is reported and left out, others stay', () => {
    const { families, errors } = merge([
      {
        worker: '1',
        families: [
          { name: 'x', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
          { name: 'y', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
        ],
      },
      {
        worker: '2',
        families: [
          { name: 'x', help: '', type: 'untyped', points: [{ labels: labelSet(), value: 1 }] },
          { name: 'y', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 2 }] },
        ],
      },
    ]);
    assert.deepEqual(
      families.map((f) => f.name),
      ['y'],
    );
    assert.equal(errors.length, 1);
    assert.ok(isAggregationError(errors[0]));
    assert.equal(errors[0]!.metric, 'x');
    assert.match(errors[0]!.message, /worker 1 has gauge, worker 2 has untyped/);
  });

  test('the same label set gets the same object in every scrape', async () => {
    const interner = new LabelInterner();
    const snapshot = await workerFamilies((registry) => {
      new Counter({ name: 'c', help: 'c', labelNames: ['k'] as const, registry }).inc({ k: 'v' });
    });
    const options = { modeOf: () => 'sum' as const, workerLabel: 'worker', interner };
    const first = mergeSnapshots(
      [{ worker: '1', families: decodeSnapshot(encodeSnapshot(snapshot)) }],
      options,
    );
    interner.sweep();
    const second = mergeSnapshots(
      [{ worker: '1', families: decodeSnapshot(encodeSnapshot(snapshot)) }],
      options,
    );
    assert.equal(first.families[0]!.points[0]!.labels, second.families[0]!.points[0]!.labels);
  });
});

describe('merging histograms', () => {
  test('adds buckets, counts and sums bucket-wise', async () => {
    const observe = (values: number[]) =>
      workerFamilies((registry) => {
        const h = new Histogram({ name: 'lat', help: 'L.', buckets: [1, 2, 5], registry });
        for (const v of values) h.observe(v);
      });
    const { families, errors } = merge([
      { worker: '1', families: await observe([0.5, 1.5, 10]) },
      { worker: '2', families: await observe([0.5, 4]) },
    ]);
    assert.deepEqual(errors, []);
    const p = families[0]!.points[0] as HistogramPoint;
    assert.deepEqual(p.upperBounds, [1, 2, 5]);
    assert.deepEqual(p.cumulativeCounts, [2, 3, 4]);
    assert.equal(p.count, 5);
    assert.equal(p.sum, 16.5);
  });

  test('different bucket bounds are an error for that family only', async () => {
    const a = await workerFamilies((registry) => {
      new Histogram({ name: 'lat', help: 'L.', buckets: [1, 2], registry }).observe(1);
      new Counter({ name: 'ok', help: 'ok', registry }).inc();
    });
    const b = await workerFamilies((registry) => {
      new Histogram({ name: 'lat', help: 'L.', buckets: [1, 3], registry }).observe(1);
      new Counter({ name: 'ok', help: 'ok', registry }).inc();
    });
    const { families, errors } = merge([
      { worker: '1', families: a },
      { worker: '2', families: b },
    ]);
    assert.deepEqual(
      families.map((f) => [f.name, (f.points[0] as { value?: number }).value]),
      [['ok_total', 2]],
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.metric, 'lat');
    assert.match(errors[0]!.message, /different bucket bounds.*\[1, 2\] and worker 2's \[1, 3\]/);
  });

  test('min, max and average do not apply to histograms', async () => {
    const a = await workerFamilies((registry) => {
      new Histogram({ name: 'lat', help: 'L.', buckets: [1], registry }).observe(1);
    });
    const { errors } = merge([{ worker: '1', families: a }], { lat: 'max' });
    assert.match(errors[0]!.message, /aggregation "max" does not apply to a histogram/);
  });
});

/** Dyadic values (exact sums in any order) over many buckets, with negatives, zeros and outliers. */
function spreadValues(seed: number, n: number): number[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const values = [0, -0, 2 ** 20, -(2 ** -20), 0.5, -0.5];
  for (let i = 0; i < n; i++) values.push((next() % 8001) / 64 - 62.5);
  return values;
}

type NativeSettings = Exclude<ConstructorParameters<typeof Histogram>[0]['native'], boolean | undefined>;

function nativeHistogram(
  settings: NativeSettings,
  values: readonly number[],
  registry: Registry | null = null,
) {
  const h = new Histogram({ name: 'lat', help: 'L.', native: { maxBuckets: 0, ...settings }, registry });
  for (const v of values) h.observe(v);
  return h;
}

async function nativeWorker(settings: NativeSettings, values: readonly number[]): Promise<MetricFamily[]> {
  return workerFamilies((registry) => nativeHistogram(settings, values, registry));
}

function mergedPoint(contributions: Contribution[]): HistogramPoint {
  const { families, errors } = merge(contributions);
  assert.deepEqual(errors, []);
  return families[0]!.points[0] as HistogramPoint;
}

describe('merging native histograms', () => {
  test('the same schema: equal to one histogram fed every observation', async () => {
    const a = spreadValues(1, 300);
    const b = spreadValues(2, 200);
    const p = mergedPoint([
      { worker: '1', families: await nativeWorker({}, a) },
      { worker: '2', families: await nativeWorker({}, b) },
    ]);
    const want = nativeHistogram({}, [...a, ...b]).get()!;
    assert.equal(p.native!.schema, 3);
    assert.ok(p.native!.negativeSpans.length > 0 && p.native!.zeroCount === 4);
    assert.deepStrictEqual(p.native, want.native);
    assert.equal(p.count, want.count);
    assert.equal(p.sum, want.sum);
  });

  test('different schemas: equal to one histogram at the coarser schema', async () => {
    const a = spreadValues(3, 300);
    const b = spreadValues(4, 300);
    const c = spreadValues(5, 100);
    const p = mergedPoint([
      { worker: '1', families: await nativeWorker({ bucketFactor: 1.1 }, a) },
      { worker: '2', families: await nativeWorker({ bucketFactor: 2 }, b) },
      { worker: '3', families: await nativeWorker({ bucketFactor: 1.5 }, c) },
    ]);
    const want = nativeHistogram({ bucketFactor: 2 }, [...a, ...b, ...c]).get()!;
    assert.equal(want.native!.schema, 0);
    assert.deepStrictEqual(p.native, want.native);
  });

  test('a worker whose bucket limit halved its resolution: equal to one histogram at that schema', async () => {
    const a = spreadValues(6, 300);
    const b = spreadValues(7, 300);
    const limited = await nativeWorker({ maxBuckets: 20 }, b);
    const schema = (limited[0]!.points[0] as HistogramPoint).native!.schema;
    assert.ok(schema < 3, `schema ${schema}`);
    const p = mergedPoint([
      { worker: '1', families: await nativeWorker({}, a) },
      { worker: '2', families: limited },
    ]);
    const want = nativeHistogram({ bucketFactor: 2 ** (2 ** -schema) }, [...a, ...b]).get()!;
    assert.equal(want.native!.schema, schema);
    assert.deepStrictEqual(p.native, want.native);
  });

  test('different zero thresholds: the wider one, with the buckets inside it folded into the zero count', async () => {
    const a = spreadValues(8, 300);
    const b = spreadValues(9, 300);
    const p = mergedPoint([
      { worker: '1', families: await nativeWorker({}, a) },
      { worker: '2', families: await nativeWorker({ zeroThreshold: 0.5 }, b) },
    ]);
    const want = nativeHistogram({ zeroThreshold: 0.5 }, [...a, ...b]).get()!;
    assert.equal(p.native!.zeroThreshold, 0.5);
    assert.deepStrictEqual(p.native, want.native);
  });

  test('a zero threshold inside a bucket widens to that bucket’s upper bound', () => {
    const interner = new LabelInterner();
    const point = (zeroThreshold: number, positiveDeltas: number[]): MetricFamily => ({
      name: 'lat',
      help: '',
      type: 'histogram',
      points: [
        {
          labels: interner.canonical(labelSet()),
          upperBounds: [],
          cumulativeCounts: [],
          count: 3,
          sum: 3,
          native: {
            schema: 0,
            zeroThreshold,
            zeroCount: 1,
            positiveSpans: [{ offset: 0, length: positiveDeltas.length }],
            positiveDeltas,
            negativeSpans: [],
            negativeDeltas: [],
          },
        },
      ],
    });
    // Buckets (0.5, 1], (1, 2] on one side; a zero bucket up to 1.5 on the other.
    const p = mergedPoint([
      { worker: '1', families: [point(0, [1, 0])] },
      { worker: '2', families: [point(1.5, [])] },
    ]);
    assert.deepStrictEqual(p.native, {
      schema: 0,
      zeroThreshold: 2,
      zeroCount: 4,
      positiveSpans: [],
      positiveDeltas: [],
      negativeSpans: [],
      negativeDeltas: [],
    });
  });

  test('classic and native buckets of one histogram merge together', async () => {
    const observe = (values: readonly number[]) =>
      workerFamilies((registry) => {
        const h = new Histogram({ name: 'lat', help: 'L.', buckets: [-1, 0, 1, 10], native: true, registry });
        for (const v of values) h.observe(v);
      });
    const a = spreadValues(10, 50);
    const b = spreadValues(11, 50);
    const p = mergedPoint([
      { worker: '1', families: await observe(a) },
      { worker: '2', families: await observe(b) },
    ]);
    const one = new Histogram({
      name: 'lat',
      help: 'L.',
      buckets: [-1, 0, 1, 10],
      native: true,
      registry: null,
    });
    for (const v of [...a, ...b]) one.observe(v);
    const want = one.snapshot().points[0] as HistogramPoint;
    assert.deepStrictEqual(
      { bounds: p.upperBounds, counts: p.cumulativeCounts, count: p.count, sum: p.sum, native: p.native },
      {
        bounds: want.upperBounds,
        counts: want.cumulativeCounts,
        count: want.count,
        sum: want.sum,
        native: want.native,
      },
    );
  });

  test('first keeps the first worker’s native buckets; a series native on one worker only is an error', async () => {
    const a = await nativeWorker({}, [1, 2]);
    const b = await nativeWorker({}, [3]);
    const first = merge(
      [
        { worker: '1', families: a },
        { worker: '2', families: b },
      ],
      { lat: 'first' },
    );
    assert.deepStrictEqual(
      (first.families[0]!.points[0] as HistogramPoint).native,
      nativeHistogram({}, [1, 2]).get()!.native,
    );
    const classic: MetricFamily[] = [
      {
        name: 'lat',
        help: 'L.',
        type: 'histogram',
        points: [{ labels: labelSet(), upperBounds: [], cumulativeCounts: [], count: 1, sum: 1 }],
      },
    ];
    const { families, errors } = merge([
      { worker: '1', families: a },
      { worker: '2', families: classic },
    ]);
    assert.deepEqual(families, []);
    assert.match(errors[0]!.message, /worker 1 sends native buckets and worker 2 does not/);
  });
});

describe('merging summaries', () => {
  test('quantiles of the merged sketches equal those of one summary fed every observation', async () => {
    const values = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 1000) / 10 + 0.001 * i);
    const parts = [values.slice(0, 1000), values.slice(1000, 1700), values.slice(1700)];
    const quantiles = [0.01, 0.25, 0.5, 0.9, 0.99, 1];
    const summaryOf = (observations: number[]) =>
      workerFamilies((registry) => {
        const s = new Summary({ name: 'lat', help: 'L.', quantiles, registry });
        for (const v of observations) s.observe(v);
      });
    const contributions = await Promise.all(
      parts.map(async (part, i) => ({
        worker: String(i + 1),
        families: decodeSnapshot(encodeSnapshot(await summaryOf(part))),
      })),
    );
    const { families, errors } = merge(contributions);
    assert.deepEqual(errors, []);
    const merged = families[0]!.points[0] as SummaryPoint;
    const whole = (await summaryOf(values))[0]!.points[0] as SummaryPoint;
    assert.deepEqual(merged.quantiles, whole.quantiles);
    assert.equal(merged.count, 3000);
    assert.ok(Math.abs(merged.sum - whole.sum) < 1e-6);
    // Adding the workers' quantiles would be wrong; check that this is not what happened.
    assert.notEqual(merged.quantiles[2]!.value, 0);
  });

  test('a summary without its sketch state cannot be merged by sum', () => {
    const { errors } = merge([
      {
        worker: '4',
        families: [
          {
            name: 's',
            help: '',
            type: 'summary',
            points: [{ labels: labelSet(), quantiles: [{ quantile: 0.5, value: 1 }], count: 1, sum: 1 }],
          },
        ],
      },
    ]);
    assert.match(errors[0]!.message, /worker 4 sent a summary series without its sketch state/);
  });
});

describe('what outlives a worker', () => {
  test('monotonicPart keeps summed counters, histograms and summary count/sum, nothing else', async () => {
    const families = await workerFamilies((registry) => {
      new Counter({ name: 'c', help: 'c', registry }).inc(3);
      new Counter({ name: 'c_max', help: 'c', registry }).inc(3);
      new Gauge({ name: 'g', help: 'g', registry }).set(4);
      new Histogram({ name: 'h', help: 'h', buckets: [1], registry }).observe(0.5);
      new Summary({ name: 's', help: 's', quantiles: [0.5], registry }).observe(2);
    });
    const kept = monotonicPart(families, (name) => (name === 'c_max_total' ? 'max' : 'sum'));
    assert.deepEqual(
      kept.map((f) => f.name),
      ['c_total', 'h', 's'],
    );
    const s = kept[2]!.points[0] as SummaryPoint;
    assert.equal(s.count, 1);
    assert.equal(s.sum, 2);
    assert.ok(Number.isNaN(s.quantiles[0]!.value));
    assert.deepEqual(s.sketch?.positive, []);
  });
});

/** An aggregator over in-process "workers": each is a registry; `silent` ones never answer. */
class FakeAggregator extends WorkerAggregator {
  readonly workers = new Map<string, { registry: Registry; silent: boolean }>();
  constructor(options: AggregatorOptions) {
    super('cluster', { registry: null, ...options });
  }
  protected readyWorkers(): readonly string[] {
    return [...this.workers.keys()];
  }
  protected notReadyCount(): number {
    return 0;
  }
  protected markReady(): void {}
  protected request(worker: string, id: number): boolean {
    const w = this.workers.get(worker)!;
    if (!w.silent) {
      void w.registry.collect().then((families) =>
        this.handle(worker, {
          aioprometheus: WIRE_VERSION,
          kind: 'snapshot',
          id,
          data: encodeSnapshot(families),
        }),
      );
    }
    return true;
  }
  exit(worker: string): void {
    this.workers.delete(worker);
    this.exited(worker);
  }
}

function fakeWorker(agg: FakeAggregator, id: string) {
  const registry = new Registry();
  agg.workers.set(id, { registry, silent: false });
  return {
    requests: new Counter({ name: 'requests', help: 'r', registry }),
    inflight: new Gauge({ name: 'inflight', help: 'i', registry }),
    latency: new Histogram({ name: 'latency', help: 'l', buckets: [1], registry }),
  };
}

function sampleOf(families: MetricFamily[], name: string): number | undefined {
  const point = families.find((f) => f.name === name)?.points[0] as
    | { value?: number; count?: number }
    | undefined;
  return point?.value ?? point?.count;
}

describe('the aggregator', () => {
  test('keeps an exited worker’s counters and histograms, drops its gauges', async () => {
    const agg = new FakeAggregator({ timeoutMs: 200 });
    const one = fakeWorker(agg, '1');
    const two = fakeWorker(agg, '2');
    one.requests.inc(10);
    one.inflight.set(3);
    one.latency.observe(0.5);
    two.requests.inc(5);
    two.inflight.set(4);
    let families = await agg.collect();
    assert.equal(sampleOf(families, 'requests_total'), 15);
    assert.equal(sampleOf(families, 'inflight'), 7);
    agg.exit('1');
    const three = fakeWorker(agg, '3');
    three.requests.inc(1);
    families = await agg.collect();
    assert.equal(sampleOf(families, 'requests_total'), 16);
    assert.equal(sampleOf(families, 'inflight'), 4);
    assert.equal(sampleOf(families, 'latency'), 1);
    agg.exit('2');
    agg.exit('3');
    families = await agg.collect();
    assert.equal(sampleOf(families, 'requests_total'), 16);
    assert.equal(sampleOf(families, 'inflight'), undefined);
  });

  test('keeps an exited worker’s native buckets', async () => {
    const agg = new FakeAggregator({ timeoutMs: 200 });
    const worker = (id: string, settings: NativeSettings) => {
      const registry = new Registry();
      agg.workers.set(id, { registry, silent: false });
      return new Histogram({ name: 'lat', help: 'L.', native: { maxBuckets: 0, ...settings }, registry });
    };
    const values = [spreadValues(12, 100), spreadValues(13, 100), spreadValues(14, 100)] as const;
    worker('1', {}).observe(0);
    const two = worker('2', { bucketFactor: 2 });
    for (const v of values[1]) two.observe(v);
    await agg.collect();
    agg.exit('1');
    const three = worker('3', {});
    for (const v of values[2]) three.observe(v);
    await agg.collect();
    agg.exit('2');
    agg.exit('3');
    const families = await agg.collect();
    const got = families.find((f) => f.name === 'lat')!.points[0] as HistogramPoint;
    const want = nativeHistogram({ bucketFactor: 2 }, [0, ...values[1], ...values[2]]).get()!;
    assert.deepStrictEqual(got.native, want.native);
    assert.equal(got.count, want.count);
  });

  test('a silent worker is left out after the timeout, counted, and its last totals still count', async () => {
    const agg = new FakeAggregator({ timeoutMs: 50 });
    const one = fakeWorker(agg, '1');
    const two = fakeWorker(agg, '2');
    one.requests.inc(2);
    one.inflight.set(1);
    two.requests.inc(3);
    two.inflight.set(1);
    await agg.collect();
    agg.workers.get('2')!.silent = true;
    two.requests.inc(100);
    const started = performance.now();
    const families = await agg.collect();
    // Bounded by the 50 ms timeout, not the 5 s default, however slow the machine.
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 4500, `collect took ${elapsed} ms`);
    assert.equal(sampleOf(families, 'requests_total'), 5);
    assert.equal(sampleOf(families, 'inflight'), 1);
    assert.equal(sampleOf(families, 'aioprometheus_cluster_worker_timeouts_total'), 1);
    assert.deepEqual(scalars(families.find((f) => f.name === 'aioprometheus_cluster_workers')), {
      'state=answered': 1,
      'state=not_ready': 0,
      'state=timed_out': 1,
    });
  });
});

describe('the wire form', () => {
  test('round-trips every family type, NaN, ±Inf, -0, exemplars, units and unicode labels', async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'c',
      help: 'help with\nnewline "quotes" \\ and ✓',
      labelNames: ['k'] as const,
      registry,
    });
    c.inc({ k: 'ünïcødé 日本 🚀' }, 2.5);
    c.inc({ k: '' });
    const g = new Gauge({ name: 'g_bytes', help: 'g', unit: 'bytes', labelNames: ['k'] as const, registry });
    g.set({ k: 'pinf' }, Number.POSITIVE_INFINITY);
    g.set({ k: 'ninf' }, Number.NEGATIVE_INFINITY);
    g.set({ k: 'negzero' }, -0);
    const h = new Histogram({
      name: 'h',
      help: 'h',
      buckets: [0.1, 1],
      labelNames: ['k'] as const,
      registry,
    });
    h.observe({ k: 'a' }, 0.05);
    h.observe({ k: 'b' }, 5);
    const s = new Summary({ name: 's', help: 's', labelNames: ['k'] as const, registry });
    s.observe({ k: 'x' }, -3);
    s.observe({ k: 'x' }, 0);
    s.observe({ k: 'x' }, 42);
    const families: MetricFamily[] = [
      ...(await registry.collect()),
      {
        name: 'nan',
        help: '',
        type: 'untyped',
        points: [{ labels: labelSet({ k: 'nan' }), value: Number.NaN }],
      },
      {
        name: 'x_total',
        help: '',
        type: 'counter',
        points: [
          {
            labels: labelSet({ a: 'b' }),
            value: 1,
            timestampMs: 1700000000123,
            exemplar: { labels: labelSet({ trace: 'ä' }), value: 0.5, timestamp: 1.25 },
          },
        ],
      },
      {
        name: 'hx',
        help: '',
        type: 'gaugehistogram',
        points: [
          {
            labels: labelSet(),
            upperBounds: [1],
            cumulativeCounts: [1],
            count: 2,
            sum: 3,
            exemplars: [undefined, { labels: labelSet({ t: '1' }), value: 9 }],
          },
        ],
      },
    ];
    const decoded = decodeSnapshot(encodeSnapshot(families));
    assert.deepStrictEqual(plain(decoded), plain(families));
  });

  test('round-trips native buckets: negative and positive spans, a zero bucket, classic buckets beside them', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'n',
      help: 'n',
      buckets: [0, 1],
      native: { zeroThreshold: 0.001 },
      labelNames: ['k'] as const,
      registry,
    });
    for (const v of [-1000, -3, -2.5, -0.0005, 0, 0, 0.25, 7, 7, 1e9]) h.observe({ k: 'a' }, v);
    h.observe({ k: 'b' }, 1, { trace: 't' });
    const families: MetricFamily[] = [
      ...(await registry.collect()),
      {
        name: 'hn',
        help: '',
        type: 'histogram',
        points: [
          {
            labels: labelSet(),
            upperBounds: [],
            cumulativeCounts: [],
            count: 9,
            sum: Number.NaN,
            native: {
              schema: -4,
              zeroThreshold: 0,
              zeroCount: 2,
              positiveSpans: [
                { offset: -2, length: 2 },
                { offset: 2, length: 1 },
              ],
              positiveDeltas: [3, 2, -4],
              negativeSpans: [{ offset: 5, length: 1 }],
              negativeDeltas: [1],
            },
          },
        ],
      },
    ];
    const native = (families[0]!.points[0] as HistogramPoint).native!;
    assert.ok(native.negativeSpans.length > 0 && native.zeroCount === 3);
    assert.deepStrictEqual(plain(decodeSnapshot(encodeSnapshot(families))), plain(families));
  });

  test('refuses bytes of another version and truncated snapshots', () => {
    const bytes = encodeSnapshot([
      { name: 'g', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
    ]);
    const other = bytes.slice();
    other[4] = 99;
    assert.throws(() => decodeSnapshot(other), WireFormatError);
    assert.throws(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1)), WireFormatError);
  });

  test('decodes from an unaligned buffer, as IPC buffers may be', () => {
    const bytes = encodeSnapshot([
      { name: 'g', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 0.1 }] },
    ]);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const decoded = decodeSnapshot(shifted.subarray(3));
    assert.equal((decoded[0]!.points[0] as { value: number }).value, 0.1);
  });

  test('is several times smaller than JSON of the same samples', async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'http_requests',
      help: 'Requests.',
      labelNames: ['route', 'code'] as const,
      registry,
    });
    for (let i = 0; i < 1000; i++)
      c.inc({ route: `/api/v1/resource/${i % 100}`, code: String(200 + (i % 10)) }, i * 1.5);
    const families = await registry.collect();
    const wire = Buffer.from(encodeSnapshot(families)).toString('base64').length;
    const json = JSON.stringify(families).length;
    assert.ok(wire * 2 < json, `wire ${wire} bytes vs JSON ${json}`);
  });
});
