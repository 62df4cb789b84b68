// The reconcile of one PersistentVolumeClaim: find it a volume and bind both
// ways (PV claimRef + Bound, PVC volumeName + Bound), or say why it waits.

import { splitKey } from '../../common/keys.ts';
import {
  annBetaStorageProvisioner,
  annBindCompleted,
  annBoundByController,
  annSelectedNode,
  annStorageProvisioner,
  claimClass,
  provisionerOf,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from '../../../api/persistent-volume.ts';
import { findMatchingVolume } from '../../../api/persistent-volume-match.ts';
import type { VolumeSyncDeps } from './deps.ts';
import { pvcResource, pvResource, updateClaimStatus, updateVolumeStatus } from './writes.ts';

export async function syncClaim(d: VolumeSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const pvc = d.claims.get(namespace, name);
  if (!pvc || pvc.metadata.deletionTimestamp) return;
  if (!pvc.spec?.volumeName) return syncUnboundClaim(d, pvc);
  return syncBoundClaim(d, pvc);
}

async function syncUnboundClaim(d: VolumeSyncDeps, pvc: PersistentVolumeClaim): Promise<void> {
  const className = claimClass(pvc);
  const sc = className ? d.classes.get(undefined, className) : undefined;
  const waitsForConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const selected = pvc.metadata.annotations?.[annSelectedNode];
  if (waitsForConsumer && !selected) {
    await pending(d, pvc, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  let node;
  if (waitsForConsumer && selected) {
    const n = d.nodes.get(undefined, selected);
    node = { name: selected, labels: n?.metadata.labels ?? { 'kubernetes.io/hostname': selected } };
  }
  const pv = findMatchingVolume(pvc, d.volumes.list(), node);
  if (pv) {
    await bind(d, pv, pvc);
    return;
  }
  const provisioner = provisionerOf(sc);
  if (provisioner) {
    await annotateProvisioner(d, pvc, provisioner);
    await pending(
      d,
      pvc,
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    return;
  }
  const why = !className
    ? 'no persistent volumes available for this claim and no storage class is set'
    : sc
      ? `no persistent volumes available for this claim and storage class "${className}" provisions none`
      : `storageclass.storage.k8s.io "${className}" not found`;
  await pending(d, pvc, 'FailedBinding', why, sc === undefined && className !== '' ? 'Warning' : 'Normal');
}

async function syncBoundClaim(d: VolumeSyncDeps, pvc: PersistentVolumeClaim): Promise<void> {
  const volumeName = pvc.spec!.volumeName!;
  const pv = d.volumes.get(undefined, volumeName);
  if (!pv) {
    if (pvc.status?.phase === 'Bound' || pvc.status?.phase === 'Lost') {
      if (pvc.status.phase !== 'Lost') d.recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      await updateClaimStatus(d.client, pvc, { phase: 'Lost' });
    } else {
      await pending(d, pvc, 'FailedBinding', `volume "${volumeName}" not found`);
    }
    return;
  }
  const ref = pv.spec?.claimRef;
  if (!ref || (ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid))) {
    await bind(d, pv, pvc);
    return;
  }
  if (pvc.status?.phase === 'Bound' || pvc.status?.phase === 'Lost') {
    if (pvc.status.phase !== 'Lost') d.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    await updateClaimStatus(d.client, pvc, { phase: 'Lost' });
    return;
  }
  await pending(d, pvc, 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`, 'Warning');
}

/** Binds in Kubernetes' order: PV claimRef, PV status, PVC volumeName, PVC status; each step is idempotent. */
export async function bind(d: VolumeSyncDeps, pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
  let volume = pv;
  const ref = pv.spec?.claimRef;
  if (!ref || ref.uid !== pvc.metadata.uid) {
    const next = structuredClone(pv);
    next.spec = { ...next.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace!, name: pvc.metadata.name!, uid: pvc.metadata.uid!, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion! } };
    if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [annBoundByController]: 'yes' };
    volume = await d.client.update<PersistentVolume>(pvResource, undefined, next);
  }
  volume = await updateVolumeStatus(d.client, volume, { phase: 'Bound' });

  let claim = pvc;
  const anns = pvc.metadata.annotations ?? {};
  if (pvc.spec?.volumeName !== pv.metadata.name || anns[annBindCompleted] !== 'yes') {
    const next = structuredClone(pvc);
    const extra: Record<string, string> = { [annBindCompleted]: 'yes' };
    if (!pvc.spec?.volumeName) extra[annBoundByController] = 'yes';
    next.metadata.annotations = { ...anns, ...extra };
    next.spec = { ...next.spec, volumeName: pv.metadata.name! };
    claim = await d.client.update<PersistentVolumeClaim>(pvcResource, pvc.metadata.namespace, next);
  }
  const wasBound = claim.status?.phase === 'Bound';
  await updateClaimStatus(d.client, claim, {
    phase: 'Bound',
    ...(volume.spec?.accessModes ? { accessModes: volume.spec.accessModes } : {}),
    ...(volume.spec?.capacity ? { capacity: volume.spec.capacity } : {}),
  });
  if (!wasBound) d.log(`persistentvolume: bound ${pvc.metadata.namespace}/${pvc.metadata.name} to ${pv.metadata.name}`);
}

async function annotateProvisioner(d: VolumeSyncDeps, pvc: PersistentVolumeClaim, provisioner: string): Promise<void> {
  const anns = pvc.metadata.annotations ?? {};
  if (anns[annStorageProvisioner] === provisioner) return;
  const next = structuredClone(pvc);
  next.metadata.annotations = { ...anns, [annStorageProvisioner]: provisioner, [annBetaStorageProvisioner]: provisioner };
  await d.client.update(pvcResource, pvc.metadata.namespace, next);
}

/** Pending, with an event once per reason (not on every resync). */
async function pending(d: VolumeSyncDeps, pvc: PersistentVolumeClaim, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
  const seenKey = `${pvc.metadata.uid}/${reason}`;
  if (!d.announced.has(seenKey)) {
    d.announced.add(seenKey);
    if (d.announced.size > 10_000) d.announced.clear();
    d.recorder.event(pvc, type, reason, message);
  }
  await updateClaimStatus(d.client, pvc, { phase: 'Pending' });
}
