// Pods deleted while the kubelet was down leave pods/<uid>/ behind, maybe with
// tmpfs mounts in it. Called once the kubelet knows its pods: unmounts and
// removes the directories of every other pod.

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mountsUnder, unmount } from './mount-table.ts';

/** Returns the uids cleaned up; a directory with a mount that will not come off stays, logged. */
export async function cleanupOrphanedPodDirs(rootDir: string, keep: ReadonlySet<string>, log: (line: string) => void): Promise<string[]> {
  let uids: string[];
  try {
    uids = readdirSync(join(rootDir, 'pods'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const uid of uids) {
    if (keep.has(uid)) continue;
    const dir = join(rootDir, 'pods', uid);
    try {
      for (const m of mountsUnder(dir)) await unmount(m);
      rmSync(dir, { recursive: true, force: true });
      removed.push(uid);
    } catch (e) {
      log(`volumes: cannot clean up orphaned pod directory ${dir}: ${(e as Error).message}`);
    }
  }
  if (removed.length > 0) log(`volumes: removed directories of ${removed.length} orphaned pod(s): ${removed.join(', ')}`);
  return removed;
}
