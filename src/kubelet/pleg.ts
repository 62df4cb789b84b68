// Pod lifecycle event generator: relists the runtime's containers and tells
// the kubelet which pods saw a container change state, including containers
// that died outside the kubelet.

import type { Clock, Timer } from '../machinery/clock.ts';
import { runtimeLabels, type ContainerState, type RuntimeService } from './runtime/runtime.ts';

export const plegRelistPeriodMs = 1000;

export type PodLifecycleEvent = { podUid: string; containerId: string; type: 'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'ContainerChanged' };

export class Pleg {
  private readonly runtime: RuntimeService;
  private readonly clock: Clock;
  private readonly onEvent: (ev: PodLifecycleEvent) => void;
  private last = new Map<string, { podUid: string; state: ContainerState }>();
  private timer: Timer | undefined;
  private relisting = false;
  /** Time of the last completed relist, for a health check. */
  lastRelist = 0;

  constructor(runtime: RuntimeService, clock: Clock, onEvent: (ev: PodLifecycleEvent) => void) {
    this.runtime = runtime;
    this.clock = clock;
    this.onEvent = onEvent;
  }

  start(periodMs = plegRelistPeriodMs): void {
    this.timer = this.clock.setInterval(() => void this.relist(), periodMs);
  }

  stop(): void {
    this.timer?.cancel();
  }

  async relist(): Promise<void> {
    if (this.relisting) return;
    this.relisting = true;
    try {
      const now = new Map<string, { podUid: string; state: ContainerState }>();
      for (const c of await this.runtime.listContainers()) {
        const podUid = c.labels[runtimeLabels.podUid] ?? '';
        now.set(c.id, { podUid, state: c.state });
        const before = this.last.get(c.id);
        if (before?.state === c.state) continue;
        const type = c.state === 'CONTAINER_RUNNING' ? 'ContainerStarted' : c.state === 'CONTAINER_EXITED' ? 'ContainerDied' : 'ContainerChanged';
        this.onEvent({ podUid, containerId: c.id, type });
      }
      for (const [id, before] of this.last) if (!now.has(id)) this.onEvent({ podUid: before.podUid, containerId: id, type: 'ContainerRemoved' });
      this.last = now;
      this.lastRelist = this.clock.now();
    } finally {
      this.relisting = false;
    }
  }
}
