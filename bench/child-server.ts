/**
 * Runs a benchmark's server in a child process (`node --import tsx <script> <args…>`), so the
 * load generator in this process and the server each get a core and neither one's heap or JIT
 * state leaks into the other's measurement. The script prints its URL as its first line.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServer {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts `script` (with extra `nodeFlags`, e.g. `--expose-gc`) and resolves with the URL it
 * prints; rejects if it exits or is silent for `startTimeoutMs` (default 30 s).
 */
export function startChildServer(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
  startTimeoutMs = 30_000,
): Promise<ChildServer> {
  const label = `${script} ${args.join(' ')}`;
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${label} did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve({ child, url: output.slice(0, newline) });
      }
    });
  });
}

/** Kills a child server and waits until it has exited. */
export async function stopChildServer({ child }: ChildServer): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}
