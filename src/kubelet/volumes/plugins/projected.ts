// projected: configMaps, secrets, downward API fields and service account
// tokens merged into one directory, on a tmpfs (it may hold secrets and tokens).

import { mkdirSync } from 'node:fs';
import { resourceFor } from '../../../api/scheme.ts';
import { isNotFound } from '../../../machinery/status.ts';
import type { Pod } from '../../types.ts';
import { checkPayloadPath, writeAtomically, type Payload } from '../atomic-writer.ts';
import type { ServiceAccountTokenProjection } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';
import { configMapData, secretData } from './api-objects.ts';
import { downwardPayload } from './downward-api.ts';
import { memoryBacked } from './empty-dir.ts';
import { defaultFileMode, projectKeys } from './key-projection.ts';
import type { PluginContext, VolumePlugin } from './plugin.ts';

const serviceAccounts = resourceFor('', 'v1', 'serviceaccounts')!;
const minTokenSeconds = 600;
const rootCaConfigMap = 'kube-root-ca.crt';

export const projectedPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~projected',
  refreshable: true,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.projected ?? {};
    const mode = src.defaultMode ?? defaultFileMode;
    const namespace = pod.metadata.namespace ?? 'default';
    const payload: Payload = new Map();
    for (const s of src.sources ?? []) {
      if (s.configMap) {
        // skiff has no root-CA publisher yet: a kube-api-access volume copied from Kubernetes must still mount.
        const optional = s.configMap.optional === true || s.configMap.name === rootCaConfigMap;
        const data = await configMapData(ctx.client, namespace, s.configMap.name ?? '', optional);
        projectKeys('configmap', data ?? new Map(), s.configMap.items, mode, optional, payload);
      } else if (s.secret) {
        const optional = s.secret.optional === true;
        const data = await secretData(ctx.client, namespace, s.secret.name ?? '', optional);
        projectKeys('secret', data ?? new Map(), s.secret.items, mode, optional, payload);
      } else if (s.downwardAPI) {
        await downwardPayload(ctx, pod, s.downwardAPI.items ?? [], mode, payload);
      } else if (s.serviceAccountToken) {
        const token = await serviceAccountToken(ctx, pod, s.serviceAccountToken);
        payload.set(checkPayloadPath(s.serviceAccountToken.path), { data: Buffer.from(token), mode });
      } else {
        throw new VolumeProblem('projected volume source not supported by skiff (use configMap, secret, downwardAPI or serviceAccountToken)');
      }
    }
    if (dir === undefined) return { readOnly: true };
    mkdirSync(dir, { recursive: true });
    await memoryBacked(dir, undefined, ctx.log, 0o755);
    writeAtomically(dir, payload, pod.spec.securityContext?.fsGroup);
    return { path: dir, readOnly: true };
  },
};

async function serviceAccountToken(ctx: PluginContext, pod: Pod, p: ServiceAccountTokenProjection): Promise<string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.spec.serviceAccountName || 'default';
  let uid: string;
  try {
    const sa = await ctx.client.get(serviceAccounts, namespace, name);
    uid = sa.metadata.uid ?? '';
  } catch (e) {
    if (isNotFound(e)) throw new VolumeProblem(`failed to fetch token: serviceaccounts "${name}" not found`);
    throw e;
  }
  return ctx.tokens.token({
    namespace,
    serviceAccount: { name, uid },
    pod: { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    audiences: p.audience ? [p.audience] : [defaultAudience],
    expirationSeconds: Math.max(p.expirationSeconds ?? 3600, minTokenSeconds),
  });
}

const defaultAudience = 'https://kubernetes.default.svc.cluster.local';
