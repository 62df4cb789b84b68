// Status writes for a kubelet with static pods: a static pod's status goes to
// its mirror pod (another uid), and is sent again when the mirror appears or
// is recreated, since the pod worker only reports on change.

import type { Client } from '../../client/interfaces.ts';
import { PodStatusWriter } from '../status-writer.ts';
import type { Pod, PodStatus } from '../types.ts';

export type MirrorLookup = { isStatic(pod: Pod): boolean; mirrorFor(pod: Pod): Pod | undefined };

export class MirrorStatusWriter extends PodStatusWriter {
  private lookup: MirrorLookup | undefined;
  private readonly latest = new Map<string, { pod: Pod; status: PodStatus }>();

  constructor(client: Client, log: (line: string) => void, concurrency = 8) {
    super(client, log, concurrency);
  }

  /** Set once the static pod manager exists (it needs the kubelet, which needs this writer). */
  setLookup(lookup: MirrorLookup): void {
    this.lookup = lookup;
  }

  override write(pod: Pod, status: PodStatus): Promise<void> {
    if (!this.lookup?.isStatic(pod)) return super.write(pod, status);
    const k = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.latest.set(k, { pod, status });
    const mirror = this.lookup.mirrorFor(pod);
    return mirror ? super.write(mirror, status) : Promise.resolve();
  }

  /** The mirror of namespace/name is new: send it the static pod's last status. */
  resend(k: string): void {
    const l = this.latest.get(k);
    const mirror = l && this.lookup?.mirrorFor(l.pod);
    if (!l || !mirror) return;
    this.forget(mirror.metadata.uid ?? '');
    void super.write(mirror, l.status);
  }

  /** The static pod is gone. */
  drop(k: string): void {
    this.latest.delete(k);
  }
}
