/**
 * V8 heap figures: total, used and external memory from `process.memoryUsage()`, and the size,
 * use and free space of each heap space from `v8.getHeapSpaceStatistics()` (label `space`, the
 * V8 space name without its `_space` suffix: `new`, `old`, `code`, `large_object`, ...). Bun's
 * engine has no such spaces (its Node layer reports its whole heap as `old` and zeroes for the
 * rest), so there the per-space families are left out.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { type Descriptor, describeFamily, gauge, gaugeOf, LabelSetCache, type Naming } from './family.js';
import type { RuntimeSupport } from './runtime-support.js';
import type { MetricSource } from './source.js';

export class HeapMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #labels: LabelSet;
  readonly #total: Descriptor;
  readonly #used: Descriptor;
  readonly #external: Descriptor;
  /** The per-space families; undefined where the runtime has no V8 heap spaces. */
  readonly #space:
    | { readonly total: Descriptor; readonly used: Descriptor; readonly available: Descriptor }
    | undefined;
  readonly #spaces: LabelSetCache;

  constructor(naming: Naming, support: RuntimeSupport) {
    this.#labels = labelSet(naming.labels);
    this.#spaces = new LabelSetCache(naming.labels, 'space');
    const bytes = (name: string, help: string, labelNames: readonly string[] = []): Descriptor =>
      describeFamily(naming, 'gauge', name, help, { unit: 'bytes', labelNames });
    this.#total = bytes('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.');
    this.#used = bytes('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.');
    this.#external = bytes('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.');
    const space = (kind: string): Descriptor =>
      bytes(
        `nodejs_heap_space_size_${kind}_bytes`,
        `Process heap space size ${kind} from Node.js in bytes.`,
        ['space'],
      );
    this.#space = support.heapSpaces
      ? { total: space('total'), used: space('used'), available: space('available') }
      : undefined;
    const totals = [this.#total, this.#used, this.#external];
    this.descriptors =
      this.#space === undefined
        ? totals
        : [...totals, this.#space.total, this.#space.used, this.#space.available];
  }

  collect(out: MetricFamily[]): void {
    const memory = process.memoryUsage();
    out.push(
      gauge(this.#total, this.#labels, memory.heapTotal),
      gauge(this.#used, this.#labels, memory.heapUsed),
      gauge(this.#external, this.#labels, memory.external),
    );
    const families = this.#space;
    if (families === undefined) return;
    const spaces = getHeapSpaceStatistics();
    const labels = spaces.map((s) => this.#spaces.get(s.space_name.replace(/_space$/, '')));
    out.push(
      gaugeOf(
        families.total,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_size })),
      ),
      gaugeOf(
        families.used,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_used_size })),
      ),
      gaugeOf(
        families.available,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_available_size })),
      ),
    );
  }
}
