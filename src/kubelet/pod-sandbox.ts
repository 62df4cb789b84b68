// The sandbox of one pod. On the worker's first sync it takes over what the
// runtime already runs for the pod (a restarted kubelet must not start it
// twice): the newest ready sandbox is adopted, older ones removed. A sandbox
// that died outside the kubelet (pause killed, machine rebooted) is replaced
// by one with the next attempt number, as Kubernetes does; the dead one stays
// (stopped) so its containers still give the containers' last state.

import { buildSandboxConfig, type SandboxContext } from './sandbox-config.ts';
import { runtimeLabels, type PodSandbox, type PodSandboxConfig, type RuntimeService } from './runtime/runtime.ts';
import type { Pod } from './types.ts';

export type Sandbox = { id: string; ip: string; config: PodSandboxConfig };

export type PodSandboxDeps = {
  runtime: RuntimeService;
  context: SandboxContext;
  /** A host-network pod shares the node's address. */
  hostIP: string;
  log(line: string): void;
};

export class PodSandboxes {
  private readonly deps: PodSandboxDeps;
  private current: Sandbox | undefined;
  private nextAttempt = 0;
  private adopted = false;

  constructor(deps: PodSandboxDeps) {
    this.deps = deps;
  }

  get sandbox(): Sandbox | undefined {
    return this.current;
  }

  /** Once, on the first sync: adopts the pod's newest ready sandbox (else its newest dead one, to be replaced), removes the rest. */
  async adopt(pod: Pod): Promise<void> {
    if (this.adopted) return;
    const list = await this.list(pod);
    this.adopted = true;
    if (list.length === 0) return;
    list.sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
    this.nextAttempt = list[0]!.metadata.attempt + 1;
    const keep = list.find((s) => s.state === 'SANDBOX_READY') ?? list[0]!;
    for (const s of list) if (s !== keep) await this.discard(s.id);
    this.current = await this.describe(pod, keep.id, keep.metadata.attempt);
    const c = await this.deps.runtime.listContainers({ podSandboxId: keep.id });
    this.deps.log(`pod ${podKey(pod)}: adopted ${keep.state === 'SANDBOX_READY' ? 'running' : 'dead'} sandbox ${keep.id.slice(0, 13)} (attempt ${keep.metadata.attempt}, ${c.length} container(s))`);
  }

  /** Whether the current sandbox is still there and ready. */
  async ready(): Promise<boolean> {
    if (!this.current) return false;
    try {
      return (await this.deps.runtime.podSandboxStatus(this.current.id)).state === 'SANDBOX_READY';
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Creates a sandbox with the next attempt number and makes it the current one. */
  async create(pod: Pod): Promise<Sandbox> {
    const attempt = this.nextAttempt;
    const config = buildSandboxConfig(pod, this.deps.context, attempt);
    const id = await this.deps.runtime.runPodSandbox(config);
    this.nextAttempt = attempt + 1;
    const st = await this.deps.runtime.podSandboxStatus(id);
    this.current = { id, ip: pod.spec.hostNetwork ? this.deps.hostIP : st.network.ip, config };
    return this.current;
  }

  /** Stops the current sandbox (its network goes; its containers stay for their status). */
  async stop(): Promise<void> {
    if (this.current) await this.deps.runtime.stopPodSandbox(this.current.id);
  }

  /** Removes replaced sandboxes that no longer hold any container. */
  async pruneEmpty(pod: Pod): Promise<void> {
    for (const s of await this.list(pod)) {
      if (s.id === this.current?.id) continue;
      if ((await this.deps.runtime.listContainers({ podSandboxId: s.id })).length === 0) await this.discard(s.id);
    }
  }

  /** Every sandbox of the pod stopped and removed, with its containers. */
  async removeAll(pod: Pod): Promise<void> {
    for (const s of await this.list(pod)) await this.discard(s.id);
  }

  private list(pod: Pod): Promise<PodSandbox[]> {
    return this.deps.runtime.listPodSandbox({ labelSelector: { [runtimeLabels.podUid]: pod.metadata.uid ?? '' } });
  }

  private async discard(id: string): Promise<void> {
    await this.deps.runtime.stopPodSandbox(id);
    await this.deps.runtime.removePodSandbox(id);
  }

  private async describe(pod: Pod, id: string, attempt: number): Promise<Sandbox> {
    const st = await this.deps.runtime.podSandboxStatus(id);
    const config = buildSandboxConfig(pod, this.deps.context, attempt);
    return { id, ip: pod.spec.hostNetwork ? this.deps.hostIP : st.network.ip, config };
  }
}

const podKey = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** The fake runtime marks missing objects with code NotFound; CRI says "not found" (gRPC 5). */
function isNotFound(e: unknown): boolean {
  const err = e as { code?: unknown; message?: string };
  return err.code === 'NotFound' || err.code === 5 || /not found/i.test(err.message ?? '');
}
