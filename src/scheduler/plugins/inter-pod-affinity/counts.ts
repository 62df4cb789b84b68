// Topology counts for pod (anti-)affinity: how many pods match, per topology domain.

import { termMatches, type AffinityTerm, type NamespaceLabels } from '../../framework/affinity-term.ts';
import type { PodInfo } from '../../framework/node-info.ts';

/** topologyKey → topology value → count. */
export type TopologyCounts = Map<string, Map<string, number>>;

export function bump(counts: TopologyCounts, key: string, value: string | undefined, delta: number): void {
  if (value === undefined) return;
  let m = counts.get(key);
  if (!m) {
    m = new Map();
    counts.set(key, m);
  }
  const v = (m.get(value) ?? 0) + delta;
  if (v === 0) m.delete(value);
  else m.set(value, v);
}

export function countOf(counts: TopologyCounts, key: string, value: string | undefined): number {
  if (value === undefined) return 0;
  return counts.get(key)?.get(value) ?? 0;
}

export function cloneCounts(c: TopologyCounts): TopologyCounts {
  return new Map([...c].map(([k, m]) => [k, new Map(m)]));
}

export function termKey(t: AffinityTerm): string {
  return `${[...t.namespaces].join(',')}|${t.namespaceSelector?.toString() ?? '-'}|${t.selector.toString()}`;
}

export function matchesAll(terms: readonly AffinityTerm[], pod: PodInfo, nsLabels: NamespaceLabels): boolean {
  for (const t of terms) if (!termMatches(t, pod.pod, nsLabels)) return false;
  return terms.length > 0;
}
