// ControllerRevisions: immutable snapshots of a StatefulSet's or DaemonSet's pod
// template, named `<owner>-<hash>`, numbered in the order they became current.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client } from '../../client/interfaces.ts';
import { isAlreadyExists, isNotFound } from '../../machinery/status.ts';
import { controllerRef } from '../common/controller-ref.ts';
import type { PodTemplateSpec } from '../common/types.ts';

export type ControllerRevision = KubeObject & { data?: unknown; revision?: number };

export const REVISION_HASH_LABEL = 'controller-revision-hash';
const revisions = resourceForKind('apps', 'ControllerRevision')!;

/** What a revision stores: a patch that replaces the whole template. */
export function revisionData(template: PodTemplateSpec | undefined): unknown {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision stores. */
export function templateOf(rev: ControllerRevision): PodTemplateSpec {
  const t = structuredClone((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {});
  delete t['$patch'];
  return t as PodTemplateSpec;
}

/** Stable JSON: keys sorted, so equal data always hashes and compares the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// Consonants and digits that cannot spell words, as Kubernetes' generated names use.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a (32 bit) of the data and the collision count, spelled in the safe alphabet. */
export function hashRevision(data: unknown, collisionCount = 0): string {
  const text = canonicalJson(data) + (collisionCount ? String(collisionCount) : '');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (const ch of String(h)) out += ALPHABET[ch.charCodeAt(0) % ALPHABET.length];
  return out;
}

export function sameData(a: ControllerRevision, b: ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

export function nextRevisionNumber(list: readonly ControllerRevision[]): number {
  return list.reduce((max, r) => Math.max(max, r.revision ?? 0), 0) + 1;
}

export function sortByRevision(list: readonly ControllerRevision[]): ControllerRevision[] {
  return [...list].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

export type RevisionOwner = { obj: KubeObject; apiVersion: string; kind: string; template: PodTemplateSpec | undefined; labels: Record<string, string> };

/** An unsaved revision of the owner's current template. */
export function buildRevision(o: RevisionOwner, revision: number, collisionCount: number): ControllerRevision {
  const data = revisionData(o.template);
  const hash = hashRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${o.obj.metadata.name}-${hash}`,
      namespace: o.obj.metadata.namespace ?? 'default',
      labels: { ...o.labels, [REVISION_HASH_LABEL]: hash },
      ownerReferences: [controllerRef(o.obj, o.apiVersion, o.kind)],
    },
    data,
    revision,
  };
}

export type RevisionResult = { revision: ControllerRevision; collisionCount: number };

/**
 * The revision for the owner's current template: an existing equal one (renumbered
 * to be the newest if needed) or a new one. A name taken by different data bumps
 * the collision count, which the caller stores in status.collisionCount.
 */
export async function ensureRevision(client: Client, o: RevisionOwner, existing: readonly ControllerRevision[], collisionCount: number): Promise<RevisionResult> {
  const sorted = sortByRevision(existing);
  const next = nextRevisionNumber(sorted);
  const candidate = buildRevision(o, next, collisionCount);
  const equal = sorted.filter((r) => sameData(r, candidate));
  const latest = equal.at(-1);
  if (latest) {
    if (latest === sorted.at(-1)) return { revision: latest, collisionCount };
    const renumbered = await client.patch<ControllerRevision>(revisions, latest.metadata.namespace, latest.metadata.name ?? '', 'merge', { revision: next });
    return { revision: renumbered, collisionCount };
  }
  for (let count = collisionCount; ; count++) {
    const rev = buildRevision(o, next, count);
    try {
      return { revision: await client.create(revisions, rev.metadata.namespace, rev), collisionCount: count };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const found = await client.get<ControllerRevision>(revisions, rev.metadata.namespace, rev.metadata.name ?? '');
      const ours = found.metadata.ownerReferences?.some((r) => r.uid === o.obj.metadata.uid);
      if (ours && sameData(found, rev)) return { revision: found, collisionCount: count };
    }
  }
}

/** Deletes the oldest revisions no pod uses beyond `limit`. */
export async function truncateHistory(client: Client, list: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): Promise<void> {
  const old = sortByRevision(list).filter((r) => !live.has(r.metadata.name ?? ''));
  const excess = old.slice(0, Math.max(0, old.length - limit));
  for (const r of excess) {
    try {
      await client.delete(revisions, r.metadata.namespace, r.metadata.name ?? '');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
