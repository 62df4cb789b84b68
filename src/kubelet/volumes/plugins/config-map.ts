// configMap: one file per key (or per item), rewritten atomically when the configMap changes.

import { writeAtomically } from '../atomic-writer.ts';
import { configMapData } from './api-objects.ts';
import { defaultFileMode, projectKeys } from './key-projection.ts';
import type { VolumePlugin } from './plugin.ts';

export const configMapPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~configmap',
  refreshable: true,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.configMap ?? {};
    const optional = src.optional === true;
    const data = await configMapData(ctx.client, pod.metadata.namespace ?? 'default', src.name ?? '', optional);
    const payload = projectKeys('configmap', data ?? new Map(), src.items, src.defaultMode ?? defaultFileMode, optional);
    if (dir === undefined) return { readOnly: true };
    writeAtomically(dir, payload, pod.spec.securityContext?.fsGroup);
    return { path: dir, readOnly: true };
  },
};
