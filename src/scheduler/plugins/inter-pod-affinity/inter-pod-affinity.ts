// InterPodAffinity: required pod affinity and anti-affinity (the incoming pod's and
// the existing pods'), and preferred terms for scoring; namespaces and namespaceSelector.

import { termMatches } from '../../framework/affinity-term.ts';
import type { Handle, Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/node-info.ts';
import { Code, shared, skip } from '../../framework/status.ts';
import { IncrementalAggregates } from '../../framework/incremental.ts';
import { bump, cloneCounts, countOf, matchesAll, termKey, type TopologyCounts } from './counts.ts';

export const errReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinity = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";
const name = 'InterPodAffinity';
const rejectExisting = shared(Code.Unschedulable, name, errReasonExistingAntiAffinity);
const rejectAnti = shared(Code.Unschedulable, name, errReasonAntiAffinity);
const rejectAffinity = shared(Code.UnschedulableAndUnresolvable, name, errReasonAffinity);

type FilterState = { existingAnti: TopologyCounts; affinity: TopologyCounts; anti: TopologyCounts };

const filterKey = 'PreFilterInterPodAffinity';
const scoreKey = 'PreScoreInterPodAffinity';

function labelsKey(pod: PodInfo): string {
  const labels = pod.pod.metadata.labels ?? {};
  return `${pod.pod.metadata.namespace ?? ''}|${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}`;
}

function mergeCounts(parts: readonly TopologyCounts[]): TopologyCounts {
  const out: TopologyCounts = new Map();
  for (const part of parts) for (const [k, m] of part) for (const [v, n] of m) bump(out, k, v, n);
  return out;
}

export function interPodAffinity(args: Record<string, unknown>, handle: Handle): Plugin {
  // Per-node contributions as (topologyKey, value[, count]) tuples, summed across cycles.
  const sums = new IncrementalAggregates<TopologyCounts, ([string, string] | [string, string, number])[]>({
    empty: () => new Map(),
    add(agg, pairs, sign) {
      for (const p of pairs) bump(agg, p[0], p[1], sign * (p[2] ?? 1));
    },
  }, 256);
  const hardPodAffinityWeight = (args.hardPodAffinityWeight as number | undefined) ?? 1;
  const nsLabels = handle.namespaceLabels;

  const adjust = (state: Map<string, unknown>, pod: PodInfo, other: PodInfo, node: NodeInfo, delta: number) => {
    const s = state.get(filterKey) as FilterState | undefined;
    if (!s) return;
    const labels = node.labels();
    for (const t of other.requiredAntiAffinity) if (termMatches(t, pod.pod, nsLabels)) bump(s.existingAnti, t.topologyKey, labels[t.topologyKey], delta);
    if (matchesAll(pod.requiredAffinity, other, nsLabels)) for (const t of pod.requiredAffinity) bump(s.affinity, t.topologyKey, labels[t.topologyKey], delta);
    for (const t of pod.requiredAntiAffinity) if (termMatches(t, other.pod, nsLabels)) bump(s.anti, t.topologyKey, labels[t.topologyKey], delta);
  };

  return {
    name,
    events: ['NodeAdd', 'NodeUpdate', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NamespaceChange'],
    preFilter(state, pod, snapshot) {
      const s: FilterState = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
      // Existing pods' anti-affinity against this pod: depends only on its namespace and labels.
      if (snapshot.requiredAntiAffinityNodes > 0) {
        s.existingAnti = sums.get(snapshot, `existing|${labelsKey(pod)}`, (node) => {
          if (node.podsWithRequiredAntiAffinity.length === 0) return undefined;
          const labels = node.labels();
          const pairs: [string, string][] = [];
          for (const existing of node.podsWithRequiredAntiAffinity) {
            for (const t of existing.requiredAntiAffinity) {
              const v = labels[t.topologyKey];
              if (v !== undefined && termMatches(t, pod.pod, nsLabels)) pairs.push([t.topologyKey, v]);
            }
          }
          return pairs.length > 0 ? pairs : undefined;
        });
      }
      const aff = pod.requiredAffinity;
      const anti = pod.requiredAntiAffinity;
      if (aff.length > 0) {
        s.affinity = sums.get(snapshot, `affinity|${pod.pod.metadata.namespace}|${aff.map((t) => `${t.topologyKey}:${termKey(t)}`).join('&')}`, (node) => {
          let n = 0;
          for (const p of node.pods) if (matchesAll(aff, p, nsLabels)) n++;
          if (n === 0) return undefined;
          const labels = node.labels();
          const pairs: [string, string, number][] = [];
          for (const t of aff) if (labels[t.topologyKey] !== undefined) pairs.push([t.topologyKey, labels[t.topologyKey]!, n]);
          return pairs;
        });
      }
      if (anti.length > 0) {
        const parts = anti.map((t) =>
          sums.get(snapshot, `anti|${pod.pod.metadata.namespace}|${t.topologyKey}:${termKey(t)}`, (node) => {
            const v = node.labels()[t.topologyKey];
            if (v === undefined) return undefined;
            let n = 0;
            for (const p of node.pods) if (termMatches(t, p.pod, nsLabels)) n++;
            return n > 0 ? [[t.topologyKey, v, n] as [string, string, number]] : undefined;
          }),
        );
        s.anti = parts.length === 1 ? parts[0]! : mergeCounts(parts);
      }
      if (s.existingAnti.size === 0 && aff.length === 0 && anti.length === 0) return skip();
      state.set(filterKey, s);
      return null;
    },
    preFilterExtensions: {
      addPod: (state, pod, add, node) => adjust(state, pod, add, node, 1),
      removePod: (state, pod, remove, node) => adjust(state, pod, remove, node, -1),
      cloneState(state, into) {
        const s = state.get(filterKey) as FilterState | undefined;
        if (s) into.set(filterKey, { existingAnti: cloneCounts(s.existingAnti), affinity: cloneCounts(s.affinity), anti: cloneCounts(s.anti) });
      },
    },
    filter(state, pod, node) {
      const s = state.get(filterKey) as FilterState;
      const labels = node.labels();
      if (pod.requiredAffinity.length > 0) {
        let ok = true;
        for (const t of pod.requiredAffinity) {
          if (labels[t.topologyKey] === undefined || countOf(s.affinity, t.topologyKey, labels[t.topologyKey]) <= 0) {
            ok = false;
            break;
          }
        }
        if (!ok) {
          // The first pod of a group that selects itself may go anywhere with the topology keys.
          const firstOfGroup = s.affinity.size === 0 && matchesAll(pod.requiredAffinity, pod, nsLabels) && pod.requiredAffinity.every((t) => labels[t.topologyKey] !== undefined);
          if (!firstOfGroup) return rejectAffinity;
        }
      }
      for (const t of pod.requiredAntiAffinity) {
        if (countOf(s.anti, t.topologyKey, labels[t.topologyKey]) > 0) return rejectAnti;
      }
      for (const [k, m] of s.existingAnti) {
        const v = labels[k];
        if (v !== undefined && (m.get(v) ?? 0) > 0) return rejectExisting;
      }
      return null;
    },
    preScore(state, pod, _nodes, snapshot) {
      const hasPreferred = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
      const scores: TopologyCounts = new Map();
      const visit = (existing: PodInfo, node: NodeInfo) => {
        const labels = node.labels();
        if (hasPreferred) {
          for (const t of pod.preferredAffinity) if (termMatches(t, existing.pod, nsLabels)) bump(scores, t.topologyKey, labels[t.topologyKey], t.weight);
          for (const t of pod.preferredAntiAffinity) if (termMatches(t, existing.pod, nsLabels)) bump(scores, t.topologyKey, labels[t.topologyKey], -t.weight);
        }
        if (hardPodAffinityWeight > 0) {
          for (const t of existing.requiredAffinity) if (termMatches(t, pod.pod, nsLabels)) bump(scores, t.topologyKey, labels[t.topologyKey], hardPodAffinityWeight);
        }
        for (const t of existing.preferredAffinity) if (termMatches(t, pod.pod, nsLabels)) bump(scores, t.topologyKey, labels[t.topologyKey], t.weight);
        for (const t of existing.preferredAntiAffinity) if (termMatches(t, pod.pod, nsLabels)) bump(scores, t.topologyKey, labels[t.topologyKey], -t.weight);
      };
      if (hasPreferred) {
        for (const node of snapshot.nodeInfoList) for (const p of node.pods) visit(p, node);
      } else {
        for (const node of snapshot.havePodsWithAffinity) for (const p of node.podsWithAffinity) visit(p, node);
      }
      if (scores.size === 0) return skip();
      state.set(scoreKey, scores);
      return null;
    },
    score(state, _pod, node) {
      const scores = state.get(scoreKey) as TopologyCounts;
      const labels = node.labels();
      let sum = 0;
      for (const [k, m] of scores) {
        const v = labels[k];
        if (v !== undefined) sum += m.get(v) ?? 0;
      }
      return sum;
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) {
        if (s < min) min = s;
        if (s > max) max = s;
      }
      for (let i = 0; i < scores.length; i++) scores[i] = max === min ? 0 : Math.floor((maxNodeScore * (scores[i]! - min)) / (max - min));
    },
  };
}
