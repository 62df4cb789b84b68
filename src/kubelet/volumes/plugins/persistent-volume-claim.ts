// persistentVolumeClaim: the bound PV's hostPath or local path, mounted as it is.

import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { resourceFor } from '../../../api/scheme.ts';
import { isNotFound } from '../../../machinery/status.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';
import { checkHostPathType } from './host-path.ts';
import type { VolumePlugin } from './plugin.ts';

const claims = resourceFor('', 'v1', 'persistentvolumeclaims')!;
const volumes = resourceFor('', 'v1', 'persistentvolumes')!;

/** PVs whose directory skiff's local provisioner owns and may create on the node. */
export const provisionedByAnnotation = 'skiff.dev/provisioned-by';
export const localPathProvisioner = 'local-path';

export const persistentVolumeClaimPlugin: VolumePlugin = {
  refreshable: false,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.persistentVolumeClaim;
    const name = src?.claimName ?? '';
    const namespace = pod.metadata.namespace ?? 'default';
    let pvc: PersistentVolumeClaim;
    try {
      pvc = await ctx.client.get<PersistentVolumeClaim>(claims, namespace, name);
    } catch (e) {
      if (isNotFound(e)) throw new VolumeProblem(`persistentvolumeclaim "${name}" not found`);
      throw e;
    }
    const pvName = pvc.spec?.volumeName;
    if (pvc.status?.phase !== 'Bound' || !pvName) throw new VolumeProblem(`persistentvolumeclaim "${name}" is not bound`);
    let pv: PersistentVolume;
    try {
      pv = await ctx.client.get<PersistentVolume>(volumes, undefined, pvName);
    } catch (e) {
      if (isNotFound(e)) throw new VolumeProblem(`persistentvolume "${pvName}" not found (bound to persistentvolumeclaim "${name}")`);
      throw e;
    }
    const readOnly = src?.readOnly === true;
    if (dir === undefined) return { readOnly };
    const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
    if (!path) throw new VolumeProblem(`persistentvolume "${pvName}" has no hostPath or local source; skiff nodes mount only those`);
    const ours = pv.metadata.annotations?.[provisionedByAnnotation] === localPathProvisioner;
    if (ours && !existsSync(path)) {
      mkdirSync(path, { recursive: true });
      chmodSync(path, 0o777); // any container user may write, as the provisioner intends
    }
    if (pv.spec?.hostPath) checkHostPathType(path, pv.spec.hostPath.type ?? '');
    else if (!existsSync(path)) throw new VolumeProblem(`local volume "${pvName}": path ${path} does not exist on node ${ctx.nodeName}`);
    return { path, readOnly };
  },
};
