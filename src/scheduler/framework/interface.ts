// One interface per extension point, as in kube-scheduler's framework. A plugin is
// an object with a name and the methods of the points it takes part in.

import type { KubeObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';
import type { Client, Informer } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import type { Selector } from '../../machinery/labels.ts';
import type { Pod } from '../types.ts';
import type { Snapshot } from '../cache/snapshot.ts';
import type { NamespaceLabels } from './affinity-term.ts';
import type { NodeInfo, PodInfo } from './node-info.ts';
import type { MaybeStatus, Status } from './status.ts';

/** Per-cycle plugin data, keyed by plugin name. */
export type CycleState = Map<string, unknown>;

export type PreFilterExtensions = {
  /** Adjusts the PreFilter state as if `add` ran on `node` (preemption, nominated pods). */
  addPod(state: CycleState, pod: PodInfo, add: PodInfo, node: NodeInfo): void;
  removePod(state: CycleState, pod: PodInfo, remove: PodInfo, node: NodeInfo): void;
  /** Copies the plugin's state so a what-if can change it. */
  cloneState(state: CycleState, into: CycleState): void;
};

export type PostFilterResult = { status: Status; nominatedNodeName?: string };

/** Cluster changes that can make a rejected pod schedulable (queueing hints, coarse). */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'NodeDelete' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete' | 'NamespaceChange' | 'VolumeChange';

export type Plugin = {
  readonly name: string;
  /** Events after which pods this plugin rejected are retried. */
  readonly events?: readonly ClusterEvent[];
  /** Skip means: this plugin's Filter has nothing to check for this pod. */
  preFilter?(state: CycleState, pod: PodInfo, snapshot: Snapshot): MaybeStatus;
  preFilterExtensions?: PreFilterExtensions;
  filter?(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  postFilter?(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<PostFilterResult>;
  /** Skip means: this plugin's Score does not apply to this pod. */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], snapshot: Snapshot): MaybeStatus;
  score?(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Brings this plugin's scores (index-aligned with nodes) into 0..100. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: number[]): void;
  reserve?(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus;
  unreserve?(state: CycleState, pod: PodInfo, nodeName: string): void;
  permit?(state: CycleState, pod: PodInfo, nodeName: string): { status: MaybeStatus; timeoutMs?: number };
  preBind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<MaybeStatus>;
  /** Skip passes the bind to the next Bind plugin. */
  bind?(state: CycleState, pod: PodInfo, nodeName: string): Promise<MaybeStatus>;
  postBind?(state: CycleState, pod: PodInfo, nodeName: string): void;
};

export const maxNodeScore = 100;

/** What plugins may use of the scheduler around them. */
export type Handle = {
  clock: Clock;
  namespaceLabels: NamespaceLabels;
  snapshot(): Snapshot;
  /** Runs every Filter plugin on a node (for preemption's what-ifs). */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo): MaybeStatus;
  /** Runs every PreFilterExtensions hook (for preemption's what-ifs). */
  runRemovePod(state: CycleState, pod: PodInfo, remove: PodInfo, node: NodeInfo): void;
  runAddPod(state: CycleState, pod: PodInfo, add: PodInfo, node: NodeInfo): void;
  cloneState(state: CycleState): CycleState;
  /** The selector of the services and controllers owning a pod (for default spread constraints); null when none. */
  defaultSpreadSelector(pod: Pod): Selector | null;
  /** Set by the scheduler: API effects (binding, victims, status). */
  api: SchedulerApi;
  /** Informers of other resources a plugin reads (claims, volumes); the scheduler waits for their first list. Absent in plugin unit tests. */
  informerFor?<T extends KubeObject>(r: ResourceInfo): Informer<T>;
  /** For plugins that write during PreBind (VolumeBinding annotates claims). */
  client?: Client;
  /** Retries pods rejected by plugins interested in `event`. */
  onClusterEvent?(event: ClusterEvent): void;
};

export type SchedulerApi = {
  bind(pod: PodInfo, nodeName: string): Promise<void>;
  /** Deletes a preemption victim, recording why. */
  evict(victim: PodInfo, preemptor: PodInfo, nodeName: string): Promise<void>;
  setNominatedNodeName(pod: PodInfo, nodeName: string): Promise<void>;
  /** Pods nominated to a node by earlier preemptions. */
  nominatedPods(nodeName: string): readonly PodInfo[];
  /** Pods disruption budgets protect: how many more may go, per budget. */
  pdbs(): readonly { namespace: string; matches(pod: PodInfo): boolean; allowed: number }[];
};

export type PluginFactory = (args: Record<string, unknown>, handle: Handle) => Plugin;
