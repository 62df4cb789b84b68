// Running the control-plane components (scheduler, controller manager) as
// clients of an API server, each behind its own leader election, so that
// with several servers exactly one of each is active. Components on one
// thread share one InformerFactory (one watch per resource), each through a
// view of its own per term as leader.

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { RestClient } from '../client/rest-client.ts';
import { createComponentContext } from '../client/component-context.ts';
import { InformerFactory } from '../client/informer-factory.ts';
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
  /** Informers shared with the other components of this thread; else the component makes its own. */
  informers?: InformerFactory;
};

const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;

/** The component's own client: its user agent names it as field manager and event source. */
function contextFor(component: string, opts: ComponentOptions): ComponentContext & { informers: InformerFactory } {
  const client = new RestClient({ server: opts.server, userAgent: `${component}/v1.32.0 (skiff)`, ...(opts.token ? { token: opts.token } : {}) });
  const log = (line: string) => opts.log(`${component}: ${line}`);
  const informers = opts.informers ?? new InformerFactory(client, { clock: opts.clock, log });
  return { ...createComponentContext(client, opts.clock, log, informers), informers };
}

/** A fresh view per term as leader: stopping it drops what this term added, and a later term lists anew what no one else kept. */
function termContext(ctx: ComponentContext & { informers: InformerFactory }): ComponentContext {
  return { ...ctx, informers: ctx.informers.forComponent() };
}

/** Informers for components started together on one thread (see component-worker.ts). */
export function sharedInformers(server: string, token?: string): InformerFactory {
  const client = new RestClient({ server, userAgent: 'skiff-components/v1.32.0 (skiff)', ...(token ? { token } : {}) });
  return new InformerFactory(client, { log: (line) => process.stderr.write(`informers: ${line}\n`) });
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
    const term = termContext(ctx);
    const s = await startScheduler(term, { hostname: hostname(), ...schedulerOptions }).catch((e: unknown) => {
      term.informers.stop();
      throw e;
    });
    return {
      async stop() {
        await s.stop();
        term.informers.stop();
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
    const term = termContext(ctx);
    const cm = await startControllerManager(term, options, only).catch((e: unknown) => {
      term.informers.stop();
      throw e;
    });
    return {
      async stop() {
        await cm.stop();
        term.informers.stop();
      },
    };
  });
}
