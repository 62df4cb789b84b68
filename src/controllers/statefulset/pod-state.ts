// Readings of a pod's state for the StatefulSet, DaemonSet and Job controllers,
// on top of common/pod-state.ts.

import { isPodActive, isPodAvailable, isPodReady } from '../common/pod-state.ts';
import type { Pod } from '../common/types.ts';

export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export const isDeleting = (p: Pod): boolean => p.metadata.deletionTimestamp !== undefined;

export const isRunning = (p: Pod): boolean => p.status?.phase === 'Running';

/** Not terminal and not being deleted. */
export const isActive = isPodActive;

export const isReady = isPodReady;

/** Ready for at least minReadySeconds. */
export const isAvailable = isPodAvailable;

/** For "oldest first" and "newest first" choices. */
export function creationTime(p: Pod): number {
  return p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0;
}
