// A stand-in for scheduler and kubelets in tests and benchmarks: binds each
// new pod to a node, reports it Running and Ready, and finishes graceful
// deletions at once. Talks to the API like the real components do.

import { resourceForKind } from '../../../api/scheme.ts';
import type { Client, Lister, SharedInformerFactory } from '../../../client/interfaces.ts';
import { rfc3339 } from '../../../machinery/clock.ts';
import type { Clock } from '../../../machinery/clock.ts';
import { isNotFound, isConflict } from '../../../machinery/status.ts';
import type { Pod } from '../types.ts';

const podsR = resourceForKind('', 'Pod')!;

export type PodSimulatorOptions = {
  client: Client;
  informers: SharedInformerFactory;
  clock: Clock;
  /** Nodes to spread pods over, round robin (default one node `sim-0`). */
  nodes?: readonly string[];
  /** Pods whose image this returns false for stay Pending and not ready (a bad rollout). */
  healthy?: (pod: Pod) => boolean;
  /** In-flight API calls at most (default 32). */
  concurrency?: number;
};

export class PodSimulator {
  /** API calls made, for per-pod request counts. */
  requests = 0;
  private next = 0;
  private readonly busy = new Set<string>();
  /** Pods already bound and reported (by uid): later events about them need nothing until deletion. */
  private readonly started = new Set<string>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly o: PodSimulatorOptions;
  private readonly lister: Lister<Pod>;
  /** The last error of an API call, if any (tests assert it stays empty). */
  lastError: unknown;
  constructor(o: PodSimulatorOptions) {
    this.o = o;
    const inf = o.informers.informerFor<Pod>(podsR);
    this.lister = inf.lister;
    inf.addEventHandler({ onAdd: (p) => this.handle(p), onUpdate: (_o, p) => this.handle(p) });
  }

  private handle(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.busy.has(key)) return;
    const uid = pod.metadata.uid ?? '';
    const needs = pod.metadata.deletionTimestamp || (!this.started.has(uid) && (!pod.spec?.nodeName || (pod.status?.phase !== 'Running' && this.isHealthy(pod))));
    if (!needs) return;
    this.busy.add(key);
    void this.limit(() => this.step(pod))
      .catch((e: unknown) => (this.lastError = e))
      .finally(() => {
        this.busy.delete(key);
        // Events that came while we were busy: look at the pod as the cache has it now.
        const latest = this.lister.get(pod.metadata.namespace, pod.metadata.name ?? '');
        if (latest && latest.metadata.resourceVersion !== pod.metadata.resourceVersion) this.handle(latest);
      });
  }

  private isHealthy(pod: Pod): boolean {
    return this.o.healthy ? this.o.healthy(pod) : true;
  }

  private async step(pod: Pod): Promise<void> {
    const ns = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    try {
      if (pod.metadata.deletionTimestamp) {
        this.started.delete(pod.metadata.uid ?? '');
        this.requests++;
        await this.o.client.delete(podsR, ns, name, { gracePeriodSeconds: 0 });
        return;
      }
      if (!pod.spec?.nodeName) {
        const nodes = this.o.nodes ?? ['sim-0'];
        const node = nodes[this.next++ % nodes.length]!;
        this.requests++;
        try {
          await this.o.client.postSubresource(podsR, ns, name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
        } catch (e) {
          // Bound meanwhile (by a real scheduler): report it all the same.
          if (!isConflict(e)) throw e;
        }
      }
      this.started.add(pod.metadata.uid ?? '');
      if (!this.isHealthy(pod)) return;
      const now = rfc3339(this.o.clock.now());
      this.requests++;
      await this.o.client.patch(podsR, ns, name, 'merge', {
        status: {
          phase: 'Running',
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'True', lastTransitionTime: now },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
          ],
        },
      }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  private async limit<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= (this.o.concurrency ?? 32)) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
