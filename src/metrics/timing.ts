/**
 * Timers shared by Gauge, Histogram and Summary: `startTimer()` returns an `end()` that records
 * the elapsed seconds from a monotonic clock.
 */
import type { LabelValue } from '../model/labels.js';

/**
 * Stops a timer: records the elapsed seconds (with `extraLabels` merged over the start labels)
 * and returns them. Calling it again returns the same duration without recording twice. It is
 * also `Disposable`, so `using t = h.startTimer()` records when the scope ends.
 */
export interface EndTimer<L extends string> extends Disposable {
  (extraLabels?: Partial<Record<L, LabelValue>>): number;
}

export function startTimer<L extends string>(
  startLabels: Partial<Record<L, LabelValue>> | undefined,
  record: (seconds: number, labels: Partial<Record<L, LabelValue>> | undefined) => void,
): EndTimer<L> {
  const start = performance.now();
  let seconds: number | undefined;
  const end = (extraLabels?: Partial<Record<L, LabelValue>>): number => {
    if (seconds !== undefined) return seconds;
    const elapsed = (performance.now() - start) / 1000;
    const labels = extraLabels === undefined ? startLabels : { ...startLabels, ...extraLabels };
    record(elapsed, labels);
    seconds = elapsed;
    return elapsed;
  };
  return Object.assign(end, { [Symbol.dispose]: () => void end() }) as EndTimer<L>;
}
