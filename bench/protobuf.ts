/**
 * Protobuf exposition benchmark: the delimited protobuf render against our text 0.0.4 render of
 * the same registries (10,000 counter series with 2 labels; 1,000 default-bucket histogram
 * series), through `render()` as a scrape does. A third row per registry measures both to bytes
 * (text encoded as UTF-8), which is what a server actually sends.
 */
import { renderProtobuf, renderText } from '../src/exposition/index.js';
import * as ours from '../src/index.js';
import { oursLargeRegistries } from './core.js';
import { type BenchRow, opsPerSecond, opsPerSecondAsync } from './harness.js';

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

export async function run(): Promise<BenchRow[]> {
  const registries = oursLargeRegistries();
  const rows: BenchRow[] = [];
  for (const [which, label] of [
    ['counters', '10,000 counter series'],
    ['histograms', '1,000 histogram series'],
  ] as const) {
    const registry = registries[which];
    rows.push({
      name: `protobuf vs text render(), ${label}`,
      unit: 'renders/s',
      higherIsBetter: true,
      results: {
        'aioprometheus-protobuf': await opsPerSecondAsync(
          () => ours.render(registry, PROTOBUF_ACCEPT),
          3,
          200,
        ),
        'aioprometheus-text': await opsPerSecondAsync(() => ours.render(registry), 3, 200),
      },
    });
    const families = await registry.collect();
    rows.push({
      name: `protobuf vs text encode to bytes, ${label}`,
      unit: 'encodes/s',
      higherIsBetter: true,
      results: {
        'aioprometheus-protobuf': opsPerSecond(() => renderProtobuf(families), 1, 3, 200),
        'aioprometheus-text': opsPerSecond(() => Buffer.from(renderText(families)), 1, 3, 200),
      },
    });
  }
  return rows;
}
