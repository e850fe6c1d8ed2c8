/**
 * `npx tsx bench/label-sort.ts`: the sort of new series by label values (issue #10, the cold first
 * render). Every case runs in a fresh process, because the first call, before the JIT has warmed
 * up, is what the first scrape of a large registry pays. Prints milliseconds per case: the first
 * call ("cold") and the best later one ("warm"); for the sort in slices, the longest time the
 * event loop waited for a turn.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sortSlots, sortSlotsInSlices } from '../src/metrics/label-sort.js';

type Columns = string[][];

/** `lowColumns` columns of ten values each (every string its own object), then a unique path. */
function columnsFor(n: number, lowColumns: number, offset = 0): Columns {
  const columns: Columns = [];
  for (let k = 0; k < lowColumns; k++) {
    columns.push(Array.from({ length: n }, (_, i) => `value_${((i + offset) >> k) % 10}`));
  }
  columns.push(Array.from({ length: n }, (_, i) => `path/${i + offset}`));
  return columns;
}

function identity(n: number): Int32Array {
  return new Int32Array(n).map((_, i) => i);
}

/** The time of `sort` on fresh input from `prepare` (made outside the timing), first call and best later one. */
function coldAndWarm<T>(
  calls: number,
  prepare: () => T,
  sort: (input: T) => void,
): { cold: number; warm: number } {
  const times = Array.from({ length: calls }, () => {
    const input = prepare();
    const start = performance.now();
    sort(input);
    return performance.now() - start;
  });
  return { cold: times[0]!, warm: Math.min(...times.slice(1)) };
}

async function runCase(name: string): Promise<Record<string, number>> {
  switch (name) {
    case '100k x 2': {
      const columns = columnsFor(100_000, 1);
      return coldAndWarm(
        4,
        () => identity(100_000),
        (slots) => sortSlots(slots, columns),
      );
    }
    case '100k x 5': {
      const columns = columnsFor(100_000, 4);
      return coldAndWarm(
        4,
        () => identity(100_000),
        (slots) => sortSlots(slots, columns),
      );
    }
    case '1000 x 100': {
      const sets = Array.from({ length: 1000 }, (_, m) => columnsFor(100, 1, m * 100));
      return coldAndWarm(
        4,
        () => sets.map(() => identity(100)),
        (slots) => {
          for (let m = 0; m < sets.length; m++) sortSlots(slots[m]!, sets[m]!);
        },
      );
    }
    case '1M x 2': {
      const columns = columnsFor(1_000_000, 1);
      const once = coldAndWarm(
        2,
        () => identity(1_000_000),
        (slots) => sortSlots(slots, columns),
      );
      const slots = identity(1_000_000);
      let longest = 0;
      let last = performance.now();
      let ticking = true;
      const tick = (): void => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const start = performance.now();
      await sortSlotsInSlices(slots, columns, 5);
      const sliced = performance.now() - start;
      ticking = false;
      return { ...once, sliced, 'longest wait': longest };
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
}

const CASES = ['100k x 2', '100k x 5', '1000 x 100', '1M x 2'];
const RUNS = Number(process.env.RUNS ?? 3);

if (process.argv[2] === '--case') {
  process.stdout.write(JSON.stringify(await runCase(process.argv[3]!)));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const name of CASES) {
    const runs: Record<string, number>[] = [];
    for (let r = 0; r < RUNS; r++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--case', name], {
        encoding: 'utf8',
      });
      runs.push(JSON.parse(out) as Record<string, number>);
    }
    const fields = Object.keys(runs[0]!).map(
      (field) => `${field} ${runs.map((run) => run[field]!.toFixed(1)).join('/')} ms`,
    );
    process.stdout.write(`${name}: ${fields.join(', ')}\n`);
  }
}
