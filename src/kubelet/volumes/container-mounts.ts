// A container's volumeMounts as CRI mounts, with subPath resolved inside its volume.

import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Mount } from '../runtime/runtime.ts';
import type { ContainerSpec } from '../types.ts';
import type { VolumeMount } from './volume-types.ts';
import { VolumeProblem } from './volume-set-up-error.ts';

export type HostVolume = { path: string; readOnly: boolean };

const propagation = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
} as const;

/** Throws VolumeProblem naming the mount when a volume is unknown or a subPath is unsafe. */
export function containerMounts(c: ContainerSpec, volumes: Map<string, HostVolume>): Mount[] {
  const out: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const vol = volumes.get(vm.name);
    if (!vol) throw new VolumeProblem(`container "${c.name}": volumeMount "${vm.name}" refers to no volume of the pod`);
    const sub = subPathOf(c, vm);
    const hostPath = sub ? subPathHost(vol.path, sub, vm.name) : vol.path;
    const m: Mount = { containerPath: vm.mountPath, hostPath, readonly: vm.readOnly === true || vol.readOnly };
    if (vm.mountPropagation) m.propagation = propagation[vm.mountPropagation];
    out.push(m);
  }
  return out;
}

function subPathOf(c: ContainerSpec, vm: VolumeMount): string {
  if (vm.subPath) return vm.subPath;
  if (!vm.subPathExpr) return '';
  // $(VAR) from the container's literal env values; others expand to nothing, as in Kubernetes.
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value ?? '']));
  return vm.subPathExpr.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (_, name: string) => env.get(name) ?? '');
}

/** The subPath's host path; created as a directory when missing; must stay inside the volume after symlinks. */
export function subPathHost(volumePath: string, subPath: string, volumeName: string): string {
  if (subPath.startsWith('/') || subPath.split('/').includes('..')) {
    throw new VolumeProblem(`subPath ${JSON.stringify(subPath)} of volume "${volumeName}" must be a relative path without '..'`);
  }
  const root = realpathSync(volumePath);
  // Walk one component at a time so a symlink cannot lead a mkdir outside the volume.
  let cur = root;
  for (const part of subPath.split('/').filter((p) => p !== '' && p !== '.')) {
    const next = join(cur, part);
    if (!existsSync(next)) mkdirSync(next, { mode: 0o755 });
    cur = realpathSync(next);
    if (cur !== root && !cur.startsWith(root + sep)) {
      throw new VolumeProblem(`subPath ${JSON.stringify(subPath)} of volume "${volumeName}" resolves to ${cur}, outside the volume`);
    }
  }
  return cur;
}
