// The garbage collector's picture of the cluster: every object by uid, who it
// points at through ownerReferences, and the reverse edges (an owner's dependents).

import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';

export type GraphNode = {
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
  uid: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
};

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /**
   * Records the object; returns the node, the owner uids that were added or
   * removed, and whether anything the collector reads changed at all.
   */
  upsert(resource: ResourceInfo, obj: KubeObject): { node: GraphNode; changedOwners: string[]; changed: boolean } {
    const uid = obj.metadata.uid ?? '';
    const old = this.nodes.get(uid);
    const refs = obj.metadata.ownerReferences ?? [];
    // Most updates (status writes, Lease renewals) leave owners, deletion and finalizers as they were: nothing to redo.
    if (old && unchanged(old, obj, refs)) return { node: old, changedOwners: [], changed: false };
    const node: GraphNode = {
      resource,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name ?? '',
      uid,
      owners: refs.map((o) => ({ ...o })),
      deleting: Boolean(obj.metadata.deletionTimestamp),
      finalizers: [...(obj.metadata.finalizers ?? [])],
    };
    this.nodes.set(uid, node);
    const before = new Set((old?.owners ?? []).map((o) => o.uid));
    const after = new Set(node.owners.map((o) => o.uid));
    const changed: string[] = [];
    for (const o of before) {
      if (!after.has(o)) {
        this.dependents.get(o)?.delete(uid);
        changed.push(o);
      }
    }
    for (const o of after) {
      if (!before.has(o)) {
        let set = this.dependents.get(o);
        if (!set) this.dependents.set(o, (set = new Set()));
        set.add(uid);
        changed.push(o);
      }
    }
    // blockOwnerDeletion may have flipped on an unchanged edge: a waiting owner needs a look.
    for (const o of node.owners) if (!changed.includes(o.uid)) changed.push(o.uid);
    return { node, changedOwners: changed, changed: true };
  }

  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const o of node.owners) {
      const set = this.dependents.get(o.uid);
      set?.delete(uid);
      if (set && set.size === 0) this.dependents.delete(o.uid);
    }
    return node;
  }

  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(uid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents whose reference to `uid` has blockOwnerDeletion: these hold a foreground delete. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion === true));
  }
}

function unchanged(node: GraphNode, obj: KubeObject, refs: readonly OwnerReference[]): boolean {
  const finalizers = obj.metadata.finalizers ?? [];
  return (
    node.deleting === Boolean(obj.metadata.deletionTimestamp) &&
    node.finalizers.length === finalizers.length &&
    node.finalizers.every((f, i) => f === finalizers[i]) &&
    node.owners.length === refs.length &&
    node.owners.every((o, i) => sameReference(o, refs[i]!))
  );
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.uid === b.uid &&
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.controller === b.controller &&
    a.blockOwnerDeletion === b.blockOwnerDeletion
  );
}
