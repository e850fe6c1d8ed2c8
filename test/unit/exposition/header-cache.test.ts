/**
 * The metadata lines encoders keep per family name follow a family whose help, type or unit
 * changes between scrapes, in every format and scheme.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderOpenMetrics } from '../../../src/exposition/openmetrics.js';
import { renderText } from '../../../src/exposition/text.js';
import type { MetricFamily } from '../../../src/index.js';

function family(help: string, type: 'counter' | 'gauge', unit?: string): MetricFamily {
  return {
    name: 'cache_probe_total',
    help,
    type,
    ...(unit === undefined ? {} : { unit }),
    points: [{ labels: { names: [], values: [] }, value: 1 }],
  } as MetricFamily;
}

test('a changed help, type or unit is written at the next render', () => {
  const versions = [
    family('first help', 'counter'),
    family('second help', 'counter'),
    family('second help', 'gauge'),
    family('second help', 'gauge', 'seconds'),
    family('first help', 'counter'),
  ];
  for (const f of versions) {
    const text = renderText([f]);
    assert.match(
      text,
      new RegExp(`^# HELP cache_probe_total ${f.help}\\n# TYPE cache_probe_total ${f.type}\\n`),
    );
    const om = renderOpenMetrics([f]);
    const meta = f.type === 'counter' ? 'cache_probe' : 'cache_probe_total';
    assert.match(om, new RegExp(`^# HELP ${meta} ${f.help}\\n# TYPE ${meta} ${f.type}\\n`));
    if (f.unit !== undefined) assert.match(om, new RegExp(`# UNIT ${meta} ${f.unit}\\n`));
    else assert.doesNotMatch(om, /# UNIT/);
  }
});

test('the same family under two escaping schemes keeps one text per scheme', () => {
  const f = { ...family('h', 'gauge'), name: 'cache.probe.dotted' } as MetricFamily;
  for (let round = 0; round < 2; round++) {
    assert.match(renderText([f], 'underscores'), /^# HELP cache_probe_dotted h\n/);
    assert.match(renderText([f], 'allow-utf-8'), /^# HELP "cache\.probe\.dotted" h\n/);
    assert.match(renderText([f], 'dots'), /^# HELP cache_dot_probe_dot_dotted h\n/);
  }
});
