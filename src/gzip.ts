/**
 * gzip through the standard CompressionStream (Node 18+, Deno, Bun, Workers), so every part of
 * the library that compresses runs on every runtime without Node's zlib. One implementation
 * serves the scrape endpoint, which streams, and the push client, which sends a whole body.
 */

/** Whether this runtime can gzip. */
export function canGzip(): boolean {
  return typeof (globalThis as { CompressionStream?: unknown }).CompressionStream === 'function';
}

/**
 * The gzip of the concatenated `source` chunks, as chunks. A source chunk is compressed only
 * when every compressed chunk so far has been taken by the reader, so a slow reader slows
 * encoding instead of piling up buffers. (Piping into the CompressionStream would not do: Node
 * 20 queues up to 16 384 compressed chunks on its readable side before it pushes back.)
 * Stopping the iteration early ends the source too.
 */
export async function* gzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const compression = new CompressionStream('gzip');
  const writer = compression.writable.getWriter();
  const reader = compression.readable.getReader();
  const compressed: Uint8Array[] = [];
  let waiters: (() => void)[] = [];
  const changed = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const wake = (): void => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  let stopped = false;
  let finished = false;
  let failure: { readonly error: unknown } | undefined;

  const feed = async (): Promise<void> => {
    for (;;) {
      while (compressed.length > 0 && !stopped) await changed();
      if (stopped) return;
      const { value, done } = await iterator.next();
      if (stopped) return;
      if (done) break;
      await writer.write(value);
    }
    await writer.close();
  };
  const drain = async (): Promise<void> => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      compressed.push(value);
      wake();
    }
    finished = true;
    wake();
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    wake();
  };
  feed().catch(fail);
  drain().catch(fail);

  try {
    for (;;) {
      const next = compressed.shift();
      if (next !== undefined) {
        wake();
        yield next;
      } else if (failure !== undefined) {
        throw failure.error;
      } else if (finished) {
        return;
      } else {
        await changed();
      }
    }
  } finally {
    stopped = true;
    wake();
    await Promise.allSettled([writer.abort(), reader.cancel(), iterator.return?.()]);
  }
}

/** The gzip of a whole body (a string is compressed as its UTF-8 bytes). */
export async function gzip(body: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const parts: Uint8Array[] = [];
  for await (const part of gzipChunks(once(bytes))) parts.push(part);
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
