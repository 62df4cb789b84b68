// Emptying a Terminating namespace: delete everything namespaced in it (every
// resource the scheme serves), wait for what has finalizers or a grace
// period, explain what remains in status conditions, then drop the
// `kubernetes` finalizer through namespaces/<name>/finalize.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind, resources, type ResourceInfo } from '../../api/scheme.ts';
import type { Client } from '../../client/interfaces.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';

export const namespaceFinalizer = 'kubernetes';
const nsResource = resourceForKind('', 'Namespace')!;

type Condition = { type: string; status: 'True' | 'False'; reason: string; message: string; lastTransitionTime?: string };
export type Namespace = KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string; conditions?: Condition[] } };

/** Namespaced resources to empty; events.k8s.io shares storage with core events. */
export function namespacedResources(): ResourceInfo[] {
  return resources.filter((r) => r.namespaced && !(r.group === 'events.k8s.io'));
}

export type Remaining = { counts: Map<string, number>; finalizers: Map<string, number>; deletedNow: number };

export class NamespaceSync {
  private readonly client: Client;
  private readonly now: () => number;
  private readonly parallel: number;

  constructor(client: Client, now: () => number, parallel = 32) {
    this.client = client;
    this.now = now;
    this.parallel = parallel;
  }

  /** Returns the delay before another look, or undefined when done. */
  async sync(name: string): Promise<number | undefined> {
    let ns: Namespace;
    try {
      ns = await this.client.get<Namespace>(nsResource, undefined, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(namespaceFinalizer)) return undefined;
    const remaining = await this.deleteContent(name);
    const total = [...remaining.counts.values()].reduce((a, b) => a + b, 0);
    if (total > 0) {
      await this.writeConditions(ns, remaining);
      // Just deleted things: look again soon; only waiting on finalizers or kubelets: less often.
      return remaining.deletedNow > 0 ? 50 : 1000;
    }
    await this.finalize(ns);
    return undefined;
  }

  async deleteContent(namespace: string): Promise<Remaining> {
    const out: Remaining = { counts: new Map(), finalizers: new Map(), deletedNow: 0 };
    for (const r of namespacedResources()) {
      let cont: string | undefined;
      do {
        const list = await this.client.list<KubeObject>(r, namespace, { limit: 500, ...(cont ? { continue: cont } : {}) });
        cont = list.metadata.continue || undefined;
        const toDelete: KubeObject[] = [];
        for (const obj of list.items) {
          out.counts.set(r.resource, (out.counts.get(r.resource) ?? 0) + 1);
          for (const f of obj.metadata.finalizers ?? []) out.finalizers.set(f, (out.finalizers.get(f) ?? 0) + 1);
          if (!obj.metadata.deletionTimestamp) toDelete.push(obj);
        }
        out.deletedNow += toDelete.length;
        await inParallel(toDelete, this.parallel, async (obj) => {
          try {
            await this.client.delete(r, namespace, obj.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid! } });
          } catch (e) {
            if (!isNotFound(e) && !isConflict(e)) throw e;
          }
        });
      } while (cont);
    }
    return out;
  }

  private async writeConditions(ns: Namespace, remaining: Remaining): Promise<void> {
    const content = [...remaining.counts].map(([r, n]) => `${r} has ${n} resource instances`).join(', ');
    const fins = [...remaining.finalizers].map(([f, n]) => `${f} in ${n} resource instances`).join(', ');
    const desired: Condition[] = [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      content
        ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${content}` }
        : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
      fins
        ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${fins}` }
        : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ];
    const old = ns.status?.conditions ?? [];
    const same = (a: Condition, b: Condition | undefined) => b !== undefined && a.status === b.status && a.reason === b.reason && a.message === b.message;
    if (desired.every((c) => same(c, old.find((o) => o.type === c.type)))) return;
    const now = rfc3339(this.now());
    const conditions = desired.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
    });
    try {
      await this.client.update(nsResource, undefined, { ...ns, status: { ...ns.status, conditions } }, { subresource: 'status' });
    } catch (e) {
      // A newer namespace is fine: the next pass writes again.
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }

  private async finalize(ns: Namespace): Promise<void> {
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== namespaceFinalizer);
    try {
      await this.client.update(nsResource, undefined, { ...ns, spec: { ...ns.spec, finalizers } }, { subresource: 'finalize' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
