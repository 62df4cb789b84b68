// For the cluster controllers' tests: a real in-process API server, a client,
// an informer factory and a ControllerContext around them, and `eventually`.

import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import type { EventRecorder } from '../../client/interfaces.ts';
import { realClock, type Clock } from '../../machinery/clock.ts';
import { defaultControllerManagerOptions, type ControllerContext, type ControllerManagerOptions } from '../types.ts';

export type TestControllerEnv = { cluster: TestCluster; ctx: ControllerContext; logs: string[]; stop(): Promise<void> };

const silentRecorder: EventRecorder = { event() {} };

/** `clock` drives the controllers; the API server keeps real time. */
export async function startTestEnv(opts: { clock?: Clock; options?: Partial<ControllerManagerOptions> } = {}): Promise<TestControllerEnv> {
  const cluster = await startTestCluster();
  const clock = opts.clock ?? realClock;
  const logs: string[] = [];
  const informers = new InformerFactory(cluster.client, { log: (l) => logs.push(l) });
  const ctx: ControllerContext = {
    client: cluster.client,
    informers,
    clock,
    recorder: () => silentRecorder,
    log: (l) => logs.push(l),
    options: { ...defaultControllerManagerOptions, ...opts.options },
  };
  return {
    cluster,
    ctx,
    logs,
    async stop() {
      informers.stop();
      await cluster.stop();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
