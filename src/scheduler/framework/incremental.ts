// Cluster-wide sums kept up to date across cycles: each node contributes a value,
// and only nodes changed since the last use are recomputed. This keeps
// PodTopologySpread and InterPodAffinity PreFilter from scanning every pod per pod.

import type { Snapshot } from '../cache/snapshot.ts';
import type { NodeInfo } from './node-info.ts';

type Entry<A, C> = { snapshot: number; version: number; perNode: Map<string, C>; agg: A; used: number };

export type AggregateOps<A, C> = {
  empty(): A;
  add(agg: A, contribution: C, sign: 1 | -1): void;
};

export class IncrementalAggregates<A, C> {
  private readonly entries = new Map<string, Entry<A, C>>();
  private readonly ops: AggregateOps<A, C>;
  private readonly max: number;
  private tick = 0;

  constructor(ops: AggregateOps<A, C>, max = 64) {
    this.ops = ops;
    this.max = max;
  }

  /**
   * The sum for `key` over the snapshot's nodes. `contribution` must depend only on
   * the node (and on what `key` stands for). The result is shared: copy before changing it.
   */
  get(snapshot: Snapshot, key: string, contribution: (node: NodeInfo) => C | undefined): A {
    let e = this.entries.get(key);
    const changed = e && e.snapshot === snapshot.id ? snapshot.changedSince(e.version) : undefined;
    if (!e || changed === undefined) {
      e = { snapshot: snapshot.id, version: snapshot.version, perNode: new Map(), agg: this.ops.empty(), used: 0 };
      for (const node of snapshot.nodeInfoList) {
        const c = contribution(node);
        if (c === undefined) continue;
        e.perNode.set(node.name, c);
        this.ops.add(e.agg, c, 1);
      }
      this.entries.set(key, e);
      this.evict();
    } else {
      for (const name of changed) {
        const old = e.perNode.get(name);
        if (old !== undefined) {
          this.ops.add(e.agg, old, -1);
          e.perNode.delete(name);
        }
        const node = snapshot.get(name);
        const c = node ? contribution(node) : undefined;
        if (c === undefined) continue;
        e.perNode.set(name, c);
        this.ops.add(e.agg, c, 1);
      }
      e.version = snapshot.version;
    }
    e.used = ++this.tick;
    return e.agg;
  }

  private evict(): void {
    if (this.entries.size <= this.max) return;
    let oldest: string | undefined;
    let at = Infinity;
    for (const [k, e] of this.entries) {
      if (e.used < at) {
        at = e.used;
        oldest = k;
      }
    }
    if (oldest !== undefined) this.entries.delete(oldest);
  }
}
