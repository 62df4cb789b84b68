// Which available PersistentVolume best fits a claim (for the PV binder and the scheduler): the smallest one that
// has the claim's class, volume mode, access modes, size and labels.

import { termMatches, type NodeIdentity } from './node-selector.ts';
import { selectorFromLabelSelector } from '../machinery/labels.ts';
import { parseQuantity, type Quantity } from '../machinery/quantity.ts';
import { claimClass, volumeClass, type PersistentVolume, type PersistentVolumeClaim } from './persistent-volume.ts';

function storageOf(m: Record<string, string> | undefined): Quantity | undefined {
  const v = m?.['storage'];
  if (v === undefined) return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

/** Does the PV's nodeAffinity admit the node? A PV without one fits every node. */
export function volumeFitsNode(pv: PersistentVolume, node: NodeIdentity): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => termMatches(t, node));
}

/** Could this PV serve this claim, ignoring whether it is taken? */
export function volumeMatchesClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (volumeClass(pv) !== claimClass(pvc)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = pv.spec?.accessModes ?? [];
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const want = storageOf(pvc.spec?.resources?.requests);
  const have = storageOf(pv.spec?.capacity);
  if (want && (!have || have.cmp(want) < 0)) return false;
  if (pvc.spec?.selector) {
    try {
      if (!selectorFromLabelSelector(pvc.spec.selector).matches(pv.metadata.labels ?? {})) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The best PV for an unbound claim: one pre-bound to it wins; otherwise the
 * smallest free matching PV (on `node`, when the claim waits for its consumer).
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], node?: NodeIdentity): PersistentVolume | undefined {
  let best: PersistentVolume | undefined;
  let bestSize: Quantity | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    const preBound = ref && ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace;
    if (ref && !preBound) continue;
    if (preBound && ref.uid && ref.uid !== pvc.metadata.uid) continue;
    if (!preBound && pv.status?.phase !== undefined && pv.status.phase !== 'Available' && pv.status.phase !== 'Pending') continue;
    if (!volumeMatchesClaim(pv, pvc)) continue;
    if (node && !volumeFitsNode(pv, node)) continue;
    if (preBound) return pv;
    const size = storageOf(pv.spec?.capacity);
    if (!best || (size && bestSize && size.cmp(bestSize) < 0)) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}
