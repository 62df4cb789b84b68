// The runtime's containers of one pod, grouped by container name, newest
// attempt first, across every sandbox the pod had (a replaced sandbox's
// containers still give the restart count and the last state). Exited ones
// carry their termination message, read once per container.

import type { ContainerStatus, RuntimeService } from './runtime/runtime.ts';
import { runtimeLabels } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type Attempts = Map<string, ContainerStatus[]>;

export type ReadTerminationMessage = (pod: Pod, c: ContainerSpec, status: ContainerStatus) => Promise<string | undefined> | string | undefined;

export class ContainerAttempts {
  private readonly runtime: RuntimeService;
  private readonly read: ReadTerminationMessage | undefined;
  private readonly messages = new Map<string, string>();

  constructor(runtime: RuntimeService, read?: ReadTerminationMessage) {
    this.runtime = runtime;
    this.read = read;
  }

  async list(pod: Pod): Promise<Attempts> {
    const out: Attempts = new Map();
    const list = await this.runtime.listContainers({ labelSelector: { [runtimeLabels.podUid]: pod.metadata.uid ?? '' } });
    for (const c of list) {
      const st = await this.runtime.containerStatus(c.id);
      if (st.state === 'CONTAINER_EXITED') await this.fillMessage(pod, st);
      const arr = out.get(c.metadata.name) ?? [];
      arr.push(st);
      out.set(c.metadata.name, arr);
    }
    for (const arr of out.values()) arr.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
    return out;
  }

  /** A removed container's message is not needed any more. */
  forget(containerId: string): void {
    this.messages.delete(containerId);
  }

  private async fillMessage(pod: Pod, st: ContainerStatus): Promise<void> {
    if (!this.read) return;
    let msg = this.messages.get(st.id);
    if (msg === undefined) {
      const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === st.metadata.name);
      msg = (spec && (await this.read(pod, spec, st))) || '';
      this.messages.set(st.id, msg);
    }
    if (msg) st.message = msg;
  }
}
