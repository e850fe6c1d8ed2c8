/**
 * Forged and malformed IPC messages: both directions are checked field by field, a malformed
 * message is dropped and counted, and it neither injects values nor freezes a worker's data.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import { type AggregatorOptions, WorkerAggregator } from '../../src/cluster/aggregator.js';
import { isMalformedMessageError } from '../../src/cluster/errors.js';
import { parseReply, parseRequest, threadChannelName, type WorkerReply } from '../../src/cluster/protocol.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  WIRE_VERSION,
  WireFormatError,
} from '../../src/cluster/wire/index.js';
import { Counter, labelSet, type MetricFamily, Registry } from '../../src/index.js';

const TAG = { aioprometheus: WIRE_VERSION } as const;
type Tagged = Parameters<typeof parseReply>[0];
const tagged = (fields: Record<string, unknown>): Tagged => ({ ...TAG, ...fields }) as unknown as Tagged;

test('requests: every field is checked, and only a whole positive id is answered', () => {
  assert.deepEqual(parseRequest(tagged({ kind: 'ping' })), { message: { ...TAG, kind: 'ping' } });
  assert.deepEqual(parseRequest(tagged({ kind: 'collect', id: 7 })), {
    message: { ...TAG, kind: 'collect', id: 7 },
  });
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ kind: 'collect', id: 1e300 }, /id must be a whole number >= 1, got 1e\+300/],
    [{ kind: 'collect', id: -1 }, /got -1/],
    [{ kind: 'collect', id: 1.5 }, /got 1.5/],
    [{ kind: 'collect', id: '3' }, /got "3"/],
    [{ kind: 'collect', id: Number.NaN }, /got NaN/],
    [{ kind: 'collect' }, /got undefined/],
    [{ kind: 'collect', id: 1, extra: true }, /unexpected field "extra"/],
    [{ kind: 'ping', id: 1 }, /unexpected field "id"/],
    [{ kind: 'snapshot', id: 1, data: '' }, /unknown request kind "snapshot"/],
  ];
  for (const [fields, expected] of refused) {
    const parsed = parseRequest(tagged(fields));
    assert.ok('problem' in parsed, JSON.stringify(fields));
    assert.match(parsed.problem, expected);
  }
});

test('replies: every field is checked', () => {
  const data = Buffer.from(encodeSnapshot([])).toString('base64');
  assert.ok('message' in parseReply(tagged({ kind: 'snapshot', id: 1, data })));
  assert.ok(
    'message' in parseReply(tagged({ kind: 'snapshot', id: 1, data: encodeSnapshot([]), error: 'e' })),
  );
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ kind: 'snapshot', id: 1e300, data }, /id must be a whole number/],
    [{ kind: 'snapshot', id: 0, data }, /got 0/],
    [{ kind: 'snapshot', id: 1, data: 'not base64!' }, /not base64/],
    [{ kind: 'snapshot', id: 1, data: [1, 2] }, /base64 text or bytes, got an array/],
    [{ kind: 'snapshot', id: 1, data, error: 5 }, /error must be a string, got 5/],
    [{ kind: 'snapshot', id: 1, data, families: [] }, /unexpected field "families"/],
    [{ kind: 'ready', id: 1 }, /unexpected field "id"/],
    [{ kind: 'collect', id: 1 }, /unknown reply kind "collect"/],
  ];
  for (const [fields, expected] of refused) {
    const parsed = parseReply(tagged(fields));
    assert.ok('problem' in parsed, JSON.stringify(fields));
    assert.match(parsed.problem, expected);
  }
});

/** One in-process worker whose registry answers each request; the test can also post forged messages. */
class OneWorker extends WorkerAggregator {
  readonly registry = new Registry();
  readonly requested: number[] = [];
  /** How the worker answers a request; a test may replace it with a forger. */
  answer = (id: number): void => {
    void this.registry.collect().then((families) => this.post(snapshot(id, families)));
  };
  constructor(options: AggregatorOptions) {
    super('thread', { registry: null, ...options });
  }
  protected readyWorkers(): readonly string[] {
    return ['1'];
  }
  protected notReadyCount(): number {
    return 0;
  }
  protected markReady(): void {}
  protected request(_worker: string, id: number): boolean {
    this.requested.push(id);
    setImmediate(() => this.answer(id));
    return true;
  }
  post(message: unknown): void {
    this.handle('1', message);
  }
}

