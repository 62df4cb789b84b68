// Small builders for plugin tests: NodeInfos, PodInfos, a handle, and a way to run
// one plugin's PreFilter and Filter (or PreScore, Score and NormalizeScore) on nodes.

import { FakeClock } from '../../machinery/clock.ts';
import { Snapshot } from '../cache/snapshot.ts';
import type { CycleState, Handle, Plugin } from '../framework/interface.ts';
import { newPodInfo, NodeInfo, type PodInfo } from '../framework/node-info.ts';
import { Code, type MaybeStatus } from '../framework/status.ts';
import type { Pod, PodSpec } from '../types.ts';
import { makeNode, makePod, type NodeSpecOpts } from './cluster.ts';

export function nodeInfo(name: string, o: NodeSpecOpts = {}, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(name, makeNode(name, o));
  for (const p of pods) info.addPod(newPodInfo({ ...p, spec: { ...p.spec, nodeName: name } }));
  return info;
}

export function podInfo(name: string, o: { cpu?: string; memory?: string; labels?: Record<string, string>; namespace?: string; spec?: Partial<PodSpec>; priority?: number } = {}): PodInfo {
  const pod = makePod(name, o);
  if (o.priority !== undefined) pod.spec!.priority = o.priority;
  return newPodInfo(pod);
}

export function fakeHandle(snapshot: Snapshot, extra: Partial<Handle> = {}): Handle {
  return {
    clock: new FakeClock(),
    namespaceLabels: () => undefined,
    snapshot: () => snapshot,
    runFilters: () => null,
    runAddPod: () => {},
    runRemovePod: () => {},
    cloneState: (s) => new Map(s),
    defaultSpreadSelector: () => null,
    api: {
      bind: async () => {},
      evict: async () => {},
      setNominatedNodeName: async () => {},
      nominatedPods: () => [],
      pdbs: () => [],
    },
    ...extra,
  };
}

/** PreFilter then Filter on every node: the node names that pass, and each rejection's reasons. */
export function filterAll(plugin: Plugin, pod: PodInfo, snapshot: Snapshot): { passed: string[]; rejected: Map<string, { code: Code; reasons: string }> } {
  const state: CycleState = new Map();
  const pre: MaybeStatus = plugin.preFilter?.(state, pod, snapshot) ?? null;
  const passed: string[] = [];
  const rejected = new Map<string, { code: Code; reasons: string }>();
  for (const n of snapshot.nodeInfoList) {
    if (pre?.code === Code.Skip) {
      passed.push(n.name);
      continue;
    }
    const s = plugin.filter!(state, pod, n);
    if (s === null || s.code === Code.Success) passed.push(n.name);
    else rejected.set(n.name, { code: s.code, reasons: s.reasons.join(', ') });
  }
  return { passed, rejected };
}

/** PreScore, Score and NormalizeScore: node name to its final score (empty when skipped). */
export function scoreAll(plugin: Plugin, pod: PodInfo, snapshot: Snapshot): Map<string, number> {
  const state: CycleState = new Map();
  const nodes = snapshot.nodeInfoList;
  const pre = plugin.preScore?.(state, pod, nodes, snapshot) ?? null;
  if (pre?.code === Code.Skip) return new Map();
  const scores = nodes.map((n) => plugin.score!(state, pod, n));
  plugin.normalizeScore?.(state, pod, nodes, scores);
  return new Map(nodes.map((n, i) => [n.name, scores[i]!]));
}

export { Snapshot };
