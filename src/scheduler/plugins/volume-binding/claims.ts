// The PersistentVolumeClaims a pod uses, directly or through generic ephemeral volumes.

import type { Pod } from '../../types.ts';

type VolumeRef = { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown };

export function podClaimNames(pod: Pod): string[] {
  const volumes = ((pod.spec as { volumes?: VolumeRef[] } | undefined)?.volumes ?? []);
  const names: string[] = [];
  for (const v of volumes) {
    if (v.persistentVolumeClaim?.claimName) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral && v.name) names.push(`${pod.metadata.name}-${v.name}`);
  }
  return names;
}
