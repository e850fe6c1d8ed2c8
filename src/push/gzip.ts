/**
 * gzip with the Web `CompressionStream`, which Node, Bun, Deno and Workers all provide, so a
 * push works on every runtime without Node's zlib.
 */
export async function gzip(bytes: Uint8Array | string): Promise<Uint8Array> {
  const compressed = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}
