// Registration, Lease renewal (every 10 s) and status reports (on change, and
// at least every 5 minutes) for one or many nodes. Hollow nodes share one
// instance, so thousands of leases renew from one timer with bounded concurrency.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { Client } from '../client/interfaces.ts';
import { rfc3339Micro, type Clock, type Timer } from '../machinery/clock.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../machinery/status.ts';
import { nodeStatus, nodeStatusChanged, nodeStatusPatch, registrationNode, type NodeConfig } from './node-status.ts';
import { runLimited } from './run-limited.ts';
import type { Lease, Node } from './types.ts';

const nodes = resourceFor('', 'v1', 'nodes')!;
const leases = resourceFor('coordination.k8s.io', 'v1', 'leases')!;
export const leaseNamespace = 'kube-node-lease';

export type NodeHeartbeatOptions = {
  client: Client;
  clock: Clock;
  log: (line: string) => void;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  statusReportMs?: number;
  concurrency?: number;
};

type Entry = { cfg: NodeConfig; node: Node; lease?: Lease; lastReport: number; changed: boolean; leaseTried?: boolean };

export class NodeHeartbeat {
  private readonly opts: Required<NodeHeartbeatOptions>;
  private readonly entries = new Map<string, Entry>();
  private timer: Timer | undefined;
  private inFlight = 0;
  /** Writes done, for benchmarks. */
  leaseWrites = 0;
  statusWrites = 0;

  constructor(opts: NodeHeartbeatOptions) {
    this.opts = { leaseDurationSeconds: 40, renewIntervalMs: 10_000, statusReportMs: 300_000, concurrency: 32, ...opts };
  }

  /** Creates (or adopts) the Node and its Lease; resolves with the Node as the API server has it. */
  async register(cfg: NodeConfig, withLease = true): Promise<Node> {
    const { client, clock } = this.opts;
    let node: Node;
    try {
      node = await client.create<KubeObject>(nodes, undefined, registrationNode(cfg, clock.now()) as unknown as KubeObject) as unknown as Node;
      // Kubernetes keeps the status a Node is created with; a server that drops it gets it through status.
      if (!node.status?.conditions?.length) {
        node = await client.patch<KubeObject>(nodes, undefined, cfg.name, 'strategic', { status: nodeStatusPatch(nodeStatus(cfg, undefined, clock.now())) }, { subresource: 'status' }) as unknown as Node;
      }
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      // Already registered (a restart): take it over and refresh labels and status.
      await client.patch(nodes, undefined, cfg.name, 'merge', { metadata: { labels: cfg.labels, ...(cfg.annotations ? { annotations: cfg.annotations } : {}) } });
      node = await client.patch<KubeObject>(nodes, undefined, cfg.name, 'strategic', { status: nodeStatusPatch(nodeStatus(cfg, undefined, clock.now())) }, { subresource: 'status' }) as unknown as Node;
    }
    const entry: Entry = { cfg, node, lastReport: clock.now(), changed: false };
    this.entries.set(cfg.name, entry);
    if (withLease) await this.renewLease(entry);
    return node;
  }

  /** Many registrations, a bounded number in flight; the leases follow in one round once every Node is up. */
  async registerAll(cfgs: NodeConfig[], onRegistered?: (node: Node) => void): Promise<void> {
    await runLimited(cfgs, this.opts.concurrency, async (cfg) => {
      const node = await this.register(cfg, false);
      onRegistered?.(node);
    });
    await this.tick();
  }

  /** Replaces a node's config (capacity, conditions, images…); reported at the next tick. */
  update(cfg: NodeConfig): void {
    const e = this.entries.get(cfg.name);
    if (!e) return;
    e.cfg = cfg;
    e.changed = true;
  }

  /** Reports a node's status now (a real node going Ready should not wait for the next tick). */
  async reportNow(name: string): Promise<Node | undefined> {
    const e = this.entries.get(name);
    if (!e) return undefined;
    await this.reportStatus(e);
    return e.node;
  }

  /** The node as the API server last answered. */
  current(name: string): Node | undefined {
    return this.entries.get(name)?.node;
  }

  /** Reports the status at the next tick, not only after 5 minutes. */
  markChanged(name: string): void {
    const e = this.entries.get(name);
    if (e) e.changed = true;
  }

  /**
   * Renews continuously rather than in one burst per interval: every slice
   * takes the next share of the nodes, so each node renews once per interval
   * and the API server sees an even rate instead of spikes.
   */
  start(): void {
    const slices = Math.max(1, Math.min(100, this.entries.size));
    let cursor = 0;
    this.timer = this.opts.clock.setInterval(() => {
      const all = [...this.entries.values()];
      const per = Math.ceil(all.length / slices);
      const batch = all.slice(cursor, cursor + per);
      cursor = cursor + per >= all.length ? 0 : cursor + per;
      // A server that cannot keep up makes this round skip nodes rather than pile up requests.
      if (this.inFlight >= this.opts.concurrency) return;
      void this.beat(batch);
    }, this.opts.renewIntervalMs / slices);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** One round: every lease renewed, due statuses reported. */
  async tick(): Promise<void> {
    await this.beat([...this.entries.values()]);
  }

  private async beat(batch: Entry[]): Promise<void> {
    await runLimited(batch, this.opts.concurrency, async (e) => {
      this.inFlight++;
      try {
        await this.renewLease(e);
        if (e.changed || this.opts.clock.now() - e.lastReport >= this.opts.statusReportMs) await this.reportStatus(e);
      } catch (err) {
        this.opts.log(`node ${e.cfg.name}: heartbeat failed: ${(err as Error).message}`);
      } finally {
        this.inFlight--;
      }
    });
  }

  private async reportStatus(e: Entry): Promise<void> {
    const now = this.opts.clock.now();
    const status = nodeStatus(e.cfg, e.node.status, now);
    const due = now - e.lastReport >= this.opts.statusReportMs;
    e.changed = false;
    if (!due && !nodeStatusChanged(e.node.status, status)) return;
    e.lastReport = now;
    e.node = (await this.opts.client.patch<KubeObject>(nodes, undefined, e.cfg.name, 'strategic', { status: nodeStatusPatch(status) }, { subresource: 'status' })) as unknown as Node;
    this.statusWrites++;
  }

  private async renewLease(e: Entry): Promise<void> {
    const { client, clock } = this.opts;
    const fresh = !e.leaseTried;
    e.leaseTried = true;
    const renewTime = rfc3339Micro(clock.now());
    if (e.lease) {
      const next: Lease = { ...e.lease, spec: { ...e.lease.spec, renewTime } };
      try {
        e.lease = await this.write('update', next);
        return;
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
        delete e.lease;
      }
    }
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: e.cfg.name,
        namespace: leaseNamespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: e.cfg.name, uid: e.node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: e.cfg.name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime },
    };
    // A new node most likely has no lease yet: try create first, then take over an existing one.
    if (fresh) {
      try {
        e.lease = await this.write('create', lease);
        return;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    try {
      const current = (await client.get<KubeObject>(leases, leaseNamespace, e.cfg.name)) as unknown as Lease;
      e.lease = await this.write('update', { ...current, spec: { ...current.spec, ...lease.spec } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      e.lease = await this.write('create', lease);
    }
  }

  private async write(verb: 'create' | 'update', lease: Lease): Promise<Lease> {
    const obj = lease as unknown as KubeObject;
    this.leaseWrites++;
    const out = verb === 'create' ? await this.opts.client.create<KubeObject>(leases, leaseNamespace, obj) : await this.opts.client.update<KubeObject>(leases, leaseNamespace, obj);
    return out as unknown as Lease;
  }
}
