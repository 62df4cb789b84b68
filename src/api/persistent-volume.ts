// PersistentVolume, PersistentVolumeClaim and StorageClass as the PV binder,
// the local-path provisioner, the scheduler's VolumeBinding and the kubelet's
// local-volume reclaimer read them, and the annotations they share.

import type { KubeObject } from './meta.ts';
import type { NodeSelectorTerm } from './node-selector.ts';
import type { LabelSelector } from '../machinery/labels.ts';

export type ObjectReference = { kind?: string; apiVersion?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string };

export type PersistentVolume = KubeObject & {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    storageClassName?: string;
    volumeMode?: string;
    hostPath?: { path: string; type?: string };
    local?: { path: string };
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
    [k: string]: unknown;
  };
  status?: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string; reason?: string };
};

export type PersistentVolumeClaim = KubeObject & {
  spec?: {
    accessModes?: string[];
    selector?: LabelSelector | null;
    resources?: { requests?: Record<string, string> };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: string;
    [k: string]: unknown;
  };
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; accessModes?: string[]; capacity?: Record<string, string>; [k: string]: unknown };
};

export type StorageClass = KubeObject & {
  provisioner?: string;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  parameters?: Record<string, string>;
};

export const annBindCompleted = 'pv.kubernetes.io/bind-completed';
export const annBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const annProvisionedBy = 'pv.kubernetes.io/provisioned-by';
export const annSelectedNode = 'volume.kubernetes.io/selected-node';
export const annStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const annBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
export const annBetaStorageClass = 'volume.beta.kubernetes.io/storage-class';
export const annSkiffProvisionedBy = 'skiff.dev/provisioned-by';
/** On a Node: where its agent keeps local persistent volumes. */
export const annLocalStoragePath = 'skiff.dev/local-storage-path';
/** On a local-path PV: the node's agent removes the directory, then this finalizer. */
export const localPathCleanupFinalizer = 'skiff.dev/local-path-cleanup';
/** On a local-path PV: the node that holds its directory. */
export const annLocalPathNode = 'skiff.dev/local-path-node';
export const localPathProvisionerName = 'skiff.dev/local-path';
/** Where a node without the annotation keeps its volumes (the agent's default data dir). */
export const defaultLocalStoragePath = '/var/lib/skiff/agent/storage';

/** A class that provisions volumes dynamically (`kubernetes.io/no-provisioner` means: static volumes only). */
export function provisionerOf(sc: StorageClass | undefined): string | undefined {
  const p = sc?.provisioner;
  return p && p !== 'kubernetes.io/no-provisioner' ? p : undefined;
}

/** The class a claim asks for; "" means "no class" (only class-less PVs). */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.annotations?.[annBetaStorageClass] ?? pvc.spec?.storageClassName ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.[annBetaStorageClass] ?? pv.spec?.storageClassName ?? '';
}