const snapshot = (id: unknown, families: readonly MetricFamily[]): WorkerReply =>
  ({
    ...TAG,
    kind: 'snapshot',
    id,
    data: Buffer.from(encodeSnapshot(families)).toString('base64'),
  }) as WorkerReply;

const counterFamily = (name: string, value: number): MetricFamily => ({
  name,
  help: 'h',
  type: 'counter',
  points: [{ labels: labelSet(), value }],
});

function sampleValue(families: readonly MetricFamily[], name: string): number | undefined {
  const point = families.find((f) => f.name === name)?.points[0];
  return point !== undefined && 'value' in point ? point.value : undefined;
}

/** Collects, failing the test if the scrape waits anywhere near the (long) deadline. */
async function collectPromptly(agg: OneWorker): Promise<MetricFamily[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 20_000);
  });
  const result = await Promise.race([agg.collect(), late]);
  clearTimeout(timer);
  assert.notEqual(result, 'late', 'the scrape waited for the deadline');
  return result as MetricFamily[];
}

function setup() {
  const errors: Error[] = [];
  const agg = new OneWorker({ timeoutMs: 60_000, onError: (e) => errors.push(e) });
  const jobs = new Counter({ name: 'jobs_total', help: 'h', registry: agg.registry });
  return { agg, jobs, errors };
}

test('a forged snapshot with the id 1e300 is dropped and counted, and the worker is not frozen', async () => {
  const { agg, jobs, errors } = setup();
  jobs.inc(1);
  assert.equal(sampleValue(await collectPromptly(agg), 'jobs_total'), 1);
  agg.post(snapshot(1e300, [counterFamily('jobs_total', 1e9)]));
  jobs.inc(1);
  const families = await collectPromptly(agg);
  assert.equal(sampleValue(families, 'jobs_total'), 2);
  assert.equal(sampleValue(families, 'aioprometheus_thread_malformed_messages_total'), 1);
  assert.equal(errors.length, 1);
  assert.ok(isMalformedMessageError(errors[0]));
  assert.match(
    errors[0]!.message,
    /worker 1 sent a malformed message, dropped: the id must be a whole number >= 1, got 1e\+300/,
  );
});

test('a well-formed snapshot answering a request never sent is dropped: no injected values', async () => {
  const { agg, jobs, errors } = setup();
  jobs.inc(3);
  await collectPromptly(agg);
  agg.post(
    snapshot(agg.requested.at(-1)! + 1000, [
      counterFamily('jobs_total', 1e9),
      counterFamily('forged_total', 1),
    ]),
  );
  const families = await collectPromptly(agg);
  assert.equal(sampleValue(families, 'jobs_total'), 3);
  assert.equal(sampleValue(families, 'forged_total'), undefined);
  assert.equal(sampleValue(families, 'aioprometheus_thread_malformed_messages_total'), 1);
  assert.match(errors[0]!.message, /answers request \d+, which was never sent to it/);
});

test('a snapshot that cannot be decoded, or holds an invalid family, is dropped and the scrape does not wait', async () => {
  for (const bad of [
    (id: number) => ({ ...TAG, kind: 'snapshot', id, data: Buffer.from('garbage!').toString('base64') }),
    (id: number) => snapshot(id, [counterFamily('_total', 1)]),
    (id: number) => snapshot(id, [counterFamily('negative_total', -5)]),
  ]) {
    const { agg, jobs, errors } = setup();
    jobs.inc(2);
    await collectPromptly(agg);
    // The next request is answered with a bad snapshot instead of the real one.
    agg.answer = (id) => agg.post(bad(id));
    jobs.inc(5);
    const families = await collectPromptly(agg);
    assert.equal(sampleValue(families, 'jobs_total'), 2, 'the last good snapshot still counts');
    assert.equal(sampleValue(families, 'aioprometheus_thread_malformed_messages_total'), 1);
    assert.ok(isMalformedMessageError(errors[0]), String(errors[0]));
  }
});

