// emptyDir: a directory for the pod's lifetime; medium Memory makes it a tmpfs.
// A sizeLimit on disk is enforced by eviction in Kubernetes; skiff records it only.

import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { parseQuantity } from '../../../machinery/quantity.ts';
import { isRoot, mountTmpfs } from '../mount-table.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';
import type { VolumePlugin } from './plugin.ts';

export const emptyDirPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~empty-dir',
  refreshable: false,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.emptyDir ?? {};
    let sizeBytes: number | undefined;
    if (src.sizeLimit !== undefined) {
      try {
        sizeBytes = parseQuantity(src.sizeLimit).value();
      } catch {
        throw new VolumeProblem(`invalid sizeLimit ${JSON.stringify(src.sizeLimit)}`);
      }
    }
    if (dir === undefined) return { readOnly: false };
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777); // any container user may write, as in Kubernetes
    if (src.medium === 'Memory') await memoryBacked(dir, sizeBytes, ctx.log);
    const fsGroup = pod.spec.securityContext?.fsGroup;
    if (fsGroup !== undefined && isRoot()) {
      // New files inherit the group (setgid), as with the kubelet's volume ownership.
      chownSync(dir, -1, fsGroup);
      chmodSync(dir, 0o2777);
    }
    return { path: dir, readOnly: false };
  },
};

let warned = false;

/** Mounts a tmpfs on `dir`; without root (development only) it stays a plain directory, said once in the log. */
export async function memoryBacked(dir: string, sizeBytes: number | undefined, log: (line: string) => void, mode = 0o777): Promise<void> {
  if (!isRoot()) {
    if (!warned) log(`volumes: not running as root, cannot mount tmpfs; memory-backed volumes are plain directories (first: ${dir})`);
    warned = true;
    return;
  }
  await mountTmpfs(dir, sizeBytes);
  chmodSync(dir, mode);
}
