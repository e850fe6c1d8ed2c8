/**
 * How label objects are read: own properties only (a polluted prototype never fills a missing
 * label, on the fast path for an existing series or when creating one), objects without a
 * prototype work, and labelled metrics work where code generation from strings is forbidden.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { renderText } from '../../src/exposition/index.js';
import { Counter, Gauge, Histogram, LabelError, Registry, Summary } from '../../src/index.js';

const proto = Object.prototype as Record<string, unknown>;

/** Sets `Object.prototype[name]` (enumerable, as an attacker's assignment would) for one test. */
function pollute(t: { after: (fn: () => void) => void }, name: string, value: unknown): void {
  proto[name] = value;
  t.after(() => {
    delete proto[name];
  });
}

test('a polluted Object.prototype never fills a missing label, for a new or an existing series', (t) => {
  const c = new Counter({ name: 'own_total', help: 'h', labelNames: ['a', 'b'] as const, registry: null });
  c.inc({ a: 'x', b: 'y' }, 3);
  pollute(t, 'b', 'y');
  const missingB = (e: unknown) => e instanceof LabelError && /missing "b"/.test(e.message);
  // The existing series {a="x",b="y"} must not be reached through the prototype's b.
  assert.throws(() => c.inc({ a: 'x' } as never), missingB);
  assert.throws(() => c.labels({ a: 'x' } as never), missingB);
  assert.throws(() => c.inc({ a: 'new' } as never), missingB);
  assert.throws(() => c.get({ a: 'x' } as never), missingB);
  assert.throws(() => c.remove({ a: 'x' } as never), missingB);
  assert.equal(c.get({ a: 'x', b: 'y' }), 3);
  // Well-formed label sets still work while the prototype is polluted.
  c.inc({ a: 'x', b: 'y' });
  assert.equal(c.get({ a: 'x', b: 'y' }), 4);
});

test('a label inherited as a non-enumerable property does not count either', () => {
  const g = new Gauge({ name: 'own_gauge', help: 'h', labelNames: ['a', 'b'] as const, registry: null });
  g.set({ a: 'x', b: 'y' }, 1);
  const base = Object.defineProperty({}, 'b', { value: 'y', enumerable: false });
  const labels = Object.assign(Object.create(base) as Record<string, string>, { a: 'x', c: 'z' });
  assert.throws(
    () => g.set(labels as never, 2),
    (e: unknown) =>
      e instanceof LabelError && /missing "b"/.test(e.message) && /unexpected "c"/.test(e.message),
  );
  assert.equal(g.get({ a: 'x', b: 'y' }), 1);
});

test('a metric without labels accepts {} while the prototype is polluted', (t) => {
  const c = new Counter({ name: 'plain_own_total', help: 'h', registry: null });
  pollute(t, 'zz', 'q');
  (c as unknown as { labels(labels: object): { inc(): void } }).labels({}).inc();
  assert.equal(c.get(), 1);
});

test('label objects without a prototype work, for new and existing series', () => {
  const h = new Histogram({
    name: 'nullproto_seconds',
    help: 'h',
    labelNames: ['a', 'b'] as const,
    registry: null,
  });
  const labels = (a: string, b: string | number) =>
    Object.assign(Object.create(null) as Record<string, string | number>, { a, b }) as {
      a: string;
      b: string;
    };
  h.observe(labels('x', 'y'), 1);
  h.observe(labels('x', 'y'), 2);
  h.observe(labels('x', 200), 3);
  assert.equal(h.get({ a: 'x', b: 'y' })?.count, 2);
  assert.equal(h.get(labels('x', '200'))?.sum, 3);
  assert.equal(h.labels(labels('x', 'y')), h.labels({ a: 'x', b: 'y' }));
});

test('a label value without a prototype is a LabelError that names the metric and label', () => {
  const c = new Counter({ name: 'badvalue_total', help: 'h', labelNames: ['a'] as const, registry: null });
  const value = Object.create(null) as object;
  assert.throws(
    () => c.inc({ a: value } as never),
    (e: unknown) => e instanceof LabelError && /badvalue_total/.test(e.message) && /"a"/.test(e.message),
  );
  assert.throws(
    () => c.inc(Object.assign(Object.create(null) as object, { b: 'x' }) as never),
    (e: unknown) => e instanceof LabelError && /unexpected "b"/.test(e.message),
  );
});

test('labelled metrics of every type work under --disallow-code-generation-from-strings', async () => {
  const program = `
    import { Counter, Gauge, Histogram, Summary, Registry, render } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)};
    let codegen = true;
    try { new Function('return 1'); } catch { codegen = false; }
    if (codegen) throw new Error('code generation is allowed: the flag did not apply');
    const registry = new Registry();
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const labelNames = Array.from({ length: n }, (_, i) => 'l' + i);
      const labels = Object.fromEntries(labelNames.map((l) => [l, 'v']));
      new Counter({ name: 'c' + n + '_total', help: 'h', labelNames, registry }).inc(labels);
      new Gauge({ name: 'g' + n, help: 'h', labelNames, registry }).set(labels, 2);
      new Histogram({ name: 'h' + n, help: 'h', labelNames, registry }).observe(labels, 0.1);
      new Summary({ name: 's' + n, help: 'h', labelNames, registry }).observe(labels, 1);
    }
    for (const accept of [undefined, 'application/openmetrics-text; version=1.0.0', 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited']) {
      const { body } = await render(registry, accept);
      if (body.length === 0) throw new Error('empty exposition');
    }
    process.stdout.write(String((await registry.collect()).length));
  `;
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', program],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`)),
    );
  });
  assert.equal(out, '24');
});

test('the exposition of prototype-less label objects equals that of plain ones', async () => {
  const render = async (make: (a: string) => { a: string }) => {
    const registry = new Registry();
    const s = new Summary({ name: 'np_summary', help: 'h', labelNames: ['a'] as const, registry });
    s.observe(make('x'), 1);
    s.observe(make('y'), 2);
    return renderText(await registry.collect());
  };
  assert.equal(
    await render((a) => Object.assign(Object.create(null) as { a: string }, { a })),
    await render((a) => ({ a })),
  );
});

test('for every number of labels, an inherited label never reaches an existing series', (t) => {
  for (let n = 1; n <= 5; n++) {
    const labelNames = Array.from({ length: n }, (_, i) => `p${n}_${i}`);
    const full = Object.fromEntries(labelNames.map((l) => [l, 'v']));
    const c = new Counter({ name: `arity${n}_total`, help: 'h', labelNames, registry: null });
    c.inc(full);
    const last = labelNames[n - 1]!;
    pollute(t, last, 'v');
    const partial = Object.fromEntries(labelNames.slice(0, -1).map((l) => [l, 'v']));
    for (let round = 0; round < 3; round++) {
      assert.throws(
        () => c.inc(partial as never),
        (e: unknown) => e instanceof LabelError && e.message.includes(`missing "${last}"`),
        `${n} labels`,
      );
    }
    c.inc(full);
    assert.equal(c.get(full), 2, `${n} labels`);
    delete proto[last];
  }
});
