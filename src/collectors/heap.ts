/**
 * V8 heap figures: total, used and external memory from `process.memoryUsage()`, and the size,
 * use and free space of each heap space from `v8.getHeapSpaceStatistics()` (label `space`, the
 * V8 space name without its `_space` suffix: `new`, `old`, `code`, `large_object`, ...).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import type { LabelSet, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { type Descriptor, describeFamily, gauge, gaugeOf, LabelSetCache, type Naming } from './family.js';
import type { MetricSource } from './source.js';

export class HeapMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  readonly #labels: LabelSet;
  readonly #total: Descriptor;
  readonly #used: Descriptor;
  readonly #external: Descriptor;
  readonly #spaceTotal: Descriptor;
  readonly #spaceUsed: Descriptor;
  readonly #spaceAvailable: Descriptor;
  readonly #spaces: LabelSetCache;

  constructor(naming: Naming) {
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
    this.#spaceTotal = space('total');
    this.#spaceUsed = space('used');
    this.#spaceAvailable = space('available');
    this.descriptors = [
      this.#total,
      this.#used,
      this.#external,
      this.#spaceTotal,
      this.#spaceUsed,
      this.#spaceAvailable,
    ];
  }

  collect(out: MetricFamily[]): void {
    const memory = process.memoryUsage();
    out.push(
      gauge(this.#total, this.#labels, memory.heapTotal),
      gauge(this.#used, this.#labels, memory.heapUsed),
      gauge(this.#external, this.#labels, memory.external),
    );
    const spaces = getHeapSpaceStatistics();
    const labels = spaces.map((s) => this.#spaces.get(s.space_name.replace(/_space$/, '')));
    out.push(
      gaugeOf(
        this.#spaceTotal,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_size })),
      ),
      gaugeOf(
        this.#spaceUsed,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_used_size })),
      ),
      gaugeOf(
        this.#spaceAvailable,
        spaces.map((s, i) => ({ labels: labels[i]!, value: s.space_available_size })),
      ),
    );
  }
}
