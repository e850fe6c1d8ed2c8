/**
 * An index from label values to one entry: one nested Map per label, keyed by the canonical value
 * string, so two different label sets can never share a key (no joined strings, no separators to
 * escape) and a label value string is held once per distinct prefix, not once per series.
 */

export type IndexNode = Map<string, unknown>;

export class LabelIndex<V> {
  readonly root: IndexNode = new Map();

  constructor(readonly depth: number) {}

  get(values: readonly string[]): V | undefined {
    let node: unknown = this.root;
    for (let i = 0; i < this.depth && node !== undefined; i++) node = (node as IndexNode).get(values[i]!);
    return node as V | undefined;
  }

  set(values: readonly string[], value: V): void {
    let node = this.root;
    for (let i = 0; i < this.depth - 1; i++) {
      let next = node.get(values[i]!) as IndexNode | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    node.set(values[this.depth - 1]!, value);
  }

  /** Deletes the entry and the inner Maps it leaves empty; returns whether there was one. */
  delete(values: readonly string[]): boolean {
    const path: IndexNode[] = [this.root];
    for (let i = 0; i < this.depth - 1; i++) {
      const next = path[i]!.get(values[i]!) as IndexNode | undefined;
      if (next === undefined) return false;
      path.push(next);
    }
    if (!path[this.depth - 1]!.delete(values[this.depth - 1]!)) return false;
    for (let i = this.depth - 1; i > 0 && path[i]!.size === 0; i--) path[i - 1]!.delete(values[i - 1]!);
    return true;
  }

  get empty(): boolean {
    return this.root.size === 0;
  }

  clear(): void {
    this.root.clear();
  }

  /** Deletes every entry for which `drop` is true, pruning the Maps left empty. */
  prune(drop: (value: V) => boolean): void {
    const walk = (node: IndexNode, level: number): void => {
      for (const [key, child] of node) {
        if (level === this.depth - 1) {
          if (drop(child as V)) node.delete(key);
        } else {
          walk(child as IndexNode, level + 1);
          if ((child as IndexNode).size === 0) node.delete(key);
        }
      }
    };
    walk(this.root, 0);
  }
}
