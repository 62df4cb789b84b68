// PodTopologySpread: hard constraints (DoNotSchedule) keep the skew between topology
// domains within maxSkew; soft ones (ScheduleAnyway) score less crowded domains higher.

import type { Handle, Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/node-info.ts';
import { Code, shared, skip } from '../../framework/status.ts';
import type { TopologySpreadConstraint } from '../../types.ts';
import { podConstraints, systemDefaultConstraints, type Constraint } from './constraints.ts';
import { countMatching, nodeCounts, podCounts } from './count.ts';
import { IncrementalAggregates } from '../../framework/incremental.ts';

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = errReasonConstraintsNotMatch + ' (missing required label)';
const rejectSkew = shared(Code.Unschedulable, 'PodTopologySpread', errReasonConstraintsNotMatch);
const rejectLabel = shared(Code.UnschedulableAndUnresolvable, 'PodTopologySpread', errReasonNodeLabelNotMatch);

type FilterState = { constraints: Constraint[]; counts: Map<string, number>[]; mins: number[]; selfMatch: number[] };
type ScoreState = { constraints: Constraint[]; counts: Map<string, number>[]; weights: number[]; ignored: Set<string> };

const preFilterKey = 'PreFilterPodTopologySpread';
const preScoreKey = 'PreScorePodTopologySpread';

function minOf(counts: Map<string, number>, c: Constraint): number {
  if (counts.size < c.minDomains) return 0;
  let min = Infinity;
  for (const v of counts.values()) if (v < min) min = v;
  return min === Infinity ? 0 : min;
}

type Contribution = { values: string[]; counts: number[] };

/** Which pods and which nodes a set of constraints counts: the key of its running sums. */
function queryKey(pod: PodInfo, constraints: readonly Constraint[]): string {
  const s = pod.pod.spec;
  const c0 = constraints[0]!;
  const nodePolicy = c0.honorAffinity ? JSON.stringify([s?.nodeSelector, s?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution]) : '';
  const taintPolicy = c0.honorTaints ? JSON.stringify(s?.tolerations) : '';
  return `${pod.pod.metadata.namespace ?? 'default'}|${constraints.map((c) => `${c.topologyKey}:${c.memoKey}`).join(';')}|${nodePolicy}|${taintPolicy}`;
}

export function podTopologySpread(args: Record<string, unknown>, handle: Handle): Plugin {
  // Per constraint: matching pods per domain, and nodes per domain (a domain exists while it has nodes).
  const counted = new IncrementalAggregates<{ counts: Map<string, number>; nodes: Map<string, number> }[], Contribution>({
    empty: () => [],
    add(agg, c, sign) {
      c.values.forEach((v, i) => {
        const a = (agg[i] ??= { counts: new Map(), nodes: new Map() });
        const nodes = (a.nodes.get(v) ?? 0) + sign;
        if (nodes <= 0) {
          a.nodes.delete(v);
          a.counts.delete(v);
          return;
        }
        a.nodes.set(v, nodes);
        a.counts.set(v, (a.counts.get(v) ?? 0) + sign * c.counts[i]!);
      });
    },
  });

  const defaults: readonly TopologySpreadConstraint[] =
    args.defaultingType === 'List' ? ((args.defaultConstraints as TopologySpreadConstraint[] | undefined) ?? []) : systemDefaultConstraints;
  const ns = (pod: PodInfo) => pod.pod.metadata.namespace ?? 'default';

  const adjust = (state: Map<string, unknown>, pod: PodInfo, other: PodInfo, node: NodeInfo, delta: number) => {
    const s = state.get(preFilterKey) as FilterState | undefined;
    if (!s || !nodeCounts(pod, node, s.constraints)) return;
    s.constraints.forEach((c, i) => {
      if (!podCounts(other, c, ns(pod))) return;
      const v = node.labels()[c.topologyKey]!;
      s.counts[i]!.set(v, (s.counts[i]!.get(v) ?? 0) + delta);
      s.mins[i] = minOf(s.counts[i]!, c);
    });
  };

  return {
    name: 'PodTopologySpread',
    events: ['NodeAdd', 'NodeUpdate', 'NodeDelete', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete'],
    preFilter(state, pod, snapshot) {
      const constraints = podConstraints(pod.pod, defaults, handle).filter((c) => c.hard);
      if (constraints.length === 0) return skip();
      const namespace = ns(pod);
      const shared = counted.get(snapshot, queryKey(pod, constraints), (node) => {
        if (!nodeCounts(pod, node, constraints)) return undefined;
        const labels = node.labels();
        return { values: constraints.map((c) => labels[c.topologyKey]!), counts: constraints.map((c) => countMatching(node, c, namespace)) };
      });
      // Shared with later cycles: what-ifs copy it first (cloneState).
      const counts = constraints.map((_, i) => shared[i]?.counts ?? new Map<string, number>());
      const mins = constraints.map((c, i) => minOf(counts[i]!, c));
      const selfMatch = constraints.map((c) => (c.selector.matches(pod.pod.metadata.labels) ? 1 : 0));
      state.set(preFilterKey, { constraints, counts, mins, selfMatch } satisfies FilterState);
      return null;
    },
    preFilterExtensions: {
      addPod: (state, pod, add, node) => adjust(state, pod, add, node, 1),
      removePod: (state, pod, remove, node) => adjust(state, pod, remove, node, -1),
      cloneState(state, into) {
        const s = state.get(preFilterKey) as FilterState | undefined;
        if (s) into.set(preFilterKey, { ...s, counts: s.counts.map((m) => new Map(m)), mins: [...s.mins] });
      },
    },
    filter(state, _pod, node) {
      const s = state.get(preFilterKey) as FilterState;
      const labels = node.labels();
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const v = labels[c.topologyKey];
        if (v === undefined) return rejectLabel;
        const counts = s.counts[i]!;
        const skew = (counts.get(v) ?? 0) + s.selfMatch[i]! - s.mins[i]!;
        if (skew > c.maxSkew) return rejectSkew;
      }
      return null;
    },
    preScore(state, pod, nodes, snapshot) {
      const constraints = podConstraints(pod.pod, defaults, handle).filter((c) => !c.hard);
      if (constraints.length === 0) return skip();
      const counts = constraints.map(() => new Map<string, number>());
      const ignored = new Set<string>();
      const namespace = ns(pod);
      for (const n of nodes) {
        const labels = n.labels();
        if (constraints.some((c) => labels[c.topologyKey] === undefined)) ignored.add(n.name);
      }
      // Hostname domains are the filtered nodes themselves; other domains count the whole cluster.
      const candidates = new Set(nodes.map((n) => n.name));
      for (const node of snapshot.nodeInfoList) {
        if (!nodeCounts(pod, node, constraints)) continue;
        const labels = node.labels();
        constraints.forEach((c, i) => {
          if (c.topologyKey === 'kubernetes.io/hostname' && !candidates.has(node.name)) return;
          const v = labels[c.topologyKey]!;
          counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(node, c, namespace));
        });
      }
      const weights = counts.map((m) => Math.log(m.size + 2));
      state.set(preScoreKey, { constraints, counts, weights, ignored } satisfies ScoreState);
      return null;
    },
    score(state, _pod, node) {
      const s = state.get(preScoreKey) as ScoreState;
      if (s.ignored.has(node.name)) return 0;
      const labels = node.labels();
      let score = 0;
      s.constraints.forEach((c, i) => {
        const v = labels[c.topologyKey]!;
        score += (s.counts[i]!.get(v) ?? 0) * s.weights[i]! + (c.maxSkew - 1);
      });
      return Math.round(score);
    },
    normalizeScore(state, _pod, nodes, scores) {
      const s = state.get(preScoreKey) as ScoreState;
      let min = Infinity;
      let max = 0;
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) return;
        min = Math.min(min, scores[i]!);
        max = Math.max(max, scores[i]!);
      });
      nodes.forEach((n, i) => {
        if (s.ignored.has(n.name)) scores[i] = 0;
        else scores[i] = max === 0 ? maxNodeScore : Math.floor((maxNodeScore * (max + min - scores[i]!)) / max);
      });
    },
  };
}
