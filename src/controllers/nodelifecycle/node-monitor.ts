// Node health: a node whose kubelet has not renewed its Lease (or posted
// status) for the grace period becomes Unknown; NoSchedule taints follow the
// Ready condition at once, NoExecute taints are added at each zone's rate and
// removed as soon as the node is Ready again.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import { rfc3339, type Clock } from '../../machinery/clock.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';
import { TokenBucket } from './rate-limiter.ts';
import {
  desiredNoExecuteTaint,
  desiredNoScheduleTaints,
  managedTaintKeys,
  notReadyTaintKey,
  readyStatus,
  sameTaint,
  unreachableTaintKey,
  type Node,
  type NodeCondition,
  type Taint,
} from './taints.ts';
import { zoneOf, zoneRate, zoneState, type RateOptions, type ZoneState } from './zones.ts';

const nodeResource = resourceForKind('', 'Node')!;
export type Lease = KubeObject & { spec?: { renewTime?: string; holderIdentity?: string } };

export type NodeMonitorOptions = RateOptions & {
  nodeMonitorGracePeriodMs: number;
  unhealthyZoneThreshold: number;
  /** Called once a node has been marked Unknown (its pods are marked not ready). */
  onNodeUnknown?: (node: string) => Promise<void>;
};

type Zone = { limiter: TokenBucket; queue: string[]; state: ZoneState };

export class NodeMonitor {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly nodes: Lister<Node>;
  private readonly leases: Lister<Lease>;
  private readonly recorder: EventRecorder;
  private readonly o: NodeMonitorOptions;
  /** Last heartbeat seen per node (Lease renewTime, Ready's lastHeartbeatTime), and when (by our clock) it changed. */
  private readonly seen = new Map<string, { renew: string; heartbeat: string; at: number }>();
  private readonly zones = new Map<string, Zone>();
  private allDisrupted = false;

  constructor(client: Client, clock: Clock, nodes: Lister<Node>, leases: Lister<Lease>, recorder: EventRecorder, o: NodeMonitorOptions) {
    this.client = client;
    this.clock = clock;
    this.nodes = nodes;
    this.leases = leases;
    this.recorder = recorder;
    this.o = o;
  }

  /** One pass over every node: health, NoSchedule taints, zone states, NoExecute queueing. */
  async monitor(): Promise<void> {
    const now = this.clock.now();
    const all = this.nodes.list();
    const names = new Set(all.map((n) => n.metadata.name!));
    for (const name of this.seen.keys()) if (!names.has(name)) this.seen.delete(name);
    const current: Node[] = [];
    // Only a silent node costs an await: this pass visits every node every period.
    for (const node of all) current.push(this.isSilent(node, now) ? await this.markUnknown(node, now) : node);
    for (const node of current) await this.reconcileTaints(node, desiredNoScheduleTaints(node), 'NoSchedule');
    this.updateZones(current);
    for (const node of current) await this.handleNoExecute(node);
  }

  /** Has the node not been heard of for the grace period, and is it not marked Unknown yet? */
  private isSilent(node: Node, now: number): boolean {
    const name = node.metadata.name!;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const renew = this.leases.get('kube-node-lease', name)?.spec?.renewTime ?? '';
    const heartbeat = ready?.lastHeartbeatTime ?? '';
    let seen = this.seen.get(name);
    if (!seen || seen.renew !== renew || seen.heartbeat !== heartbeat) this.seen.set(name, (seen = { renew, heartbeat, at: now }));
    return now - seen.at > this.o.nodeMonitorGracePeriodMs && ready?.status !== 'Unknown';
  }

