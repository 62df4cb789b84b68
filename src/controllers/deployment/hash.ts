// pod-template-hash: a stable hash of a Deployment's pod template (and its
// collisionCount), written in the consonant-and-digit alphabet Kubernetes uses
// so names never spell words: `web-7c5b8d9f4`.

import type { PodTemplateSpec } from '../common/types.ts';

export const podTemplateHashLabel = 'pod-template-hash';

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with object keys sorted, so equal templates hash equally whatever their
 * key order. As in Go, a field that is null, an empty map or an empty list is
 * the same as an absent one (`kubectl rollout undo` sends `creationTimestamp: null`).
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => !isEmpty(x))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function isEmpty(x: unknown): boolean {
  if (x === undefined || x === null) return true;
  if (Array.isArray(x)) return x.length === 0;
  return typeof x === 'object' && Object.values(x as Record<string, unknown>).every(isEmpty);
}

/** 32-bit FNV-1a over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let input = canonicalJson(withoutHashLabel(template));
  if (collisionCount !== undefined) input += `#${collisionCount}`;
  const digits = String(fnv32a(input));
  let out = '';
  for (const c of digits) out += safeAlphabet[c.charCodeAt(0) % safeAlphabet.length];
  return out;
}

/** The template without the pod-template-hash label (which the ReplicaSet copy carries). */
export function withoutHashLabel(template: PodTemplateSpec): PodTemplateSpec {
  const labels = template.metadata?.labels;
  if (!labels || !(podTemplateHashLabel in labels)) return template;
  const { [podTemplateHashLabel]: _drop, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/** As Kubernetes' EqualIgnoreHash: equal templates once the hash label is ignored. */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHashLabel(a ?? {})) === canonicalJson(withoutHashLabel(b ?? {}));
}
