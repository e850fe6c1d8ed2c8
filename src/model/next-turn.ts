/**
 * Giving the event loop a turn during long work (sorting a million series, encoding a large
 * exposition), so that other requests of the process are answered meanwhile.
 */

/**
 * Resolves on a later turn of the event loop, after pending I/O: setImmediate where the runtime
 * has it (Node, Bun, Deno), else a zero timeout.
 */
export function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === 'function') immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** A pause that yields only once `sliceMs` of work have passed since the last turn. */
export function slicer(sliceMs: number): () => Promise<void> | undefined {
  let start = performance.now();
  return () => {
    if (performance.now() - start < sliceMs) return undefined;
    return nextTurn().then(() => {
      start = performance.now();
    });
  };
}
