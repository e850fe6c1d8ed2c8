/**
 * Streamed gzip through the standard CompressionStream (Node 18+, Deno, Bun, Workers), so the
 * endpoint core runs on every runtime. Chunks are pulled from the source only as the compressed
 * side is read, so a slow reader slows encoding instead of piling up buffers.
 */

/** Whether this runtime can gzip a stream. */
export function canGzip(): boolean {
  return typeof (globalThis as { CompressionStream?: unknown }).CompressionStream === 'function';
}

/** The gzip of the concatenated `source` chunks, as chunks. */
export async function* gzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(new CompressionStream('gzip')).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
