// What the local-path provisioner creates for a claim: a hostPath PV under the
// selected node's storage directory, pinned to that node.

import type { KubeObject } from '../../../api/meta.ts';
import {
  annLocalPathNode,
  annLocalStoragePath,
  annProvisionedBy,
  annSkiffProvisionedBy,
  defaultLocalStoragePath,
  localPathCleanupFinalizer,
  localPathProvisionerName,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../../api/persistent-volume.ts';

export function provisionedVolumeName(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata.uid}`;
}

export function localVolumeFor(pvc: PersistentVolumeClaim, sc: StorageClass, nodeName: string, node: KubeObject | undefined): PersistentVolume {
  const root = (node?.metadata.annotations?.[annLocalStoragePath] ?? defaultLocalStoragePath).replace(/\/+$/, '');
  const name = provisionedVolumeName(pvc);
  const hostname = node?.metadata.labels?.['kubernetes.io/hostname'] ?? nodeName;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { [annProvisionedBy]: localPathProvisionerName, [annSkiffProvisionedBy]: 'local-path', [annLocalPathNode]: nodeName },
      finalizers: [localPathCleanupFinalizer],
    },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.['storage'] ?? '1Gi' },
      accessModes: pvc.spec?.accessModes?.length ? [...pvc.spec.accessModes] : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name!,
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: `${root}/${name}_${pvc.metadata.namespace}_${pvc.metadata.name}`, type: 'DirectoryOrCreate' },
      // Pre-bound to its claim, as external provisioners do; the binder completes it.
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace!, name: pvc.metadata.name!, uid: pvc.metadata.uid!, resourceVersion: pvc.metadata.resourceVersion! },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] }] } },
    },
  };
}
