/**
 * What checking collector output costs a scrape: the checks alone on the families of the large
 * registries (10,000 counter series, 1,000 histogram series), the same families handed over by a
 * user collector in an order that forces the keyed duplicate check, and the whole render for scale.
 */
import * as ours from '../src/index.js';
import { familyProblem } from '../src/registry/validate-family.js';
import { oursLargeRegistries } from './core.js';
import { type BenchRow, opsPerSecond, opsPerSecondAsync } from './harness.js';

export async function run(): Promise<BenchRow[]> {
  const registries = oursLargeRegistries();
  const rows: BenchRow[] = [];
  for (const [label, which] of [
    ['10,000 counter series', 'counters'],
    ['1,000 histogram series', 'histograms'],
  ] as const) {
    const registry = registries[which];
    const families = await registry.collect();
    // A user collector copying the data with fresh label sets in reverse order.
    const foreign = families.map((f) => ({
      ...f,
      points: [...f.points]
        .reverse()
        .map((p) => ({ ...p, labels: { names: [...p.labels.names], values: [...p.labels.values] } })),
    })) as ours.MetricFamily[];
    const check = (input: readonly ours.MetricFamily[]) => () => {
      for (const f of input)
        if (familyProblem(f) !== undefined) throw new Error('invalid family in the bench');
    };
    rows.push({
      name: `family checks, ${label}, metric output`,
      unit: 'checks/s',
      higherIsBetter: true,
      results: { aioprometheus: opsPerSecond(check(families), 1) },
    });
    rows.push({
      name: `family checks, ${label}, unsorted user output`,
      unit: 'checks/s',
      higherIsBetter: true,
      results: { aioprometheus: opsPerSecond(check(foreign), 1) },
    });
    rows.push({
      name: `registry.collect() with checks, ${label}`,
      unit: 'collects/s',
      higherIsBetter: true,
      results: { aioprometheus: await opsPerSecondAsync(() => registry.collect()) },
    });
    rows.push({
      name: `text render (collect, checks, encode), ${label}`,
      unit: 'renders/s',
      higherIsBetter: true,
      results: { aioprometheus: await opsPerSecondAsync(() => ours.render(registry)) },
    });
  }
  return rows;
}
