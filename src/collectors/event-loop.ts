/**
 * Event-loop delay and utilization.
 *
 * Delay comes from `perf_hooks.monitorEventLoopDelay`, a libuv timer firing every `resolution`
 * ms that records the time between its firings. That time is the resolution plus how late the
 * timer ran, so the resolution is subtracted: an idle loop reports ~0.05 ms, not 10 ms (prom-client
 * reports the raw values, so its p50 sits near its resolution even when the loop is idle). The
 * statistics describe the interval since the previous scrape: the monitor is reset after each
 * collection that saw samples, like prom-client; a scrape with no new samples repeats the last
 * values instead of reporting an empty histogram.
 *
 * Bun's and Deno's monitors record only the delay, so nothing is subtracted there.
 *
 * Utilization comes from `performance.eventLoopUtilization()`: a ratio since the previous scrape,
 * and a counter of active seconds whose `rate()` is the utilization over any window, unaffected
 * by how many scrapers there are. Runtimes that only stub it (Bun, Deno) get neither family.
 */
import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MetricDefinitionError } from '../errors.js';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { counter, type Descriptor, describeFamily, gauge, type Naming } from './family.js';
import { processStartSeconds } from './process-metrics.js';
import type { RuntimeSupport } from './runtime-support.js';
import type { MetricSource } from './source.js';

type Utilization = ReturnType<typeof performance.eventLoopUtilization>;

/** The lag statistics in seconds, in the order of the `#lag` descriptors. */
type LagStats = [
  mean: number,
  min: number,
  max: number,
  mean: number,
  stddev: number,
  ...percentiles: number[],
];

const PERCENTILES = [50, 90, 99] as const;

export class EventLoopMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #labels: LabelSet;
  readonly #resolutionMs: number;
  /** What each delay sample includes beyond the delay itself, in nanoseconds. */
  readonly #intervalNs: number;
  readonly #lag: readonly Descriptor[];
  /** The utilization families; undefined where the runtime only stubs utilization. */
  readonly #utilization: { readonly ratio: Descriptor; readonly active: Descriptor } | undefined;
  readonly #start = processStartSeconds();
  #monitor: IntervalHistogram | undefined;
  #stats: LagStats = [0, 0, 0, 0, 0, 0, 0, 0];
  #lastUtilization: Utilization | undefined;

  constructor(naming: Naming, resolutionMs: number, support: RuntimeSupport) {
    if (!Number.isInteger(resolutionMs) || resolutionMs < 1) {
      throw new MetricDefinitionError(
        `${naming.prefix}nodejs_eventloop_lag_seconds`,
        `eventLoopMonitoringPrecision must be an integer number of milliseconds >= 1, got ${String(resolutionMs)}`,
      );
    }
    this.#resolutionMs = resolutionMs;
    this.#intervalNs = support.eventLoopDelaySamples === 'interval' ? resolutionMs * 1e6 : 0;
    this.#labels = labelSet(naming.labels);
    const lag = (name: string, help: string): Descriptor =>
      describeFamily(naming, 'gauge', name, help, { unit: 'seconds' });
    this.#lag = [
      lag('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.'),
      lag('nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.'),
      lag('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.'),
      lag('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.'),
      lag('nodejs_eventloop_lag_stddev_seconds', 'The standard deviation of the recorded event loop delays.'),
      ...PERCENTILES.map((p) =>
        lag(`nodejs_eventloop_lag_p${p}_seconds`, `The ${p}th percentile of the recorded event loop delays.`),
      ),
    ];
    this.#utilization = support.eventLoopUtilization
      ? {
          ratio: describeFamily(
            naming,
            'gauge',
            'nodejs_eventloop_utilization_ratio',
            'Fraction of time the event loop was busy since the previous scrape.',
            { unit: 'ratio' },
          ),
          active: describeFamily(
            naming,
            'counter',
            'nodejs_eventloop_active_seconds_total',
            'Total time the event loop was busy in seconds; its rate is the event loop utilization.',
            { unit: 'seconds' },
          ),
        }
      : undefined;
    this.descriptors =
      this.#utilization === undefined
        ? this.#lag
        : [...this.#lag, this.#utilization.ratio, this.#utilization.active];
  }

  start(): void {
    this.#monitor = monitorEventLoopDelay({ resolution: this.#resolutionMs });
    this.#monitor.enable();
    if (this.#utilization !== undefined) this.#lastUtilization = performance.eventLoopUtilization();
  }

  stop(): void {
    this.#monitor?.disable();
    this.#monitor = undefined;
  }

  collect(out: MetricFamily[]): void {
    const monitor = this.#monitor;
    if (monitor !== undefined && monitor.count > 0) {
      this.#stats = lagStats(monitor, this.#intervalNs);
      monitor.reset();
    }
    const labels = this.#labels;
    for (let i = 0; i < this.#lag.length; i++) out.push(gauge(this.#lag[i]!, labels, this.#stats[i]!));
    const utilization = this.#utilization;
    if (utilization === undefined) return;
    const now = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(now, this.#lastUtilization);
    this.#lastUtilization = now;
    out.push(
      gauge(utilization.ratio, labels, since.utilization),
      counter(utilization.active, labels, now.active / 1000, this.#start),
    );
  }
}

/** The monitor's statistics in seconds, each delay less the timer's own interval (never below 0). */
export function lagStats(
  monitor: Pick<IntervalHistogram, 'mean' | 'min' | 'max' | 'stddev' | 'percentile'>,
  intervalNs: number,
): LagStats {
  const delay = (ns: number): number => Math.max(0, ns - intervalNs) / 1e9;
  const mean = delay(monitor.mean);
  return [
    mean,
    delay(monitor.min),
    delay(monitor.max),
    mean,
    monitor.stddev / 1e9,
    ...PERCENTILES.map((p) => delay(monitor.percentile(p))),
  ];
}
