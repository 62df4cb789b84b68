// Status writes of the PV controller: only when something changes.

import { resourceForKind } from '../../../api/scheme.ts';
import type { Client } from '../../../client/interfaces.ts';
import { deepEqual } from '../../../machinery/deep-equal.ts';
import { isNotFound } from '../../../machinery/status.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/persistent-volume.ts';

export const pvResource = resourceForKind('', 'PersistentVolume')!;
export const pvcResource = resourceForKind('', 'PersistentVolumeClaim')!;

export async function updateVolumeStatus(client: Client, pv: PersistentVolume, status: NonNullable<PersistentVolume['status']>): Promise<PersistentVolume> {
  const next = { ...pv.status, ...status };
  if (status.phase !== 'Failed') delete next.message;
  if (deepEqual(next, pv.status ?? {})) return pv;
  try {
    return await client.update<PersistentVolume>(pvResource, undefined, { ...pv, status: next }, { subresource: 'status' });
  } catch (e) {
    if (isNotFound(e)) return pv;
    throw e;
  }
}

export async function updateClaimStatus(client: Client, pvc: PersistentVolumeClaim, status: NonNullable<PersistentVolumeClaim['status']>): Promise<PersistentVolumeClaim> {
  const next = { ...pvc.status, ...status };
  if (status.phase === 'Pending') {
    delete next.capacity;
    delete next.accessModes;
  }
  if (deepEqual(next, pvc.status ?? {})) return pvc;
  try {
    return await client.update<PersistentVolumeClaim>(pvcResource, pvc.metadata.namespace, { ...pvc, status: next }, { subresource: 'status' });
  } catch (e) {
    if (isNotFound(e)) return pvc;
    throw e;
  }
}
