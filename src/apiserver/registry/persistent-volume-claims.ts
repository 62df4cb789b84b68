// PersistentVolumeClaims: the DefaultStorageClass admission of kube-apiserver.
// A claim that names no class (field absent, not "") gets the default one.

import type { KubeObject } from '../../api/meta.ts';
import { defaultStrategy, type Strategy, type WriteContext } from './strategy.ts';

const defaultAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export function persistentVolumeClaimStrategy(): Strategy {
  const base = defaultStrategy('PersistentVolumeClaim', true);
  return {
    ...base,
    prepareForCreate(pvc, ctx) {
      base.prepareForCreate?.(pvc, ctx);
      admitDefaultStorageClass(pvc, ctx);
    },
  };
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
