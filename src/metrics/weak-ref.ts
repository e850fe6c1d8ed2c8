/**
 * Weak references to held series. Cloudflare Workers have no WeakRef: there the reference is
 * strong, so a held series (and a removed or expired one that was held) lives as long as its
 * metric, which a Worker's short-lived isolate bounds anyway.
 */

/** What the series store needs of a weak reference. */
export interface Ref<T extends object> {
  deref(): T | undefined;
}

/** A weak reference to `value` where the runtime has WeakRef, else a strong one. */
export const refTo: <T extends object>(value: T) => Ref<T> =
  typeof WeakRef === 'function' ? (value) => new WeakRef(value) : (value) => ({ deref: () => value });
