// The reconcile of one PersistentVolume: Available when free, Bound while its
// claim holds it, Released when the claim is gone, then reclaimed by policy.

import { isNotFound } from '../../../machinery/status.ts';
import { annBoundByController, type PersistentVolume, type PersistentVolumeClaim } from '../../../api/persistent-volume.ts';
import type { VolumeSyncDeps } from './deps.ts';
import { pvcResource, pvResource, updateVolumeStatus } from './writes.ts';

export async function syncVolume(d: VolumeSyncDeps, name: string): Promise<void> {
  const pv = d.volumes.get(undefined, name);
  // A volume being deleted is still followed: Released once its claim goes, which lets
  // the pv-protection finalizer go (it waits while the volume is Bound).
  if (!pv) return;
  const ref = pv.spec?.claimRef;
  if (!ref || !ref.name) {
    await updateVolumeStatus(d.client, pv, { phase: 'Available' });
    return;
  }
  const claimKey = `${ref.namespace ?? ''}/${ref.name}`;
  if (!ref.uid) {
    // Pre-bound by name to a claim that may not exist yet: the claim's sync binds it.
    await updateVolumeStatus(d.client, pv, { phase: 'Available' });
    d.enqueueClaim(claimKey);
    return;
  }
  let claim: PersistentVolumeClaim | undefined = d.claims.get(ref.namespace, ref.name);
  if (!claim || claim.metadata.uid !== ref.uid) {
    // The cache may lag behind a claim just created: ask the API server before releasing.
    claim = await liveClaim(d, ref.namespace ?? '', ref.name);
  }
  if (claim && claim.metadata.uid === ref.uid) {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      d.enqueueClaim(claimKey);
      return;
    }
    if (volumeName === pv.metadata.name) {
      await updateVolumeStatus(d.client, pv, { phase: 'Bound' });
      return;
    }
    // The claim went to another volume: undo our half of the binding.
    if (pv.metadata.annotations?.[annBoundByController]) await unbind(d, pv);
    return;
  }
  await release(d, pv);
}

async function liveClaim(d: VolumeSyncDeps, namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
  try {
    return await d.client.get<PersistentVolumeClaim>(pvcResource, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function unbind(d: VolumeSyncDeps, pv: PersistentVolume): Promise<void> {
  const next = structuredClone(pv);
  delete next.spec!.claimRef;
  delete next.metadata.annotations?.[annBoundByController];
  const stored = await d.client.update<PersistentVolume>(pvResource, undefined, next);
  await updateVolumeStatus(d.client, stored, { phase: 'Available' });
}

async function release(d: VolumeSyncDeps, pv: PersistentVolume): Promise<void> {
  let volume = pv;
  if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
    volume = await updateVolumeStatus(d.client, pv, { phase: 'Released' });
    d.log(`persistentvolume: ${pv.metadata.name} released (claim ${pv.spec?.claimRef?.namespace}/${pv.spec?.claimRef?.name} is gone)`);
  }
  switch (pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
    case 'Retain':
      return;
    case 'Delete':
      if (pv.metadata.deletionTimestamp) return;
      // A local-path volume's finalizer holds the object until its node removed the data.
      try {
        await d.client.delete(pvResource, undefined, pv.metadata.name!, { preconditions: { uid: pv.metadata.uid! } });
        d.log(`persistentvolume: deleted released volume ${pv.metadata.name}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    default:
      if (volume.status?.phase !== 'Failed') {
        d.recorder.event(pv, 'Warning', 'VolumeFailedRecycle', 'Recycle is not supported: use Delete or Retain');
        await updateVolumeStatus(d.client, volume, { phase: 'Failed', message: 'Recycle is not supported: use Delete or Retain' });
      }
  }
}
