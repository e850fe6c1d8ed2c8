/** `nodejs_version_info{version,major,minor,patch} 1`: the running Node.js version. */
import type { GaugeFamily, MetricFamily } from '../model/family.js';
import { labelSet } from '../model/family.js';
import { type Descriptor, describeFamily, gauge, type Naming } from './family.js';
import type { MetricSource } from './source.js';

export class NodeVersionMetrics implements MetricSource {
  readonly descriptors: readonly Descriptor[];
  /** The version does not change while the process runs: one family, built once. */
  readonly #family: GaugeFamily;

  constructor(naming: Naming) {
    const descriptor = describeFamily(naming, 'gauge', 'nodejs_version_info', 'Node.js version info.', {
      labelNames: ['version', 'major', 'minor', 'patch'],
    });
    this.descriptors = [descriptor];
    const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
    const labels = labelSet({ ...naming.labels, version: process.version, major, minor, patch });
    this.#family = gauge(descriptor, labels, 1);
  }

  collect(out: MetricFamily[]): void {
    out.push(this.#family);
  }
}
