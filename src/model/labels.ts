/**
 * Name and label validation, the typed label-set shapes, and the label-set builder every
 * metric shares.
 */
import { describeValue, LabelError, MetricDefinitionError } from '../errors.js';
import { compareUtf8 } from './byte-order.js';
import type { LabelSet } from './family.js';

/** A label value. Numbers are stringified, so `200` and `'200'` address one series. */
export type LabelValue = string | number;

/** The label set of a metric declared with `labelNames: L[]`: exactly these keys, no others. */
export type Labels<L extends string> = { readonly [K in L]: LabelValue };

/** The label argument of a call: nothing for a metric without labels, the full label set otherwise. */
export type LabelArgs<L extends string> = [L] extends [never] ? [] : [labels: Labels<L>];

/**
 * Which names a metric accepts. `utf8` (the default, as Prometheus 3): any well-formed, non-empty
 * string; names outside the legacy set are escaped or quoted when exposed. `legacy`: only
 * `[a-zA-Z_:][a-zA-Z0-9_:]*` for metrics and `[a-zA-Z_][a-zA-Z0-9_]*` for labels.
 */
export type NameValidation = 'utf8' | 'legacy';

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function isValidName(name: unknown, legacy: RegExp, validation: NameValidation): name is string {
  if (typeof name !== 'string') return false;
  return validation === 'legacy' ? legacy.test(name) : name !== '' && name.isWellFormed();
}

export function isValidMetricName(name: string, validation: NameValidation = 'utf8'): boolean {
  return isValidName(name, LEGACY_METRIC_NAME, validation);
}

export function isValidLabelName(name: string, validation: NameValidation = 'utf8'): boolean {
  return isValidName(name, LEGACY_LABEL_NAME, validation);
}

function ruleOf(legacy: RegExp, validation: NameValidation): string {
  return validation === 'legacy'
    ? `it must match ${legacy.source}`
    : 'it must be a non-empty string of well-formed UTF-16 (no lone surrogates)';
}

function checkValidation(name: string, validation: unknown): NameValidation {
  if (validation === undefined) return 'utf8';
  if (validation !== 'utf8' && validation !== 'legacy') {
    throw new MetricDefinitionError(
      name,
      `nameValidation must be 'utf8' or 'legacy', got ${JSON.stringify(validation)}`,
    );
  }
  return validation;
}

/** Checks a metric name under `validation` (default utf8) and returns it. */
export function validateMetricName(name: unknown, validation?: unknown): string {
  const rules = checkValidation(String(name), validation);
  if (!isValidName(name, LEGACY_METRIC_NAME, rules)) {
    throw new MetricDefinitionError(
      String(name),
      `invalid metric name ${JSON.stringify(name)}: ${ruleOf(LEGACY_METRIC_NAME, rules)}`,
    );
  }
  return name;
}

/** Checks a metric's variable and constant label names. */
export function validateLabelNames(
  metric: string,
  labelNames: readonly unknown[],
  constLabels: Readonly<Record<string, unknown>>,
  reserved: readonly string[],
  validation: NameValidation = 'utf8',
): void {
  const seen = new Set<string>();
  const check = (name: unknown, kind: string): void => {
    if (!isValidName(name, LEGACY_LABEL_NAME, validation)) {
      throw new MetricDefinitionError(
        metric,
        `invalid ${kind} name ${JSON.stringify(name)}: ${ruleOf(LEGACY_LABEL_NAME, validation)}`,
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
    all.sort((a, b) => compareUtf8(a.n, b.n));
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

/**
 * Compares two label sets of one metric by their values in UTF-8 byte order, the sorted
 * exposition order of client_golang.
 */
export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < av.length; i++) {
    const x = av[i]!;
    const y = bv[i]!;
    if (x !== y) return compareUtf8(x, y);
  }
  return 0;
}
