/** A real Pushgateway on a free port for one test, and what it holds. */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findBinary, freePort, startProcess, tempDir, waitFor } from './processes.js';

/** One group as the gateway's `/api/v1/metrics` lists it. */
export interface Group {
  readonly labels: Record<string, string>;
  readonly [family: string]: unknown;
}

/** The gateway binary, or undefined when it is missing (an error when CI is set). */
export const pushgatewayBinary = findBinary('prometheus-pushgateway');

/** Starts a Pushgateway that the test stops when it ends; resolves with its base URL once ready. */
export async function startPushgateway(t: TestContext): Promise<string> {
  if (pushgatewayBinary === undefined) throw new Error('prometheus-pushgateway is not installed');
  const port = await freePort();
  const dir = await tempDir(t, 'pushgateway');
  const gateway = startProcess(t, pushgatewayBinary, [
    `--web.listen-address=127.0.0.1:${port}`,
    `--persistence.file=${join(dir, 'p')}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the Pushgateway to be ready (${gateway.output()})`, async () =>
    (await fetch(`${url}/-/ready`)).status === 200 ? true : undefined,
  );
  return url;
}

/** Every group the gateway holds. */
export async function pushgatewayGroups(url: string): Promise<Group[]> {
  const response = await fetch(`${url}/api/v1/metrics`);
  return ((await response.json()) as { data: Group[] }).data;
}
