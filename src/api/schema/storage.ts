// storage.k8s.io/v1: StorageClass. Proto tags follow k8s.io/api/storage/v1/generated.proto (v1.32).

import { array, boolean, core, field, gvk, map, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

export const storageTypes: readonly TypeDef[] = [
  type('io.k8s.api.storage.v1.StorageClass', 'A class of storage from which persistent volumes are provisioned on demand.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the storage class.'),
    field('provisioner', 2, string, 'Provisioner that creates volumes of this class.', { required: true }),
    field('parameters', 3, map(string), 'Settings passed to the provisioner.'),
    field('reclaimPolicy', 4, string, 'Reclaim policy of provisioned volumes: Delete (default) or Retain.', { enum: ['Delete', 'Recycle', 'Retain'] }),
    field('mountOptions', 5, array(string), 'Mount options of provisioned volumes, e.g. ro.', { listType: 'atomic' }),
    field('allowVolumeExpansion', 6, boolean, 'Whether claims of this class may be resized.'),
    field('volumeBindingMode', 7, string, 'Immediate (default) or WaitForFirstConsumer binding of claims.', { enum: ['Immediate', 'WaitForFirstConsumer'] }),
    field('allowedTopologies', 8, array(ref(core('TopologySelectorTerm'))), 'Node topologies where volumes may be provisioned; empty means anywhere.', { listType: 'atomic' }),
  ], { gvk: gvk('storage.k8s.io', 'v1', 'StorageClass') }),
];

registerTypes(storageTypes);
