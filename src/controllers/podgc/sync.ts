// Pod GC, one pass: pods bound to nodes that no longer exist are force-deleted
// (after a short quarantine, as the node may just be registering), unbound
// pods being deleted are force-deleted, and terminated pods beyond the
// threshold are deleted oldest first. A pod that has not finished is first
// marked Failed (an orphan also DisruptionTarget, DeletionByPodGC), as
// Kubernetes does, so that a Job tracking it sees how it ended.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, Lister } from '../../client/interfaces.ts';
import { isConflict, isInvalid, isNotFound } from '../../machinery/status.ts';
import { disruptionCondition, disruptionReasons, isTerminalPhase } from '../../api/disruption.ts';

export type Pod = KubeObject & { spec?: { nodeName?: string }; status?: { phase?: string } };

const podResource = resourceForKind('', 'Pod')!;
const nodeResource = resourceForKind('', 'Node')!;

export type PodGCOptions = { terminatedPodGCThreshold: number; quarantineMs: number };

export class PodGC {
  private readonly client: Client;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<KubeObject>;
  private readonly now: () => number;
  private readonly o: PodGCOptions;
  /** Nodes missing from the cache, and since when. */
  private readonly missingSince = new Map<string, number>();

  constructor(client: Client, pods: Lister<Pod>, nodes: Lister<KubeObject>, now: () => number, o: PodGCOptions) {
    this.client = client;
    this.pods = pods;
    this.nodes = nodes;
    this.now = now;
    this.o = o;
  }

  /** Returns how many pods it deleted. */
  async run(): Promise<number> {
    const pods = this.pods.list();
    let deleted = 0;
    deleted += await this.gcOrphaned(pods);
    for (const p of pods) {
      if (p.metadata.deletionTimestamp && !p.spec?.nodeName && (await this.failAndRemove(p))) deleted++;
    }
    deleted += await this.gcTerminated(pods);
    return deleted;
  }

  private async gcOrphaned(pods: readonly Pod[]): Promise<number> {
    const now = this.now();
    const missing = new Set<string>();
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (n && !this.nodes.get(undefined, n)) missing.add(n);
    }
    for (const n of this.missingSince.keys()) if (!missing.has(n)) this.missingSince.delete(n);
    const gone = new Set<string>();
    for (const n of missing) {
      const since = this.missingSince.get(n) ?? now;
      this.missingSince.set(n, since);
      if (now - since < this.o.quarantineMs) continue;
      // The cache may lag: only a node the API server does not have is gone.
      try {
        await this.client.get(nodeResource, undefined, n);
      } catch (e) {
        if (isNotFound(e)) gone.add(n);
        else throw e;
      }
    }
    let deleted = 0;
    for (const p of pods) if (p.spec?.nodeName && gone.has(p.spec.nodeName) && (await this.failAndRemove(p, disruptionReasons.podGC))) deleted++;
    return deleted;
  }

  private async gcTerminated(pods: readonly Pod[]): Promise<number> {
    const terminated = pods.filter((p) => (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && !p.metadata.deletionTimestamp);
    const excess = terminated.length - this.o.terminatedPodGCThreshold;
    if (this.o.terminatedPodGCThreshold <= 0 || excess <= 0) return 0;
    terminated.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    let deleted = 0;
    for (const p of terminated.slice(0, excess)) if (await this.remove(p, 0)) deleted++;
    return deleted;
  }

  /** Marks an unfinished pod Failed (with the disruption, when there is one), then force-deletes it. */
  private async failAndRemove(p: Pod, disruption?: { reason: string; message: string }): Promise<boolean> {
    if (!isTerminalPhase(p.status?.phase)) {
      const status = { phase: 'Failed', ...(disruption ? { conditions: [disruptionCondition(disruption, this.now())] } : {}) };
      try {
        await this.client.patch(podResource, p.metadata.namespace, p.metadata.name!, 'strategic', { metadata: { uid: p.metadata.uid }, status }, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e) || isConflict(e) || isInvalid(e)) return false;
        throw e;
      }
    }
    return this.remove(p, 0);
  }

  private async remove(p: Pod, gracePeriodSeconds: number): Promise<boolean> {
    try {
      await this.client.delete(podResource, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds, preconditions: { uid: p.metadata.uid! } });
      return true;
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return false;
      throw e;
    }
  }
}