test('messages without the tag are the application’s: ignored, not counted', async () => {
  const { agg, errors } = setup();
  agg.post({ kind: 'snapshot', id: 1e300 });
  agg.post('hello');
  agg.post(null);
  const families = await collectPromptly(agg);
  assert.equal(sampleValue(families, 'aioprometheus_thread_malformed_messages_total'), 0);
  assert.deepEqual(errors, []);
});

test('the wire decoder rejects trailing data, forged counts and out-of-range references', () => {
  const good = encodeSnapshot([counterFamily('a_total', 1)]);
  const withHeader = (edit: (header: Uint32Array, bytes: Uint8Array) => Uint8Array) => {
    const bytes = good.slice();
    return edit(new Uint32Array(bytes.buffer, 0, 6), bytes);
  };
  assert.equal(decodeSnapshot(good)[0]!.name, 'a_total');
  // A string count larger than the integer section could ever describe.
  assert.throws(
    () =>
      decodeSnapshot(
        withHeader((h, b) => {
          h[4] = 0xffffffff;
          return b;
        }),
      ),
    WireFormatError,
  );
  // A varint announcing a huge number of families must not allocate, only fail.
  const families = encodeSnapshot([]);
  const huge = families.slice();
  const intsAt = 24;
  huge[intsAt] = 0xff;
  assert.throws(() => decodeSnapshot(huge), WireFormatError);
  // Every byte must be used: append an extra float to a valid snapshot.
  const extended = withHeader((h, b) => {
    const out = new Uint8Array(b.byteLength + 8);
    out.set(b.subarray(0, 24));
    new Uint32Array(out.buffer, 0, 6)[2] = h[2]! + 1;
    out.set(b.subarray(24, 24 + h[2]! * 8), 24);
    out.set(b.subarray(24 + h[2]! * 8), 24 + (h[2]! + 1) * 8);
    return out;
  });
  assert.throws(() => decodeSnapshot(extended), /data after its last family/);
});

const threadWorker = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(
  join(import.meta.dirname, '..', 'fixtures', 'cluster', 'thread-worker.ts'),
)}, ${JSON.stringify(import.meta.url)}))`;

test('a worker answers only well-formed requests: forged ids are never echoed back', async (t) => {
  const worker = new Worker(threadWorker, { eval: true, workerData: { inc: 1 } });
  const channel = new BroadcastChannel(threadChannelName(worker.threadId));
  t.after(async () => {
    channel.close();
    await worker.terminate();
  });
  const answered: unknown[] = [];
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer to request 42; answers: ${JSON.stringify(answered)}`)),
      30_000,
    );
    channel.onmessage = (event: { data: unknown }) => {
      const message = event.data as { kind?: string; id?: unknown };
      if (message.kind === 'ready') {
        for (const id of [1e300, -1, 1.5, '7', Number.NaN])
          channel.postMessage({ ...TAG, kind: 'collect', id });
        channel.postMessage({ ...TAG, kind: 'collect', id: 8, extra: 1 });
        channel.postMessage({ ...TAG, kind: 'collect', id: 42 });
      } else if (message.kind === 'snapshot') {
        answered.push(message.id);
        if (message.id === 42) resolve();
      }
    };
  });
  // A ping makes the worker announce itself even if its first announcement went out before we listened.
  channel.postMessage({ ...TAG, kind: 'ping' });
  await done.finally(() => clearTimeout(timer));
  assert.deepEqual(
    answered.filter((id) => id !== 42),
    [],
  );
});
