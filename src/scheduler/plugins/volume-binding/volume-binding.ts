// VolumeBinding: a pod's claims decide where it may run. Bound claims pin it
// to their volume's nodes; Immediate claims must be bound first; claims that
// wait for their first consumer get the chosen node (selected-node
// annotation) in PreBind, and the pod is bound only once they are.

import { resourceForKind } from '../../../api/scheme.ts';
import { findMatchingVolume, volumeFitsNode } from '../../../api/persistent-volume-match.ts';
import { annSelectedNode, claimClass, provisionerOf, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '../../../api/persistent-volume.ts';
import type { Informer } from '../../../client/interfaces.ts';
import type { Handle, Plugin } from '../../framework/interface.ts';
import { asError, Code, newStatus, shared, skip, unresolvable } from '../../framework/status.ts';
import { podClaimNames } from './claims.ts';

export const errReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const errReasonUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';
export const errReasonNoVolume = "node(s) didn't find available persistent volumes to bind";
const name = 'VolumeBinding';
const conflict = shared(Code.UnschedulableAndUnresolvable, name, errReasonNodeConflict);
const noVolume = shared(Code.UnschedulableAndUnresolvable, name, errReasonNoVolume);

/** How long PreBind waits for the claims to be bound (Kubernetes' bindTimeoutSeconds default is 600; ours is shorter). */
export const defaultBindTimeoutMs = 30_000;

type CycleData = { bound: PersistentVolume[]; delayed: PersistentVolumeClaim[] };

export function volumeBinding(args: Record<string, unknown>, handle: Handle): Plugin {
  const timeoutMs = typeof args.bindTimeoutSeconds === 'number' ? args.bindTimeoutSeconds * 1000 : defaultBindTimeoutMs;
  if (!handle.informerFor) {
    // Plugin unit tests without an API server: nothing to read.
    return { name, preFilter: () => skip(), filter: () => null };
  }
  const claims = handle.informerFor<PersistentVolumeClaim>(resourceForKind('', 'PersistentVolumeClaim')!);
  const volumes = handle.informerFor<PersistentVolume>(resourceForKind('', 'PersistentVolume')!);
  const classes = handle.informerFor<StorageClass>(resourceForKind('storage.k8s.io', 'StorageClass')!);
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const w of waiters) w();
    handle.onClusterEvent?.('VolumeChange');
  };
  for (const i of [claims, volumes, classes] as Informer<never>[]) i.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });

  return {
    name,
    events: ['NodeAdd', 'NodeUpdate', 'VolumeChange'],
    preFilter(state, pod) {
      const names = podClaimNames(pod.pod);
      if (names.length === 0) return skip();
      const ns = pod.pod.metadata.namespace;
      const data: CycleData = { bound: [], delayed: [] };
      for (const claimName of names) {
        const pvc = claims.lister.get(ns, claimName);
        if (!pvc) return unresolvable(`persistentvolumeclaim "${claimName}" not found`);
        if (pvc.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`);
        const volumeName = pvc.spec?.volumeName;
        if (volumeName) {
          const pv = volumes.lister.get(undefined, volumeName);
          if (!pv) return unresolvable(`pvc(s) bound to non-existent pv(s)`);
          data.bound.push(pv);
          continue;
        }
        const sc = classes.lister.get(undefined, claimClass(pvc));
        if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable(errReasonUnboundImmediate);
        data.delayed.push(pvc);
      }
      state.set(name, data);
      return null;
    },
    filter(state, _pod, node) {
      const data = state.get(name) as CycleData | undefined;
      if (!data) return null;
      const n = node.node;
      if (!n) return conflict;
      for (const pv of data.bound) if (!volumeFitsNode(pv, n.metadata)) return conflict;
      for (const pvc of data.delayed) {
        // A class that provisions can make a volume anywhere; otherwise a free PV must fit this node.
        if (provisionerOf(classes.lister.get(undefined, claimClass(pvc)))) continue;
        if (!findMatchingVolume(pvc, volumes.lister.list(), n.metadata)) return noVolume;
      }
      return null;
    },
    async preBind(state, pod, nodeName) {
      const data = state.get(name) as CycleData | undefined;
      if (!data || data.delayed.length === 0) return null;
      try {
        for (const pvc of data.delayed) {
          const current = claims.lister.get(pvc.metadata.namespace, pvc.metadata.name!) ?? pvc;
          if (current.spec?.volumeName || current.metadata.annotations?.[annSelectedNode] === nodeName) continue;
          await handle.client!.patch(resourceForKind('', 'PersistentVolumeClaim')!, pvc.metadata.namespace, pvc.metadata.name!, 'merge', {
            metadata: { annotations: { [annSelectedNode]: nodeName } },
          });
        }
      } catch (e) {
        return asError(e);
      }
      const allBound = (): boolean =>
        data.delayed.every((pvc) => {
          const c = claims.lister.get(pvc.metadata.namespace, pvc.metadata.name!);
          return Boolean(c?.spec?.volumeName) && c?.status?.phase === 'Bound';
        });
      const ok = await waitFor(allBound, timeoutMs);
      if (ok) return null;
      return newStatus(Code.Error, `binding volumes of pod ${pod.key}: timed out waiting for the claims to be bound on node ${nodeName}`);
    },
  };

  function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        finish(true);
      };
      const timer = handle.clock.setTimeout(() => finish(false), ms);
      function finish(v: boolean): void {
        waiters.delete(check);
        timer.cancel();
        resolve(v);
      }
      waiters.add(check);
    });
  }
}
