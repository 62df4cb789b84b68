// secret: like configMap, on a tmpfs so secret data never reaches the disk.

import { writeAtomically } from '../atomic-writer.ts';
import { secretData } from './api-objects.ts';
import { memoryBacked } from './empty-dir.ts';
import { defaultFileMode, projectKeys } from './key-projection.ts';
import type { VolumePlugin } from './plugin.ts';
import { mkdirSync } from 'node:fs';

export const secretPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~secret',
  refreshable: true,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.secret ?? {};
    const optional = src.optional === true;
    const data = await secretData(ctx.client, pod.metadata.namespace ?? 'default', src.secretName ?? '', optional);
    const payload = projectKeys('secret', data ?? new Map(), src.items, src.defaultMode ?? defaultFileMode, optional);
    if (dir === undefined) return { readOnly: true };
    mkdirSync(dir, { recursive: true });
    await memoryBacked(dir, undefined, ctx.log, 0o755);
    writeAtomically(dir, payload, pod.spec.securityContext?.fsGroup);
    return { path: dir, readOnly: true };
  },
};
