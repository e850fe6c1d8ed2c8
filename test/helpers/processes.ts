/**
 * Helpers for integration tests that run real binaries (prometheus, promtool, pushgateway,
 * Python's OpenMetrics parser): find them, pick free ports, start and always stop them, and
 * wait with a bound.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The path of a binary, or undefined when it is not installed. Under CI (`CI` set) a missing
 * binary is an error: integration tests must run there, never skip.
 */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir !== '' && existsSync(path)) return path;
  }
  if (process.env.CI) throw new Error(`${name} is required when CI is set; .ci/run installs it`);
  return undefined;
}

/** Debian's python3 with the prometheus_client package, or undefined (an error under CI). */
export async function findPythonClient(): Promise<string | undefined> {
  const python = '/usr/bin/python3';
  const ok = await new Promise<boolean>((resolve) => {
    execFile(python, ['-c', 'import prometheus_client.openmetrics.parser'], (error) =>
      resolve(error === null),
    );
  });
  if (ok) return python;
  if (process.env.CI)
    throw new Error('python3-prometheus-client is required when CI is set; .ci/run installs it');
  return undefined;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** A temporary directory removed when the test ends. */
export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `aioprom-${prefix}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A started child process whose output is kept for error messages. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
}

/**
 * Spawns a long-running process (with `env` added to this process's environment) and kills it,
 * and waits for its exit, when the test ends.
 */
export function startProcess(
  t: TestContext,
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Started {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
  return { child, output: () => output };
}

/** A command line: what startProcess and run take. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * How to run `examples/<name>.ts` with tsx and `env` set: through env(1), which execs node in
 * place, so a signal sent to the process reaches the example itself.
 */
export function exampleCommand(name: string, env: Readonly<Record<string, string>> = {}): CommandLine {
  const file = fileURLToPath(new URL(`../../examples/${name}.ts`, import.meta.url));
  const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  return { command: '/usr/bin/env', args: [...assignments, process.execPath, '--import', 'tsx', file] };
}

/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`
 * with `what` and the last error in the message.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Runs a command to completion with a bounded time; resolves with its exit code and output. */
export function run(
  command: string,
  args: readonly string[],
  input?: string,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
