// Zone disruption, as Kubernetes reckons it: a zone with no ready node is
// fully disrupted, one with more than two not-ready nodes making up at least
// the unhealthy threshold is partially disrupted. The state picks the zone's
// tainting rate.

import type { Node } from './taints.ts';
import { readyStatus } from './taints.ts';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export const zoneLabel = 'topology.kubernetes.io/zone';
export const regionLabel = 'topology.kubernetes.io/region';

export function zoneOf(node: Node): string {
  const l = node.metadata.labels ?? {};
  return `${l[regionLabel] ?? ''}:\u0000:${l[zoneLabel] ?? ''}`;
}

export function zoneState(nodes: readonly Node[], unhealthyThreshold: number): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const n of nodes) {
    if (readyStatus(n) === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}

export type RateOptions = { nodeEvictionRate: number; secondaryNodeEvictionRate: number; largeClusterSizeThreshold: number };

/** Nodes tainted per second in a zone of `size` nodes in `state`. */
export function zoneRate(state: ZoneState, size: number, o: RateOptions): number {
  if (state === 'PartialDisruption') return size > o.largeClusterSizeThreshold ? o.secondaryNodeEvictionRate : 0;
  return o.nodeEvictionRate;
}