  private async markUnknown(node: Node, now: number): Promise<Node> {
    const name = node.metadata.name!;
    const next = structuredClone(node);
    const stamp = rfc3339(now);
    const conditions = (next.status ??= {}).conditions ?? [];
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = conditions.find((x) => x.type === type);
      const unknown: NodeCondition = {
        type,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: c ? 'Kubelet stopped posting node status.' : 'Kubelet never posted node status.',
        lastHeartbeatTime: c?.lastHeartbeatTime ?? stamp,
        lastTransitionTime: stamp,
      };
      if (c) Object.assign(c, unknown);
      else conditions.push(unknown);
    }
    next.status.conditions = conditions;
    try {
      const written = await this.client.update<Node>(nodeResource, undefined, next, { subresource: 'status' });
      this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await this.o.onNodeUnknown?.(name);
      return written;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return node;
      throw e;
    }
  }

  private updateZones(nodes: readonly Node[]): void {
    const byZone = new Map<string, Node[]>();
    for (const n of nodes) {
      const zone = zoneOf(n);
      const members = byZone.get(zone);
      if (members) members.push(n);
      else byZone.set(zone, [n]);
    }
    for (const z of this.zones.keys()) if (!byZone.has(z)) this.zones.delete(z);
    let full = 0;
    for (const [name, members] of byZone) {
      const state = zoneState(members, this.o.unhealthyZoneThreshold);
      if (state === 'FullDisruption') full++;
      let z = this.zones.get(name);
      if (!z) this.zones.set(name, (z = { limiter: new TokenBucket(this.clock, zoneRate(state, members.length, this.o)), queue: [], state }));
      z.state = state;
      z.limiter.setRate(zoneRate(state, members.length, this.o));
    }
    const wasAll = this.allDisrupted;
    // Every zone down looks like our own network failing, not the nodes': evict nothing.
    this.allDisrupted = byZone.size > 0 && full === byZone.size;
    if (wasAll && !this.allDisrupted) {
      // Back from a full outage: every node gets a fresh grace period.
      const now = this.clock.now();
      for (const s of this.seen.values()) s.at = now;
    }
  }

  private async handleNoExecute(node: Node): Promise<void> {
    const name = node.metadata.name!;
    const zone = this.zones.get(zoneOf(node))!;
    const want = desiredNoExecuteTaint(node);
    const has = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute' && (t.key === notReadyTaintKey || t.key === unreachableTaintKey));
    if (!want || this.allDisrupted) {
      zone.queue = zone.queue.filter((n) => n !== name);
      if (has.length > 0) await this.reconcileTaints(node, [], 'NoExecute');
      return;
    }
    if (has.some((t) => sameTaint(t, want))) return;
    if (has.length > 0) {
      // not-ready ↔ unreachable: swap at once, the node was already counted against the rate.
      await this.reconcileTaints(node, [{ ...want, timeAdded: rfc3339(this.clock.now()) }], 'NoExecute');
      return;
    }
    if (!zone.queue.includes(name)) zone.queue.push(name);
  }

  /** Adds NoExecute taints to queued nodes as each zone's rate allows; call often (every 100 ms). */
  async drainTaintQueues(): Promise<number> {
    if (this.allDisrupted) return 0;
    let tainted = 0;
    for (const zone of this.zones.values()) {
      while (zone.queue.length > 0) {
        const name = zone.queue[0]!;
        const node = this.nodes.get(undefined, name);
        const want = node && desiredNoExecuteTaint(node);
        if (!node || !want) {
          zone.queue.shift();
          continue;
        }
        if (!zone.limiter.tryAccept()) break;
        zone.queue.shift();
        await this.reconcileTaints(node, [{ ...want, timeAdded: rfc3339(this.clock.now()) }], 'NoExecute');
        tainted++;
      }
    }
    return tainted;
  }

  zoneStates(): Map<string, ZoneState> {
    return new Map([...this.zones].map(([k, z]) => [k, z.state]));
  }

  /** Makes the node's managed taints of `effect` exactly `want` (others untouched), via a read-modify-write. */
  private async reconcileTaints(node: Node, want: readonly Taint[], effect: Taint['effect']): Promise<void> {
    const ours = (t: Taint) => t.effect === effect && managedTaintKeys.includes(t.key);
    const current = (node.spec?.taints ?? []).filter(ours);
    if (current.length === want.length && want.every((w) => current.some((c) => sameTaint(c, w)))) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      let fresh: Node;
      try {
        fresh = attempt === 0 ? structuredClone(node) : await this.client.get<Node>(nodeResource, undefined, node.metadata.name!);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const others = (fresh.spec?.taints ?? []).filter((t) => !ours(t));
      const kept = (fresh.spec?.taints ?? []).filter((t) => ours(t) && want.some((w) => sameTaint(w, t)));
      const added = want.filter((w) => !kept.some((k) => sameTaint(k, w)));
      const taints = [...others, ...kept, ...added];
      (fresh.spec ??= {}).taints = taints;
      if (taints.length === 0) delete fresh.spec.taints;
      try {
        await this.client.update(nodeResource, undefined, fresh);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
  }
}

export { readyStatus };
