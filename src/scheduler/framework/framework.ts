// A profile's plugins per extension point, and the code that runs each point.

import { defaultPlugins, type ExtensionPoint, type ProfileConfig } from '../config.ts';
import type { Snapshot } from '../cache/snapshot.ts';
import type { CycleState, Handle, Plugin, PluginFactory } from './interface.ts';
import type { NodeInfo, PodInfo } from './node-info.ts';
import { asError, Code, type MaybeStatus, type Status } from './status.ts';

const skipFilterKey = '__skipFilter';
const skipScoreKey = '__skipScore';

export class Framework {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly plugins: Plugin[] = [];
  readonly preFilter: Plugin[];
  readonly filter: Plugin[];
  readonly postFilter: Plugin[];
  readonly preScore: Plugin[];
  readonly score: { plugin: Plugin; weight: number }[];
  readonly reserve: Plugin[];
  readonly permit: Plugin[];
  readonly preBind: Plugin[];
  readonly bind: Plugin[];
  readonly postBind: Plugin[];

  constructor(profile: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, handle: Handle) {
    this.schedulerName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    const sets = profile.plugins ?? {};
    const args = new Map((profile.pluginConfig ?? []).map((c) => [c.name, c.args ?? {}]));
    const disabledAll = (point: ExtensionPoint | 'multiPoint') => new Set((sets[point]?.disabled ?? []).map((d) => d.name));
    const multiDisabled = disabledAll('multiPoint');
    let multi = multiDisabled.has('*') ? [] : defaultPlugins.filter((p) => !multiDisabled.has(p.name));
    for (const e of sets.multiPoint?.enabled ?? []) multi = [...multi.filter((p) => p.name !== e.name), e];
    const instances = new Map<string, Plugin>();
    const instance = (name: string): Plugin => {
      let p = instances.get(name);
      if (!p) {
        const factory = registry.get(name);
        if (!factory) throw new Error(`scheduler profile ${profile.schedulerName}: unknown plugin ${JSON.stringify(name)}`);
        p = factory(args.get(name) ?? {}, handle);
        instances.set(name, p);
        this.plugins.push(p);
      }
      return p;
    };
    const point = <K extends keyof Plugin>(name: ExtensionPoint, method: K): { plugin: Plugin; weight: number }[] => {
      const disabled = disabledAll(name);
      const chosen: { plugin: Plugin; weight: number }[] = [];
      const seen = new Set<string>();
      const consider = (ref: { name: string; weight?: number }, explicit: boolean) => {
        if (seen.has(ref.name) || (!explicit && (disabled.has('*') || disabled.has(ref.name)))) return;
        const p = instance(ref.name);
        if (p[method] === undefined) {
          if (explicit) throw new Error(`scheduler profile ${profile.schedulerName}: plugin ${ref.name} has no ${name} extension`);
          return;
        }
        seen.add(ref.name);
        chosen.push({ plugin: p, weight: ref.weight ?? 1 });
      };
      // Plugins named for this point come first, then the multi-point ones (weights from either).
      for (const ref of sets[name]?.enabled ?? []) consider(ref, true);
      for (const ref of multi) consider(ref, false);
      return chosen;
    };
    const plain = (name: ExtensionPoint, method: keyof Plugin) => point(name, method).map((c) => c.plugin);
    // PrioritySort is the queue's ordering: known by name, nothing to run.
    this.preFilter = plain('preFilter', 'preFilter');
    this.filter = plain('filter', 'filter');
    this.postFilter = plain('postFilter', 'postFilter');
    this.preScore = plain('preScore', 'preScore');
    this.score = point('score', 'score');
    this.reserve = plain('reserve', 'reserve');
    this.permit = plain('permit', 'permit');
    this.preBind = plain('preBind', 'preBind');
    this.bind = plain('bind', 'bind');
    this.postBind = plain('postBind', 'postBind');
    if (this.bind.length === 0) throw new Error(`scheduler profile ${profile.schedulerName}: no bind plugin`);
  }

  runPreFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): MaybeStatus {
    const skipped = new Set<string>();
    state.set(skipFilterKey, skipped);
    for (const p of this.preFilter) {
      let s: MaybeStatus;
      try {
        s = p.preFilter!(state, pod, snapshot);
      } catch (err) {
        s = asError(err);
      }
      if (s === null || s.code === Code.Success) continue;
      if (s.code === Code.Skip) {
        skipped.add(p.name);
        continue;
      }
      return { ...s, plugin: p.name };
    }
    return null;
  }

  /** Filters in order; the first rejection wins, tagged with its plugin. */
  runFilter(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus {
    const skipped = state.get(skipFilterKey) as Set<string> | undefined;
    for (const p of this.filter) {
      if (skipped !== undefined && skipped.size > 0 && skipped.has(p.name)) continue;
      let s: MaybeStatus;
      try {
        s = p.filter!(state, pod, node);
      } catch (err) {
        s = asError(err);
      }
      if (s !== null && s.code !== Code.Success) {
        if (s.plugin === undefined) s.plugin = p.name;
        return s;
      }
    }
    return null;
  }

  runPreScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], snapshot: Snapshot): MaybeStatus {
    const skipped = new Set<string>();
    state.set(skipScoreKey, skipped);
    for (const p of this.preScore) {
      const s = p.preScore!(state, pod, nodes, snapshot);
      if (s === null || s.code === Code.Success) continue;
      if (s.code === Code.Skip) skipped.add(p.name);
      else return { ...s, plugin: p.name };
    }
    return null;
  }

  /** Weighted, normalized totals, index-aligned with `nodes`. */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const skipped = state.get(skipScoreKey) as Set<string> | undefined;
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = new Array<number>(nodes.length);
    for (const { plugin, weight } of this.score) {
      if (skipped?.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score!(state, pod, nodes[i]!);
      plugin.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * weight;
    }
    return totals;
  }

  runReserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus {
    for (const p of this.reserve) {
      const s = p.reserve!(state, pod, nodeName);
      if (s !== null && s.code !== Code.Success) return { ...s, plugin: p.name };
    }
    return null;
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.reserve].reverse()) p.unreserve?.(state, pod, nodeName);
  }

  /** Permit: the longest Wait asked for, or the first rejection. */
  runPermit(state: CycleState, pod: PodInfo, nodeName: string): { status: MaybeStatus; waitMs: number } {
    let waitMs = 0;
    for (const p of this.permit) {
      const r = p.permit!(state, pod, nodeName);
      if (r.status === null || r.status.code === Code.Success) continue;
      if (r.status.code === Code.Wait) waitMs = Math.max(waitMs, r.timeoutMs ?? 0);
      else return { status: { ...r.status, plugin: p.name }, waitMs: 0 };
    }
    return { status: waitMs > 0 ? { code: Code.Wait, reasons: [] } : null, waitMs };
  }

  async runPreBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<MaybeStatus> {
    for (const p of this.preBind) {
      const s = await p.preBind!(state, pod, nodeName);
      if (s !== null && s.code !== Code.Success) return { ...s, plugin: p.name };
    }
    return null;
  }

  async runBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<MaybeStatus> {
    for (const p of this.bind) {
      const s = await p.bind!(state, pod, nodeName);
      if (s !== null && s.code === Code.Skip) continue;
      return s === null || s.code === Code.Success ? null : { ...s, plugin: p.name };
    }
    return { code: Code.Error, reasons: ['no bind plugin bound the pod'] } satisfies Status;
  }

  runPostBind(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.postBind) p.postBind!(state, pod, nodeName);
  }

  /** Whether any PreFilterExtensions exist (nominated pods and preemption need them). */
  runAddPod(state: CycleState, pod: PodInfo, add: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) p.preFilterExtensions?.addPod(state, pod, add, node);
  }
  runRemovePod(state: CycleState, pod: PodInfo, remove: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) p.preFilterExtensions?.removePod(state, pod, remove, node);
  }
  cloneState(state: CycleState): CycleState {
    const copy: CycleState = new Map(state);
    for (const p of this.preFilter) p.preFilterExtensions?.cloneState(state, copy);
    return copy;
  }
}
