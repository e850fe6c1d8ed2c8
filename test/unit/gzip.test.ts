import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { canGzip, gzip, gzipChunks } from '../../src/gzip.js';

const encoder = new TextEncoder();

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

test('this runtime can gzip', () => {
  assert.equal(canGzip(), true);
});

test('a whole body, given as text, gzips to its UTF-8 bytes', async () => {
  const text = 'metric{label="é ✓ 🙂"} 1\n'.repeat(100);
  assert.equal(gunzipSync(await gzip(text)).toString('utf8'), text);
});

test('a whole body given as bytes gzips to the same bytes', async () => {
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
  assert.deepEqual(new Uint8Array(gunzipSync(await gzip(bytes))), bytes);
});

test('an empty body is still a valid gzip stream', async () => {
  assert.equal(gunzipSync(await gzip('')).length, 0);
});

test('streamed chunks gzip to their concatenation', async () => {
  const parts: Uint8Array[] = [];
  for await (const part of gzipChunks(chunksOf('a '.repeat(1000), 'b\n', 'ç'.repeat(3000)))) parts.push(part);
  assert.equal(
    gunzipSync(Buffer.concat(parts)).toString('utf8'),
    `${'a '.repeat(1000)}b\n${'ç'.repeat(3000)}`,
  );
});

test('the source is pulled only as the compressed side is read', async () => {
  let pulled = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield crypto.getRandomValues(new Uint8Array(16_384));
    }
  }
  const iterator = gzipChunks(counted());
  await iterator.next();
  await iterator.return(undefined);
  assert.ok(pulled < 1000, `pulled ${pulled} of 1000 chunks before the reader stopped`);
});

test('stopping the reader ends the source generator', async () => {
  let finished = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) yield crypto.getRandomValues(new Uint8Array(65_536));
    } finally {
      finished = true;
    }
  }
  const iterator = gzipChunks(source());
  await iterator.next();
  await iterator.return(undefined);
  assert.equal(finished, true);
});
