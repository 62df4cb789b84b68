// The default StorageClass a fresh cluster has, as k3s ships its local-path class.

import { localPathProvisionerName } from '../api/persistent-volume.ts';
import type { Registry } from './registry/registry.ts';

export const localPathClassName = 'local-path';

export const localPathStorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: localPathClassName, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: localPathProvisionerName,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

/** Creates `local-path` when absent, at every start (as k3s re-applies its manifests). */
export async function ensureDefaultStorageClass(registry: Registry): Promise<void> {
  const classes = registry.mustStore('storage.k8s.io', 'storageclasses');
  if (classes.cache.get(classes.key(undefined, localPathClassName))) return;
  try {
    await classes.create(structuredClone(localPathStorageClass), undefined, { dryRun: false, fieldManager: 'skiff-apiserver' });
  } catch (e) {
    if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
  }
}
