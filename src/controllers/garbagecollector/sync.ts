// The garbage collector's two jobs for one object, as Kubernetes does them:
// attemptToDelete (a dependent whose owners are all gone or waiting goes; a
// foreground-deleted owner loses its finalizer once its blocking dependents
// are gone) and orphan (dependents of an `orphan`-finalized owner lose their
// reference to it, then the owner loses the finalizer).

import { parseApiVersion, type KubeObject, type OwnerReference } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client } from '../../client/interfaces.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';
import type { GraphNode, OwnerGraph } from './owner-graph.ts';

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

type OwnerState = 'solid' | 'dangling' | 'waiting';

export class GarbageCollectorSync {
  private readonly graph: OwnerGraph;
  private readonly client: Client;
  /** Asks for another look at an object (by uid). */
  private readonly enqueue: (uid: string) => void;

  constructor(graph: OwnerGraph, client: Client, enqueue: (uid: string) => void) {
    this.graph = graph;
    this.client = client;
    this.enqueue = enqueue;
  }

  async sync(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.deleting) {
      if (node.finalizers.includes(orphanFinalizer)) await this.orphanDependents(node);
      else if (node.finalizers.includes(foregroundFinalizer)) await this.processDeletingDependents(node);
      return;
    }
    if (node.owners.length > 0) await this.attemptToDelete(node);
  }

  private async attemptToDelete(node: GraphNode): Promise<void> {
    const states = new Map<OwnerReference, OwnerState>();
    for (const ref of node.owners) states.set(ref, await this.classifyOwner(node, ref));
    const solid = node.owners.filter((r) => states.get(r) === 'solid');
    const waiting = node.owners.filter((r) => states.get(r) === 'waiting');
    if (solid.length > 0) {
      // Still owned: only the references to owners that are gone or going are dropped.
      const drop = node.owners.filter((r) => states.get(r) !== 'solid').map((r) => r.uid);
      if (drop.length > 0) await this.removeOwnerReferences(node, drop);
      return;
    }
    // An owner waiting for us makes us foreground too, so our own dependents go first.
    const policy = waiting.length > 0 && this.graph.dependentsOf(node.uid).length > 0 ? 'Foreground' : 'Background';
    try {
      await this.client.delete(node.resource, node.namespace, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** Is the owner there (solid), gone or never there (dangling), or being deleted in the foreground (waiting)? */
  private async classifyOwner(node: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const known = this.graph.get(ref.uid);
    if (known) return known.deleting && known.finalizers.includes(foregroundFinalizer) ? 'waiting' : 'solid';
    const resource = resourceForKind(parseApiVersion(ref.apiVersion).group, ref.kind);
    // A kind this server does not serve cannot be checked: keep the dependent.
    if (!resource) return 'solid';
    if (resource.namespaced && !node.namespace) return 'dangling';
    // The graph may lag behind the API: ask the server before calling an owner gone.
    try {
      const owner = await this.client.get<KubeObject>(resource, resource.namespaced ? node.namespace : undefined, ref.name);
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(foregroundFinalizer) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  private async processDeletingDependents(owner: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependentsOf(owner.uid);
    if (blocking.length === 0) {
      await this.removeFinalizer(owner, foregroundFinalizer);
      return;
    }
    for (const d of this.graph.dependentsOf(owner.uid)) if (!d.deleting) this.enqueue(d.uid);
  }

  private async orphanDependents(owner: GraphNode): Promise<void> {
    for (const d of this.graph.dependentsOf(owner.uid)) await this.removeOwnerReferences(d, [owner.uid]);
    await this.removeFinalizer(owner, orphanFinalizer);
  }

  private async removeOwnerReferences(node: GraphNode, uids: readonly string[]): Promise<void> {
    await this.rewrite(node, (obj) => {
      const refs = obj.metadata.ownerReferences ?? [];
      const kept = refs.filter((r) => !uids.includes(r.uid));
      if (kept.length === refs.length) return false;
      obj.metadata.ownerReferences = kept;
      return true;
    });
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await this.rewrite(node, (obj) => {
      const fs = obj.metadata.finalizers ?? [];
      if (!fs.includes(finalizer)) return false;
      obj.metadata.finalizers = fs.filter((f) => f !== finalizer);
      return true;
    });
  }

  /** Read, change, write with the read resourceVersion as a precondition; conflicts retry. */
  private async rewrite(node: GraphNode, change: (obj: KubeObject) => boolean): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let obj: KubeObject;
      try {
        obj = await this.client.get<KubeObject>(node.resource, node.namespace, node.name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      if (obj.metadata.uid !== node.uid || !change(obj)) return;
      // Empty lists are sent as null so the fields go, as Kubernetes omits them.
      const orNull = (l: unknown[] | undefined) => (l && l.length > 0 ? l : null);
      const patch = { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: orNull(obj.metadata.ownerReferences), finalizers: orNull(obj.metadata.finalizers) } };
      try {
        await this.client.patch(node.resource, node.namespace, node.name, 'merge', patch);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
    throw new Error(`garbage collector: ${node.resource.resource} ${node.namespace ?? ''}/${node.name} kept changing`);
  }
}
