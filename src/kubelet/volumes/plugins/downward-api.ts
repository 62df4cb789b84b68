// downwardAPI: the pod's own metadata and its containers' resources as files.

import { getKey } from '../../../machinery/own-keys.ts';
import { parseQuantity } from '../../../machinery/quantity.ts';
import type { Pod } from '../../types.ts';
import { checkPayloadPath, writeAtomically, type Payload } from '../atomic-writer.ts';
import type { DownwardAPIVolumeFile, ResourceFieldSelector } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';
import { defaultFileMode } from './key-projection.ts';
import type { PluginContext, VolumePlugin } from './plugin.ts';

export const downwardApiPlugin: VolumePlugin = {
  dirName: 'kubernetes.io~downward-api',
  refreshable: true,
  async setUp(ctx, pod, volume, dir) {
    const src = volume.downwardAPI ?? {};
    const payload = await downwardPayload(ctx, pod, src.items ?? [], src.defaultMode ?? defaultFileMode);
    if (dir === undefined) return { readOnly: true };
    writeAtomically(dir, payload, pod.spec.securityContext?.fsGroup);
    return { path: dir, readOnly: true };
  },
};

export async function downwardPayload(ctx: PluginContext, pod: Pod, items: DownwardAPIVolumeFile[], defaultMode: number, into: Payload = new Map()): Promise<Payload> {
  for (const item of items) {
    let text: string;
    if (item.fieldRef) text = podField(pod, item.fieldRef.fieldPath);
    else if (item.resourceFieldRef) text = await containerResource(ctx, pod, item.resourceFieldRef);
    else throw new VolumeProblem(`downwardAPI item ${JSON.stringify(item.path)} has neither fieldRef nor resourceFieldRef`);
    into.set(checkPayloadPath(item.path), { data: Buffer.from(text, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return into;
}

/** The fields a downwardAPI volume may show (status fields are for env vars only). */
export function podField(pod: Pod, fieldPath: string): string {
  const m = pod.metadata;
  switch (fieldPath) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'metadata.labels': return formatMap(m.labels ?? {});
    case 'metadata.annotations': return formatMap(m.annotations ?? {});
  }
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (sub) {
    const map = sub[1] === 'labels' ? m.labels : m.annotations;
    return (map && getKey(map, sub[2]!)) ?? '';
  }
  throw new VolumeProblem(`unsupported fieldPath: ${fieldPath}`);
}

/** `key="value"` lines sorted by key, values quoted like Go's %q. */
export function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${JSON.stringify(map[k])}`)
    .join('\n');
}

async function containerResource(ctx: PluginContext, pod: Pod, ref: ResourceFieldSelector): Promise<string> {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const c = all.find((x) => x.name === ref.containerName) ?? (ref.containerName === undefined && all.length === 1 ? all[0] : undefined);
  if (!c) throw new VolumeProblem(`resourceFieldRef: container ${JSON.stringify(ref.containerName ?? '')} not found in pod`);
  const [kind, resource] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !resource) throw new VolumeProblem(`unsupported container resource: ${ref.resource}`);
  let value = (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[resource];
  if (value === undefined && kind === 'limits') value = (await ctx.allocatable())[resource];
  let divisor;
  try {
    divisor = parseQuantity(ref.divisor ?? '1');
    const q = parseQuantity(value ?? '0');
    if (divisor.sign() <= 0) throw new Error('divisor must be positive');
    // ceil(q / divisor), as Kubernetes rounds resources up
    const n = q.nanos;
    const d = divisor.nanos;
    const ceil = n / d + (n % d > 0n ? 1n : 0n);
    return ceil.toString();
  } catch (e) {
    throw new VolumeProblem(`resourceFieldRef ${ref.resource}: ${(e as Error).message}`);
  }
}
