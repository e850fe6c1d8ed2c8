/**
 * Process metrics with the names of the Prometheus process collector (and prom-client): CPU
 * time, start time, memory and file descriptors.
 *
 * CPU counters report the absolute `process.cpuUsage()` at each scrape, so they include the CPU
 * spent before collection started and agree with `/proc/self/stat`. Memory and descriptors come
 * from procfs on Linux; elsewhere only the resident size is known (`process.memoryUsage.rss()`),
 * and the Linux-only families are not produced.
 */
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { counter, type Descriptor, describeFamily, gauge, type Naming } from './family.js';
import { countOpenFds, hasProcfs, readMaxFds, readStartSeconds, readStatus } from './linux-proc.js';
import type { MetricSource } from './source.js';

let startSeconds: number | undefined;

/**
 * When the process started, in seconds since the epoch. On Linux it is the kernel's record (see
 * readStartSeconds), so it agrees with client_golang and with `ps` for the same process; where
 * procfs is missing it is `performance.timeOrigin`, which Node takes early in its own start-up.
 * Read once: it cannot change.
 */
export function processStartSeconds(): number {
  if (startSeconds === undefined) {
    startSeconds = performance.timeOrigin / 1000;
    if (hasProcfs()) {
      try {
        startSeconds = readStartSeconds();
      } catch {
        // A procfs without these fields (a restricted container): the portable reading stands.
      }
    }
  }
  return startSeconds;
}

export class ProcessMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #labels: LabelSet;
  readonly #procfs = hasProcfs();
  readonly #start = processStartSeconds();
  readonly #cpuUser: Descriptor;
  readonly #cpuSystem: Descriptor;
  readonly #cpu: Descriptor;
  readonly #startTime: Descriptor;
  readonly #resident: Descriptor;
  readonly #virtual: Descriptor;
  readonly #heap: Descriptor;
  readonly #openFds: Descriptor;
  readonly #maxFds: Descriptor;

  constructor(naming: Naming) {
    this.#labels = labelSet(naming.labels);
    const seconds = { unit: 'seconds' } as const;
    const bytes = { unit: 'bytes' } as const;
    this.#cpuUser = describeFamily(
      naming,
      'counter',
      'process_cpu_user_seconds_total',
      'Total user CPU time spent in seconds.',
      seconds,
    );
    this.#cpuSystem = describeFamily(
      naming,
      'counter',
      'process_cpu_system_seconds_total',
      'Total system CPU time spent in seconds.',
      seconds,
    );
    this.#cpu = describeFamily(
      naming,
      'counter',
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      seconds,
    );
    this.#startTime = describeFamily(
      naming,
      'gauge',
      'process_start_time_seconds',
      'Start time of the process since unix epoch in seconds.',
      seconds,
    );
    this.#resident = describeFamily(
      naming,
      'gauge',
      'process_resident_memory_bytes',
      'Resident memory size in bytes.',
      bytes,
    );
    this.#virtual = describeFamily(
      naming,
      'gauge',
      'process_virtual_memory_bytes',
      'Virtual memory size in bytes.',
      bytes,
    );
    this.#heap = describeFamily(naming, 'gauge', 'process_heap_bytes', 'Process heap size in bytes.', bytes);
    this.#openFds = describeFamily(naming, 'gauge', 'process_open_fds', 'Number of open file descriptors.');
    this.#maxFds = describeFamily(
      naming,
      'gauge',
      'process_max_fds',
      'Maximum number of open file descriptors.',
    );
    const always = [this.#cpuUser, this.#cpuSystem, this.#cpu, this.#startTime, this.#resident];
    this.descriptors = this.#procfs
      ? [...always, this.#virtual, this.#heap, this.#openFds, this.#maxFds]
      : always;
  }

  collect(out: MetricFamily[]): void | Promise<void> {
    const labels = this.#labels;
    const cpu = process.cpuUsage();
    out.push(
      counter(this.#cpuUser, labels, cpu.user / 1e6, this.#start),
      counter(this.#cpuSystem, labels, cpu.system / 1e6, this.#start),
      counter(this.#cpu, labels, (cpu.user + cpu.system) / 1e6, this.#start),
      gauge(this.#startTime, labels, this.#start),
    );
    if (!this.#procfs) {
      out.push(gauge(this.#resident, labels, process.memoryUsage.rss()));
      return;
    }
    const status = readStatus();
    out.push(
      gauge(this.#resident, labels, status.residentBytes),
      gauge(this.#virtual, labels, status.virtualBytes),
      gauge(this.#heap, labels, status.dataBytes),
      gauge(this.#maxFds, labels, readMaxFds()),
    );
    return countOpenFds().then((open) => {
      out.push(gauge(this.#openFds, labels, open));
    });
  }
}
