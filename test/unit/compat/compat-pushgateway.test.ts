// prom-client's Pushgateway on the layer, against prom-client's own: the same requests reach a
// stand-in gateway, and both resolve to { resp, body }.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { compat, normalize, oracle } from '../../helpers/prom-client-oracle.js';
import { type Received, stub } from '../../helpers/push-stub.js';

function fill(lib: typeof compat | typeof oracle, registry: unknown): void {
  const c = new lib.Counter({
    name: 'jobs',
    help: 'Jobs.',
    labelNames: ['kind'],
    registers: [registry] as never,
  });
  c.inc({ kind: 'full' }, 3);
  new lib.Gauge({ name: 'last_run_seconds', help: 'Last run.', registers: [registry] as never }).set(12.5);
}

type Call = 'pushAdd' | 'push' | 'delete';

/** One call through each library to a fresh stub; the requests each one sent. */
async function sendBoth(
  t: TestContext,
  call: Call,
  options: Record<string, unknown> = {},
): Promise<{ ours: Received; theirs: Received; results: { resp?: unknown; body?: unknown }[] }> {
  const gateway = await stub(t, (res) => {
    res.writeHead(200, { 'x-gateway': 'stub' });
    res.end('done');
  });
  const ours = new compat.Registry();
  const theirs = new oracle.Registry();
  fill(compat, ours);
  fill(oracle, theirs);
  const params = { jobName: 'nightly backup', groupings: { instance: 'db-1', zone: 'eu' } };
  const results = [
    await new compat.Pushgateway(`${gateway.base}/prefix`, options, ours)[call](params),
    await new oracle.Pushgateway(`${gateway.base}/prefix`, options, theirs)[call](params),
  ];
  return { ours: gateway.received[0]!, theirs: gateway.received[1]!, results };
}

for (const [call, method] of [
  ['pushAdd', 'POST'],
  ['push', 'PUT'],
  ['delete', 'DELETE'],
] as const) {
  test(`Pushgateway.${call}: the same ${method} to the same group URL as prom-client, with the same metrics`, async (t) => {
    const { ours, theirs, results } = await sendBoth(t, call);
    assert.equal(ours.method, method);
    assert.equal(ours.method, theirs.method);
    assert.equal(ours.url, '/prefix/metrics/job/nightly%20backup/instance/db-1/zone/eu');
    assert.equal(ours.url, theirs.url);
    assert.deepEqual(normalize(ours.body.toString()), normalize(theirs.body.toString()));
    if (method !== 'DELETE') assert.match(ours.body.toString(), /^jobs\{kind="full"\} 3$/m);
    const [mine, their] = results as {
      resp: { statusCode: number; headers: Record<string, string> };
      body: string;
    }[];
    assert.equal(mine!.body, 'done');
    assert.equal(mine!.body, their!.body);
    assert.equal(mine!.resp.statusCode, their!.resp.statusCode);
    assert.equal(mine!.resp.headers['x-gateway'], their!.resp.headers['x-gateway']);
  });
}

test('Pushgateway options: headers, Content-Encoding gzip, timeout and auth as prom-client reads them', async (t) => {
  const options = {
    headers: { 'X-Tenant': 'a', 'Content-Encoding': 'gzip' },
    timeout: 5000,
    auth: 'user:pa:ss',
  };
  const { ours, theirs } = await sendBoth(t, 'pushAdd', options);
  assert.equal(ours.headers['content-encoding'], 'gzip');
  assert.equal(ours.headers['x-tenant'], 'a');
  assert.equal(ours.headers.authorization, `Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
  assert.equal(ours.headers.authorization, theirs.headers.authorization);
  assert.deepEqual(
    normalize(gunzipSync(ours.body).toString()),
    normalize(gunzipSync(theirs.body).toString()),
  );
});

test('Pushgateway refuses what it cannot honour, by name, and rejects a refused push with a PushError', async (t) => {
  const registry = new compat.Registry();
  assert.throws(() => new compat.Pushgateway('http://127.0.0.1:1', { agent: {} } as never, registry), {
    name: 'PushConfigError',
    message: /"agent".*"fetch"/,
  });
  assert.throws(() => new compat.Pushgateway('http://127.0.0.1:1', { requireJobName: false }, registry), {
    name: 'PushConfigError',
    message: /requireJobName/,
  });
  assert.throws(
    () => new compat.Pushgateway('http://127.0.0.1:1', { headers: { 'Content-Encoding': 'br' } }, registry),
    {
      name: 'PushConfigError',
      message: /"br"/,
    },
  );
  assert.throws(() => new compat.Pushgateway('http://127.0.0.1:1', { auth: 'nocolon' }, registry), {
    name: 'PushConfigError',
    message: /auth/,
  });
  assert.throws(() => new compat.Pushgateway('not a url', {}, registry), { name: 'PushConfigError' });
  const gateway = await stub(t, (res) => {
    res.writeHead(400);
    res.end('pushed metrics are invalid');
  });
  const pushgateway = new compat.Pushgateway(gateway.base, null, registry);
  assert.throws(() => pushgateway.pushAdd({} as never), { name: 'PushConfigError', message: /jobName/ });
  await assert.rejects(pushgateway.push({ jobName: 'j' }), {
    name: 'PushError',
    status: 400,
    message: /pushed metrics are invalid/,
  });
});

test('Pushgateway without a registry pushes the default register', async (t) => {
  const gateway = await stub(t, (res) => res.end());
  new compat.Gauge({ name: 'from_default_register', help: 'D.' }).set(1);
  try {
    await new compat.Pushgateway(gateway.base).pushAdd({ jobName: 'j' });
    assert.match(gateway.received[0]!.body.toString(), /^from_default_register 1$/m);
  } finally {
    compat.register.clear();
  }
});
