/**
 * Readings from Linux procfs for the calling process.
 *
 * `/proc/self/status` and `/proc/self/limits` are read synchronously: they are a few hundred
 * bytes generated from kernel memory, never touch a disk and cost ~15 µs, where the async read
 * costs ~100 µs of thread-pool round trips and can queue behind the application's file I/O.
 * `/proc/self/fd` is listed asynchronously because its size grows with the open descriptors.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** Memory figures of `/proc/self/status`, in bytes. */
export interface ProcStatus {
  /** VmRSS: resident set size. */
  readonly residentBytes: number;
  /** VmSize: virtual memory size. */
  readonly virtualBytes: number;
  /** VmData: size of the data segment (heap and other private anonymous mappings). */
  readonly dataBytes: number;
}

/** Whether this process can read its procfs entries (Linux with /proc mounted). */
export function hasProcfs(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    readFileSync('/proc/self/status', 'latin1');
    return true;
  } catch {
    return false;
  }
}

export function readStatus(): ProcStatus {
  const text = readFileSync('/proc/self/status', 'latin1');
  return {
    residentBytes: statusKilobytes(text, 'VmRSS') * 1024,
    virtualBytes: statusKilobytes(text, 'VmSize') * 1024,
    dataBytes: statusKilobytes(text, 'VmData') * 1024,
  };
}

/** The soft limit on open file descriptors (`Max open files`); +Inf when unlimited. */
export function readMaxFds(): number {
  const text = readFileSync('/proc/self/limits', 'latin1');
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
  const value = Number(soft);
  if (soft === undefined || !Number.isFinite(value)) {
    throw new Error(`cannot read "Max open files" from /proc/self/limits: ${JSON.stringify(line)}`);
  }
  return value;
}

/** The number of open file descriptors, not counting the one used to list them. */
export async function countOpenFds(): Promise<number> {
  const entries = await readdir('/proc/self/fd');
  return entries.length - 1;
}

/** A `Name:   1234 kB` line of /proc/self/status, in kilobytes; throws when it is missing. */
function statusKilobytes(text: string, field: string): number {
  const start = text.indexOf(`\n${field}:`);
  if (start < 0) throw new Error(`/proc/self/status has no ${field} line`);
  const value = Number.parseInt(
    text.slice(start + field.length + 2, text.indexOf('\n', start + 1)).trim(),
    10,
  );
  if (!Number.isFinite(value)) throw new Error(`/proc/self/status has an unreadable ${field} line`);
  return value;
}
