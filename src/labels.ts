/**
 * Name and label validation, the typed label-set shapes, and the label-set builder every
 * metric shares.
 */
import { describeValue, LabelError, MetricDefinitionError } from './errors.js';
import type { LabelSet } from './exposition/model.js';

/** A label value. Numbers are stringified, so `200` and `'200'` address one series. */
export type LabelValue = string | number;

/** The label set of a metric declared with `labelNames: L[]`: exactly these keys, no others. */
export type Labels<L extends string> = { readonly [K in L]: LabelValue };

/** The label argument of a call: nothing for a metric without labels, the full label set otherwise. */
export type LabelArgs<L extends string> = [L] extends [never] ? [] : [labels: Labels<L>];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

export function validateMetricName(name: unknown): string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new MetricDefinitionError(
      String(name),
      `invalid metric name ${JSON.stringify(name)}: it must match ${METRIC_NAME.source}`,
    );
  }
  return name;
}

/** Checks a metric's variable and constant label names, and returns them frozen. */
export function validateLabelNames(
  metric: string,
  labelNames: readonly unknown[],
  constLabels: Readonly<Record<string, unknown>>,
  reserved: readonly string[],
): void {
  const seen = new Set<string>();
  const check = (name: unknown, kind: string): void => {
    if (typeof name !== 'string' || !LABEL_NAME.test(name)) {
      throw new MetricDefinitionError(
        metric,
        `invalid ${kind} name ${JSON.stringify(name)}: it must match ${LABEL_NAME.source}`,
      );
    }
    if (name.startsWith('__')) {
      throw new MetricDefinitionError(
        metric,
        `${kind} name "${name}" is reserved: the "__" prefix is internal`,
      );
    }
    if (reserved.includes(name)) {
      throw new MetricDefinitionError(metric, `${kind} name "${name}" is reserved for this metric type`);
    }
    if (seen.has(name)) throw new MetricDefinitionError(metric, `duplicate label name "${name}"`);
    seen.add(name);
  };
  for (const name of labelNames) check(name, 'label');
  for (const [name, value] of Object.entries(constLabels)) {
    check(name, 'constant label');
    if (typeof value !== 'string' || !value.isWellFormed()) {
      throw new MetricDefinitionError(
        metric,
        `constant label "${name}" must have a well-formed string value, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Turns a label value into its canonical string, or throws a LabelError naming metric, label and value. */
export function labelValueString(metric: string, name: string, value: unknown): string {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) {
      throw new LabelError(
        metric,
        `label "${name}" has a value with a lone UTF-16 surrogate: ${JSON.stringify(value)}`,
      );
    }
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (value === undefined) throw new LabelError(metric, `label "${name}" is missing`);
  throw new LabelError(
    metric,
    `label "${name}" must be a string or a number, got ${typeof value} ${describeValue(value)}`,
  );
}

/**
 * Builds label sets for one metric: constant labels merged with the variable ones, sorted by
 * name, so every encoder sees one canonical order.
 */
export class LabelSetBuilder {
  /** For each position of the sorted output: a variable label index, or -1 for a constant one. */
  readonly #source: readonly number[];
  /** For each variable label index: its position in the sorted output. */
  readonly #positions: readonly number[];
  readonly #names: readonly string[];
  readonly #constValues: readonly string[];

  constructor(labelNames: readonly string[], constLabels: Readonly<Record<string, string>>) {
    const all = [
      ...labelNames.map((n, i) => ({ n, i, v: '' })),
      ...Object.entries(constLabels).map(([n, v]) => ({ n, i: -1, v })),
    ];
    all.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
    this.#names = Object.freeze(all.map((e) => e.n));
    this.#source = all.map((e) => e.i);
    this.#constValues = all.map((e) => e.v);
    const positions = new Array<number>(labelNames.length);
    this.#source.forEach((src, k) => {
      if (src >= 0) positions[src] = k;
    });
    this.#positions = positions;
  }

  /** The variable label values of a label set this builder built, in label-name order. */
  variableValues(labels: LabelSet): string[] {
    return this.#positions.map((k) => labels.values[k]!);
  }

  build(values: readonly string[]): LabelSet {
    const out = new Array<string>(this.#source.length);
    for (let k = 0; k < out.length; k++) {
      const src = this.#source[k]!;
      out[k] = src < 0 ? this.#constValues[k]! : values[src]!;
    }
    return Object.freeze({ names: this.#names, values: Object.freeze(out) });
  }
}

/** Compares two label sets of one metric by their values, for the sorted exposition order. */
export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < av.length; i++) {
    const x = av[i]!;
    const y = bv[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
