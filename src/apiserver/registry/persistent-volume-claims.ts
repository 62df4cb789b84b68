// PersistentVolumeClaims and PersistentVolumes: two admission plugins of
// kube-apiserver. DefaultStorageClass: a claim that names no class (field
// absent, not "") gets the default one. StorageObjectInUseProtection: every
// new claim gets the kubernetes.io/pvc-protection finalizer and every new
// volume kubernetes.io/pv-protection, which the protection controllers
// (controllers/volume/protection) remove once nothing uses them, so that
// deleting a claim a pod still mounts, or a volume still bound, waits.

import type { KubeObject } from '../../api/meta.ts';
import { defaultStrategy, type Strategy, type WriteContext } from './strategy.ts';

const defaultAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

export function persistentVolumeClaimStrategy(): Strategy {
  const base = defaultStrategy('PersistentVolumeClaim', true);
  return {
    ...base,
    prepareForCreate(pvc, ctx) {
      base.prepareForCreate?.(pvc, ctx);
      admitDefaultStorageClass(pvc, ctx);
      addFinalizer(pvc, pvcProtectionFinalizer);
    },
  };
}

export function persistentVolumeStrategy(): Strategy {
  const base = defaultStrategy('PersistentVolume', true);
  return {
    ...base,
    prepareForCreate(pv, ctx) {
      base.prepareForCreate?.(pv, ctx);
      addFinalizer(pv, pvProtectionFinalizer);
    },
  };
}

function addFinalizer(obj: KubeObject, finalizer: string): void {
  const list = obj.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) obj.metadata.finalizers = [...list, finalizer];
}

export function admitDefaultStorageClass(pvc: KubeObject, ctx: WriteContext): void {
  const spec = (pvc.spec ??= {}) as Record<string, unknown>;
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  if (pvc.metadata.annotations?.[betaClassAnnotation] !== undefined) return;
  const classes = ctx.store('storage.k8s.io', 'storageclasses');
  const defaults = classes.cache
    .list('/', {})
    .items.map((i) => i.object)
    .filter((c) => defaultAnnotations.some((a) => c.metadata.annotations?.[a] === 'true'));
  if (defaults.length === 0) return;
  // Several defaults: the newest wins, as Kubernetes does since 1.26.
  defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  spec.storageClassName = defaults[0]!.metadata.name;
}
