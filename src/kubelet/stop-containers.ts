// Stopping a pod's running containers within one grace period: regular
// containers (and a running init container) together, then the sidecars,
// last one first. Each gets its preStop hook, SIGTERM, and a kill when the
// time left runs out.

import type { Clock } from '../machinery/clock.ts';
import type { Attempts } from './container-attempts.ts';
import { isSidecar } from './pod-status.ts';
import type { Prober } from './prober.ts';
import type { RuntimeService } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type StopDeps = {
  clock: Clock;
  runtime: RuntimeService;
  prober: Prober;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
};

type PreStop = NonNullable<NonNullable<ContainerSpec['lifecycle']>['preStop']>;

export async function stopContainers(deps: StopDeps, pod: Pod, podIP: string, attempts: Attempts, grace: number): Promise<void> {
  const started = deps.clock.now();
  const left = () => Math.max(0, grace - Math.floor((deps.clock.now() - started) / 1000));
  const init = pod.spec.initContainers ?? [];
  const stop = async (c: ContainerSpec) => {
    const latest = attempts.get(c.name)?.[0];
    if (!latest || latest.state !== 'CONTAINER_RUNNING') return;
    deps.event('Normal', 'Killing', `Stopping container ${c.name}`);
    const preStop = c.lifecycle?.preStop;
    if (preStop && left() > 0) await runPreStop(deps, { pod, container: c, containerId: latest.id, podIP, kind: 'liveness' }, preStop, left());
    await deps.runtime.stopContainer(latest.id, left());
  };
  await Promise.all([...init.filter((c) => !isSidecar(c)), ...pod.spec.containers].map(stop));
  for (const c of init.filter(isSidecar).reverse()) await stop(c);
}

async function runPreStop(deps: StopDeps, target: Parameters<Prober['probe']>[0], hook: PreStop, grace: number): Promise<void> {
  if (hook.sleep) {
    const ms = Math.min(hook.sleep.seconds, grace) * 1000;
    await new Promise<void>((r) => deps.clock.setTimeout(r, ms));
    return;
  }
  const out = await deps.prober.probe(target, hook, grace * 1000);
  if (!out.ok) deps.event('Warning', 'FailedPreStopHook', `PreStopHook failed: ${out.output}`);
}
