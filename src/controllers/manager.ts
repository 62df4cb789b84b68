// The controller manager: starts every controller's control loop over one shared informer factory.

import type { ComponentContext } from '../client/interfaces.ts';
import { clusterControllers } from './cluster-controllers.ts';
import { statefulControllers } from './stateful-controllers.ts';
import { workloadControllers } from './workload-controllers.ts';
import { defaultControllerManagerOptions, type ControllerDescriptor, type ControllerManagerOptions, type RunningController } from './types.ts';

export const allControllers: readonly ControllerDescriptor[] = [...workloadControllers, ...statefulControllers, ...clusterControllers];

export type RunningControllerManager = { names: string[]; stop(): Promise<void> };

/** Starts the named controllers (all when `only` is absent), then the informers they registered. */
export async function startControllerManager(
  ctx: ComponentContext,
  options: Partial<ControllerManagerOptions> = {},
  only?: readonly string[],
): Promise<RunningControllerManager> {
  const full = { ...ctx, options: { ...defaultControllerManagerOptions, ...options } };
  const chosen = allControllers.filter((c) => !only || only.includes(c.name));
  const running: RunningController[] = [];
  for (const c of chosen) {
    running.push(await c.start(full));
    ctx.log(`started ${c.name}`);
  }
  ctx.informers.start();
  return {
    names: chosen.map((c) => c.name),
    async stop() {
      for (const r of running.reverse()) await r.stop();
    },
  };
}
