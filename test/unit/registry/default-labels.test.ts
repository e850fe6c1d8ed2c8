import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../../src/exposition/index.js';
import { Counter, Gauge, labelSet, Registry } from '../../../src/index.js';

test('registry default labels reach every series; a series label of the same name wins', async () => {
  const registry = new Registry();
  const requests = new Counter({
    name: 'requests_total',
    help: 'R.',
    labelNames: ['service'] as const,
    registry,
  });
  requests.inc({ service: 'own' });
  new Gauge({ name: 'up', help: 'U.', registry }).set(1);
  registry.register({
    collect: () => [
      { name: 'external', help: 'E.', type: 'gauge', points: [{ labels: labelSet({ z: '1' }), value: 2 }] },
    ],
  });
  registry.setDefaultLabels({ service: 'api', region: 'eu' });
  const text = renderText(await registry.collect());
  assert.match(text, /^requests_total\{region="eu",service="own"\} 1$/m);
  assert.match(text, /^up\{region="eu",service="api"\} 1$/m);
  assert.match(text, /^external\{region="eu",service="api",z="1"\} 2$/m);
});

test('a metric takes the default labels as constant labels: the same merged set on every collection', async () => {
  const registry = new Registry();
  const g = new Gauge({ name: 'g', help: 'G.', labelNames: ['service', 'zone'] as const, registry });
  g.set({ service: 'own', zone: 'a' }, 1);
  registry.setDefaultLabels({ service: 'api', app: 'x' });
  const first = await registry.collect();
  const second = await registry.collect();
  assert.deepEqual(first[0]!.points[0]!.labels, second[0]!.points[0]!.labels);
  assert.deepEqual(first[0]!.points[0]!.labels, {
    names: ['app', 'service', 'zone'],
    values: ['x', 'own', 'a'],
  });
  assert.match(renderText(second), /^g\{app="x",service="own",zone="a"\} 1$/m);
});

test('bad default labels are refused with a typed error; an empty set removes them', async () => {
  const registry = new Registry();
  new Gauge({ name: 'g', help: 'G.', registry }).set(1);
  assert.throws(() => registry.setDefaultLabels({ __bad: 'x' }), {
    name: 'MetricDefinitionError',
    message: /__bad/,
  });
  assert.throws(() => registry.setDefaultLabels({ ok: 5 as unknown as string }), {
    name: 'MetricDefinitionError',
    message: /5/,
  });
  registry.setDefaultLabels({ service: 'api' });
  registry.setDefaultLabels({});
  assert.match(renderText(await registry.collect()), /^g 1$/m);
});
