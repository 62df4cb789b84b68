// Pod lifecycle event generator: relists the runtime's sandboxes and
// containers and tells the kubelet which pods saw one change state, including
// containers and sandboxes that died outside the kubelet.

import type { Clock, Timer } from '../machinery/clock.ts';
import { runtimeLabels, type ContainerState, type PodSandboxState, type RuntimeService } from './runtime/runtime.ts';

export const plegRelistPeriodMs = 1000;

export type PodLifecycleEvent =
  | { podUid: string; containerId: string; type: 'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'ContainerChanged' }
  | { podUid: string; sandboxId: string; type: 'SandboxChanged' };

type Seen<S> = Map<string, { podUid: string; state: S }>;

export class Pleg {
  private readonly runtime: RuntimeService;
  private readonly clock: Clock;
  private readonly onEvent: (ev: PodLifecycleEvent) => void;
  private last: Seen<ContainerState> = new Map();
  private lastSandboxes: Seen<PodSandboxState> = new Map();
  private timer: Timer | undefined;
  private relisting = false;
  /** The runtime's revision at the start of the last completed relist, when it has one. */
  private seenRevision: number | undefined;
  /** Time of the last completed relist, for a health check. */
  lastRelist = 0;

  constructor(runtime: RuntimeService, clock: Clock, onEvent: (ev: PodLifecycleEvent) => void) {
    this.runtime = runtime;
    this.clock = clock;
    this.onEvent = onEvent;
  }

  start(periodMs = plegRelistPeriodMs): void {
    this.timer = this.clock.setInterval(() => {
      // Thousands of hollow nodes relist every second; most of them have seen no change since the last time.
      if (this.runtime.revision !== undefined && this.runtime.revision === this.seenRevision) this.lastRelist = this.clock.now();
      else void this.relist();
    }, periodMs);
  }

  stop(): void {
    this.timer?.cancel();
  }

  async relist(): Promise<void> {
    if (this.relisting) return;
    this.relisting = true;
    const revision = this.runtime.revision;
    try {
      const now: Seen<ContainerState> = new Map();
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
      // A sandbox whose pause process died leaves its containers running: only its own state tells.
      const sandboxes: Seen<PodSandboxState> = new Map();
      for (const sb of await this.runtime.listPodSandbox()) {
        const podUid = sb.labels[runtimeLabels.podUid] ?? sb.metadata.uid;
        sandboxes.set(sb.id, { podUid, state: sb.state });
        const before = this.lastSandboxes.get(sb.id);
        if (before && before.state !== sb.state) this.onEvent({ podUid, sandboxId: sb.id, type: 'SandboxChanged' });
      }
      for (const [id, before] of this.lastSandboxes) if (!sandboxes.has(id)) this.onEvent({ podUid: before.podUid, sandboxId: id, type: 'SandboxChanged' });
      this.lastSandboxes = sandboxes;
      this.lastRelist = this.clock.now();
      this.seenRevision = revision;
    } finally {
      this.relisting = false;
    }
  }
}
