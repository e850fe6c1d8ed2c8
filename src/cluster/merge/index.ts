/**
 * Merging worker snapshots: one file per metric type's merge, the shared grouping and the
 * per-series combination rules, and the part of a snapshot that outlives its worker.
 */
export type { Contribution } from './members.js';
export { monotonicPart } from './monotonic.js';
export { type MergeOptions, type MergeResult, mergeSnapshots } from './snapshots.js';
