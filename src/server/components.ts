// Running the control-plane components (scheduler, controller manager) as
// clients of an API server, each behind its own leader election, so that
// with several servers exactly one of each is active.

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { RestClient } from '../client/rest-client.ts';
import { createComponentContext } from '../client/component-context.ts';
import { runLeaderElection, type LeaderElector } from '../client/leader-election.ts';
import type { ComponentContext } from '../client/interfaces.ts';
import type { Clock } from '../machinery/clock.ts';
import { startScheduler } from '../scheduler/scheduler.ts';
import type { SchedulerOptions } from '../scheduler/config.ts';
import { startControllerManager } from '../controllers/manager.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';

export type Running = { stop(): Promise<void> };

export type ComponentOptions = {
  /** The API server to talk to, e.g. http://127.0.0.1:6443. */
  server: string;
  token?: string;
  clock: Clock;
  log: (line: string) => void;
  leaderElect: boolean;
};

const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;

function contextFor(component: string, opts: ComponentOptions): ComponentContext {
  const client = new RestClient({ server: opts.server, userAgent: `${component}/v1.32.0 (skiff)`, ...(opts.token ? { token: opts.token } : {}) });
  return createComponentContext(client, opts.clock, (line) => opts.log(`${component}: ${line}`));
}

/** Starts `start` while this process holds the component's Lease in kube-system (at once without leader election). */
async function withLeaderElection(name: string, ctx: ComponentContext, opts: ComponentOptions, start: () => Promise<Running>): Promise<Running> {
  if (!opts.leaderElect) return start();
  let running: Running | undefined;
  let starting: Promise<void> | undefined;
  const elector: LeaderElector = runLeaderElection({
    client: ctx.client,
    namespace: 'kube-system',
    name,
    identity,
    clock: opts.clock,
    log: ctx.log,
    onStartedLeading() {
      opts.log(`${name}: became leader as ${identity}`);
      starting = start().then(
        (r) => {
          running = r;
        },
        (e: unknown) => opts.log(`${name}: failed to start: ${(e as Error).message}`),
      );
    },
    onStoppedLeading() {
      opts.log(`${name}: lost the lease; stopping`);
      const r = running;
      running = undefined;
      void r?.stop();
    },
  });
  return {
    async stop() {
      await elector.stop({ release: true });
      await starting;
      await running?.stop();
    },
  };
}

export async function runScheduler(opts: ComponentOptions, schedulerOptions: SchedulerOptions = {}): Promise<Running> {
  const ctx = contextFor('scheduler', opts);
  return withLeaderElection('kube-scheduler', ctx, opts, async () => {
    const s = await startScheduler(ctx, { hostname: hostname(), ...schedulerOptions });
    return {
      async stop() {
        await s.stop();
        ctx.informers.stop();
      },
    };
  });
}

export async function runControllerManager(
  opts: ComponentOptions,
  options: Partial<ControllerManagerOptions> = {},
  only?: readonly string[],
): Promise<Running> {
  const ctx = contextFor('controller-manager', opts);
  return withLeaderElection('kube-controller-manager', ctx, opts, async () => {
    const cm = await startControllerManager(ctx, options, only);
    return {
      async stop() {
        await cm.stop();
        ctx.informers.stop();
      },
    };
  });
}
