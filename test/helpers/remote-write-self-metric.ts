/** Reading a RemoteWriter's self-metrics back from the registry it reports to. */
import assert from 'node:assert/strict';
import type { Registry } from '../../src/index.js';

/** The value of `aioprometheus_remote_write_<suffix>` (a family with one unlabelled series). */
export async function selfMetric(registry: Registry, suffix: string): Promise<number> {
  const family = (await registry.collect()).find((f) => f.name === `aioprometheus_remote_write_${suffix}`);
  assert.ok(family, `no aioprometheus_remote_write_${suffix} in the registry`);
  return (family.points[0] as { value: number }).value;
}
