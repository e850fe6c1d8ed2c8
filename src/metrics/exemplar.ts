/**
 * Exemplars: a labelled sample (typically a trace id) attached to a counter increment or a
 * histogram observation, so a dashboard can jump from a metric to an example request.
 *
 * @example
 * ```ts
 * import { Counter, Histogram } from 'aioprometheus';
 *
 * const requests = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route'] as const });
 * const latency = new Histogram({ name: 'request_seconds', help: 'Latency.', labelNames: ['route'] as const });
 * requests.inc({ route: '/' }, 1, { trace_id: '4bf92f3577b34da6' });
 * latency.observe({ route: '/' }, 0.042, { trace_id: '4bf92f3577b34da6' });
 * ```
 */
import { describeValue, LabelError } from '../errors.js';
import { compareUtf8 } from '../model/byte-order.js';
import type { Exemplar } from '../model/family.js';
import { isValidLabelName } from '../model/labels.js';

/**
 * The labels of an exemplar, e.g. `{ trace_id: 'abc' }`. Names follow the label name rules; names
 * and values together may hold at most 128 Unicode code points (OpenMetrics' limit).
 */
export type ExemplarLabels = Readonly<Record<string, string>>;

/** OpenMetrics' limit on the code points of an exemplar's label names and values together. */
export const EXEMPLAR_MAX_CODE_POINTS = 128;

/**
 * Validates exemplar labels and builds the exemplar of `value`, timestamped now (in seconds).
 * Throws a LabelError naming the metric for a label set that is not an object of strings, an
 * invalid label name, a value that is not a well-formed string, or more than 128 code points.
 */
export function makeExemplar(metric: string, labels: ExemplarLabels, value: number): Exemplar {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new LabelError(
      metric,
      `exemplar labels must be an object of strings, got ${describeValue(labels)}`,
    );
  }
  const names = Object.keys(labels);
  let units = 0;
  for (const name of names) {
    const v: unknown = labels[name];
    if (!isValidLabelName(name)) {
      throw new LabelError(metric, `invalid exemplar label name ${JSON.stringify(name)}`);
    }
    if (typeof v !== 'string' || !v.isWellFormed()) {
      throw new LabelError(
        metric,
        `exemplar label "${name}" must have a well-formed string value, got ${describeValue(v)}`,
      );
    }
    units += name.length + v.length;
  }
  // UTF-16 length bounds the code point count from above, so counting is needed only past the limit.
  if (units > EXEMPLAR_MAX_CODE_POINTS) {
    const points = names.reduce((n, name) => n + codePoints(name) + codePoints(labels[name]!), 0);
    if (points > EXEMPLAR_MAX_CODE_POINTS) {
      throw new LabelError(
        metric,
        `exemplar labels ${JSON.stringify(labels)} have ${points} code points in names and values; at most ${EXEMPLAR_MAX_CODE_POINTS} are allowed`,
      );
    }
  }
  names.sort(compareUtf8);
  const set = Object.freeze({
    names: Object.freeze(names),
    values: Object.freeze(names.map((n) => labels[n]!)),
  });
  return { labels: set, value, timestamp: Date.now() / 1000 };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
