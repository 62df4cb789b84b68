// What the controller manager gives every controller, and what a controller gives back.

import type { ComponentContext } from '../client/interfaces.ts';

export type ControllerManagerOptions = {
  /** Pod CIDRs for node IPAM (default 10.42.0.0/16, a /24 per node). */
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  /** A node whose Lease is older than this is Unknown (default 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** How often node health is checked (default 5 s). */
  nodeMonitorPeriodMs: number;
  /** Nodes NoExecute-tainted per second per zone when nodes fail (default 0.1). */
  nodeEvictionRate: number;
  /** The rate in a zone where many nodes failed (partial disruption) in a large cluster (default 0.01). */
  secondaryNodeEvictionRate: number;
  /** Zones up to this many nodes stop evicting in partial disruption (default 50). */
  largeClusterSizeThreshold: number;
  /** Fraction of not-ready nodes (at least 3) that makes a zone partially disrupted (default 0.55). */
  unhealthyZoneThreshold: number;
  /** How often pod GC runs (default 20 s). */
  podGCPeriodMs: number;
  /** Terminated pods kept before pod GC removes the oldest (default 12,500). */
  terminatedPodGCThreshold: number;
  /** Events are removed after this long (default one hour). */
  eventTTLMs: number;
  /** Workers per controller (default 5). */
  concurrentSyncs: number;
};

export const defaultControllerManagerOptions: ControllerManagerOptions = {
  clusterCIDR: '10.42.0.0/16',
  nodeCIDRMaskSize: 24,
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  podGCPeriodMs: 20_000,
  terminatedPodGCThreshold: 12_500,
  eventTTLMs: 3_600_000,
  concurrentSyncs: 5,
};

export type ControllerContext = ComponentContext & { options: ControllerManagerOptions };

export type RunningController = { stop(): Promise<void> | void };

export type ControllerDescriptor = {
  /** As in kube-controller-manager's --controllers, e.g. `replicaset`. */
  name: string;
  start(ctx: ControllerContext): Promise<RunningController> | RunningController;
};
