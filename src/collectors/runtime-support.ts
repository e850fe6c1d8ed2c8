/**
 * Which default-metric sources the running runtime really measures. Bun and Deno implement
 * Node's APIs, but some only as stubs that return zeros or empty lists: exposing those would
 * tell a dashboard the event loop is idle and the process holds no handles. A source the
 * runtime only stubs is left out of the exposition instead.
 *
 * The tables record what Bun 1.4.5 and Deno 2.9.6 do on Linux; the runtime smoke test asserts
 * the families each runtime exposes, so a runtime upgrade that changes them fails it.
 */

export type RuntimeName = 'node' | 'bun' | 'deno';

/** One flag per source that a runtime may lack. */
export interface RuntimeSupport {
  readonly runtime: RuntimeName;
  /** `performance.eventLoopUtilization()` measures (Bun and Deno return zeros). */
  readonly eventLoopUtilization: boolean;
  /**
   * What `monitorEventLoopDelay` records: `'interval'` is Node's libuv timer, the time between
   * firings (the resolution plus the delay), `'delay'` only how late the timer ran (Bun, Deno).
   */
  readonly eventLoopDelaySamples: 'interval' | 'delay';
  /** `gc` performance entries are delivered (Bun lacks the type, Deno accepts it and sends none). */
  readonly gcEntries: boolean;
  /** `v8.getHeapSpaceStatistics()` describes real heap spaces (Bun maps its heap onto `old` and zeroes the rest). */
  readonly heapSpaces: boolean;
  /** `process._getActiveHandles()` lists the open handles (Bun always returns none). */
  readonly activeHandles: boolean;
  /** `process._getActiveRequests()` lists requests in flight (Bun and Deno always return none). */
  readonly activeRequests: boolean;
  /** `process.getActiveResourcesInfo()` lists what keeps the loop alive (Bun always returns none). */
  readonly activeResources: boolean;
}

const SUPPORT: Readonly<Record<RuntimeName, RuntimeSupport>> = {
  node: {
    runtime: 'node',
    eventLoopUtilization: true,
    eventLoopDelaySamples: 'interval',
    gcEntries: true,
    heapSpaces: true,
    activeHandles: true,
    activeRequests: true,
    activeResources: true,
  },
  bun: {
    runtime: 'bun',
    eventLoopUtilization: false,
    eventLoopDelaySamples: 'delay',
    gcEntries: false,
    heapSpaces: false,
    activeHandles: false,
    activeRequests: false,
    activeResources: false,
  },
  deno: {
    runtime: 'deno',
    eventLoopUtilization: false,
    eventLoopDelaySamples: 'delay',
    gcEntries: false,
    heapSpaces: true,
    activeHandles: true,
    activeRequests: false,
    activeResources: true,
  },
};

/** The runtime this code runs on; both Bun and Deno announce themselves with a global. */
export function currentRuntime(): RuntimeName {
  const scope = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown };
  if (scope.Bun !== undefined) return 'bun';
  if (scope.Deno !== undefined) return 'deno';
  return 'node';
}

export function runtimeSupport(runtime: RuntimeName = currentRuntime()): RuntimeSupport {
  return SUPPORT[runtime];
}
