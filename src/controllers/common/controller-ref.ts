// Controller references: which object controls a pod (or a ReplicaSet), and the
// claim step of every workload sync — adopt matching orphans, release owned
// objects that stopped matching, ignore what another controller owns.

import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';
import type { Selector } from '../../machinery/labels.ts';
import { isNotFound, isConflict } from '../../machinery/status.ts';
import type { Client } from '../../client/interfaces.ts';

/** The controlling owner reference of an object, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** `controller: true, blockOwnerDeletion: true` pointing at `owner`. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

export type ClaimOptions = {
  client: Client;
  /** The resource of the objects being claimed (pods, replicasets). */
  resource: ResourceInfo;
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: Selector;
  /**
   * Checked once before the first adoption: the owner as the API server has it now
   * (not the cache) must still exist with the same uid and no deletionTimestamp.
   */
  canAdopt: () => Promise<boolean>;
};

/**
 * Returns the objects the owner controls after adopting and releasing.
 * Objects already being deleted are neither adopted nor released.
 * Failures to adopt/release a single object (gone, conflict) leave it out;
 * other errors are thrown after the rest are processed.
 */
export async function claimObjects<T extends KubeObject>(objs: readonly T[], o: ClaimOptions): Promise<T[]> {
  const claimed: T[] = [];
  let adoptAllowed: boolean | undefined;
  let firstError: unknown;
  const uid = o.owner.metadata.uid;
  for (const obj of objs) {
    const ref = controllerOf(obj);
    const matches = o.selector.matches(obj.metadata.labels);
    try {
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) claimed.push(obj);
        else if (!obj.metadata.deletionTimestamp && !o.owner.metadata.deletionTimestamp) await release(obj, o);
        continue;
      }
      if (!matches || obj.metadata.deletionTimestamp || o.owner.metadata.deletionTimestamp) continue;
      adoptAllowed ??= await o.canAdopt();
      if (!adoptAllowed) continue;
      claimed.push(await adopt(obj, o));
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) continue;
      firstError ??= e;
    }
  }
  if (firstError !== undefined) throw firstError;
  return claimed;
}

async function adopt<T extends KubeObject>(obj: T, o: ClaimOptions): Promise<T> {
  const refs = [...(obj.metadata.ownerReferences ?? []), controllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
  // resourceVersion makes the patch fail with a conflict if someone else adopted it first.
  const patch = { metadata: { ownerReferences: refs, resourceVersion: obj.metadata.resourceVersion } };
  return o.client.patch<T>(o.resource, obj.metadata.namespace, obj.metadata.name ?? '', 'merge', patch);
}

async function release(obj: KubeObject, o: ClaimOptions): Promise<void> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== o.owner.metadata.uid);
  const patch = { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: obj.metadata.resourceVersion } };
  await o.client.patch(o.resource, obj.metadata.namespace, obj.metadata.name ?? '', 'merge', patch);
}

/** A `canAdopt` that re-reads the owner from the API server once (the cache may be stale). */
export function recheckOwner(client: Client, r: ResourceInfo, owner: KubeObject): () => Promise<boolean> {
  return async () => {
    try {
      const fresh = await client.get(r, owner.metadata.namespace, owner.metadata.name ?? '');
      return fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };
}
