// What the runtime and the disk still hold for pods this kubelet no longer
// runs: pods deleted or moved while it was down, or finished pods deleted
// later. Their sandboxes (with their containers) are stopped and removed,
// then their volume, log and termination-message directories.

import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removePodTerminationMessages } from './container-config/termination-message.ts';
import { runtimeLabels, type PodSandbox, type RuntimeService } from './runtime/runtime.ts';
import { cleanupOrphanedPodDirs } from './volumes/orphaned-pod-dirs.ts';

export type OrphanCleanup = {
  runtime: RuntimeService;
  /** Whether a pod uid is still wanted here. */
  keep(uid: string): boolean;
  /** The kubelet root dir (pods/<uid>/…); absent on hollow nodes. */
  rootDir?: string;
  /** The sandboxes' log root (<namespace>_<name>_<uid>/…). */
  logRoot?: string;
  log(line: string): void;
  /** Look at this one pod only. */
  only?: string;
};

/** Returns the uids whose sandboxes were removed. */
export async function removeOrphanedPods(opts: OrphanCleanup): Promise<string[]> {
  const gone = new Map<string, PodSandbox[]>();
  for (const sb of await opts.runtime.listPodSandbox(opts.only ? { labelSelector: { [runtimeLabels.podUid]: opts.only } } : {})) {
    // Sandboxes without our label are not a kubelet's: leave them alone.
    const uid = sb.labels[runtimeLabels.podUid];
    if (!uid || opts.keep(uid)) continue;
    gone.set(uid, [...(gone.get(uid) ?? []), sb]);
  }
  for (const [uid, list] of gone) {
    const m = list[0]!.metadata;
    opts.log(`pod ${m.namespace}/${m.name} (${uid}) is no longer on this node: removing its ${list.length} sandbox(es)`);
    for (const sb of list) {
      try {
        await opts.runtime.stopPodSandbox(sb.id);
        await opts.runtime.removePodSandbox(sb.id);
      } catch (e) {
        opts.log(`pod ${m.namespace}/${m.name}: cannot remove sandbox ${sb.id.slice(0, 13)}: ${(e as Error).message}`);
      }
    }
    if (opts.rootDir !== undefined) await removePodTerminationMessages(opts.rootDir, uid);
  }
  if (opts.logRoot) {
    // <namespace>_<name>_<uid>: a uid never holds an underscore.
    for (const dir of list(opts.logRoot)) {
      const uid = dir.slice(dir.lastIndexOf('_') + 1);
      if (uid && !opts.keep(uid)) await rm(join(opts.logRoot, dir), { recursive: true, force: true });
    }
  }
  if (opts.rootDir !== undefined) {
    const keep = new Set(list(join(opts.rootDir, 'pods')).filter((uid) => opts.keep(uid)));
    await cleanupOrphanedPodDirs(opts.rootDir, keep, opts.log);
  }
  return [...gone.keys()];
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
