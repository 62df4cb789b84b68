// Static pod manifests: D/agent/pod-manifests/*.yaml|yml|json, each one Pod
// that this kubelet runs without the API server. Turned into the kubelet's
// view of the pod (named `<name>-<node>`, uid from the manifest's hash, the
// defaults the API server would fill in that the kubelet relies on).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Pod } from '../types.ts';

export const staticPodAnnotations = {
  hash: 'kubernetes.io/config.hash',
  mirror: 'kubernetes.io/config.mirror',
  source: 'kubernetes.io/config.source',
  seen: 'kubernetes.io/config.seen',
} as const;

export type StaticManifest = { file: string; pod: Pod; hash: string } | { file: string; error: string };

/** A uid-shaped id from the hash, so the pod keeps its uid while its manifest is unchanged. */
function uidFrom(hash: string): string {
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
}

export function staticPodFrom(file: string, text: string, nodeName: string): StaticManifest {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return { file, error: `${file}: not valid YAML or JSON: ${(e as Error).message}` };
  }
  const o = doc as Partial<Pod> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'Pod' || !o.metadata?.name || !Array.isArray(o.spec?.containers)) {
    return { file, error: `${file}: a static pod manifest must be one Pod with metadata.name and spec.containers` };
  }
  const hash = createHash('sha256').update(nodeName).update('\0').update(text).digest('hex');
  const spec = structuredClone(o.spec!);
  spec.nodeName = nodeName;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    c.imagePullPolicy ??= c.image?.endsWith(':latest') || !c.image?.includes(':') ? 'Always' : 'IfNotPresent';
  }
  const meta = o.metadata!;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      name: `${meta.name}-${nodeName}`,
      namespace: meta.namespace ?? 'default',
      uid: uidFrom(hash),
      annotations: { ...meta.annotations, [staticPodAnnotations.hash]: hash, [staticPodAnnotations.source]: 'file' },
    },
    spec,
    status: { phase: 'Pending' },
  };
  return { file, pod, hash };
}

/** Every manifest in the directory (none when it does not exist); unreadable ones come back as errors. */
export function readManifests(dir: string, nodeName: string): StaticManifest[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: StaticManifest[] = [];
  for (const n of names) {
    const file = join(dir, n);
    try {
      out.push(staticPodFrom(file, readFileSync(file, 'utf8'), nodeName));
    } catch (e) {
      out.push({ file, error: `${file}: ${(e as Error).message}` });
    }
  }
  return out;
}
