/**
 * Readings from Linux procfs for the calling process.
 *
 * `/proc/self/status`, `/proc/self/limits` and (once) `/proc/self/stat` are read synchronously: they are a few hundred
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

/**
 * USER_HZ, the unit of the times in /proc/<pid>/stat. The kernel fixes it at 100 for user space on
 * every Linux architecture, whatever its internal tick rate; Prometheus' procfs assumes the same.
 */
const USER_HZ = 100;

/**
 * When this process started, in seconds since the epoch, as the kernel records it and as
 * client_golang's process collector reports it: the boot time (`btime` of /proc/stat) plus the
 * start time in clock ticks since boot (field 22 of /proc/self/stat).
 */
export function readStartSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const startTicks = Number(fields[19]);
  const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1];
  if (!Number.isInteger(startTicks) || boot === undefined) {
    throw new Error('cannot read the start time from /proc/self/stat and the boot time from /proc/stat');
  }
  return Number(boot) + startTicks / USER_HZ;
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
