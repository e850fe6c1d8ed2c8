/**
 * Private state on objects a class did not create. A base constructor that returns the object it
 * was given makes `new Subclass(target)` install the subclass's private fields on `target`,
 * whose prototype and enumerable properties stay as they were: a spread or JSON copy does not
 * carry the fields, and only the subclass can read them (`#field in value`). A field costs a
 * property store to add and a load to read, where a WeakMap entry per object costs a hash-table
 * entry to add, a lookup to read, and extra work for the garbage collector, which a registry of
 * many small families paid on every collection.
 */
export class FieldHost {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: returning `target` is what puts the subclass's fields on it.
    return target as FieldHost;
  }
}
