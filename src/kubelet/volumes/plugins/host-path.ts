// hostPath: a path on the node, checked against its declared type. Its data is
// never the kubelet's to delete.

import { chmodSync, closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import type { HostPathType } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';
import type { VolumePlugin } from './plugin.ts';

export const hostPathPlugin: VolumePlugin = {
  refreshable: false,
  async setUp(_ctx, _pod, volume, dir) {
    const src = volume.hostPath;
    if (!src?.path) throw new VolumeProblem('hostPath.path is empty');
    // Hollow nodes do not touch the host.
    if (dir === undefined) return { readOnly: false };
    checkHostPathType(src.path, src.type ?? '');
    return { path: src.path, readOnly: false };
  },
};

/** Kubernetes' hostPath type check, creating the path for the *OrCreate types. */
export function checkHostPathType(path: string, type: HostPathType): void {
  const failed = (what: string): VolumeProblem => new VolumeProblem(`hostPath type check failed: ${path} is not ${what}`);
  let st: Stats | undefined = statOf(path);
  switch (type) {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!st) {
        mkdirSync(path, { recursive: true, mode: 0o755 });
        chmodSync(path, 0o755);
        return;
      }
      if (!st.isDirectory()) throw failed('a directory');
      return;
    case 'FileOrCreate':
      if (!st) {
        const fd = openSync(path, 'a', 0o644);
        closeSync(fd);
        st = statOf(path);
      }
      if (!st?.isFile()) throw failed('a file');
      return;
    case 'Directory':
      if (!st?.isDirectory()) throw failed('a directory');
      return;
    case 'File':
      if (!st?.isFile()) throw failed('a file');
      return;
    case 'Socket':
      if (!st?.isSocket()) throw failed('a socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw failed('a character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw failed('a block device');
      return;
    default:
      throw new VolumeProblem(`invalid HostPathType ${JSON.stringify(type)}`);
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
