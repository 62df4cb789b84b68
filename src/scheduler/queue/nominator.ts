// Pods nominated to nodes by preemption: other pods see them as already there
// (when of equal or higher priority) so the room made for them is not taken.

import type { PodInfo } from '../framework/node-info.ts';

export class Nominator {
  private readonly byPod = new Map<string, { pi: PodInfo; node: string }>();
  private readonly byNode = new Map<string, PodInfo[]>();

  /** Records (or clears, with an empty node) the pod's nomination. */
  set(pi: PodInfo, node: string | undefined): void {
    const old = this.byPod.get(pi.key);
    if (old) {
      if (old.node === node) {
        old.pi = pi;
        const list = this.byNode.get(node);
        if (list) this.byNode.set(node, list.map((p) => (p.key === pi.key ? pi : p)));
        return;
      }
      this.delete(pi.key);
    }
    if (!node) return;
    this.byPod.set(pi.key, { pi, node });
    this.byNode.set(node, [...(this.byNode.get(node) ?? []), pi]);
  }

  delete(key: string): void {
    const old = this.byPod.get(key);
    if (!old) return;
    this.byPod.delete(key);
    const rest = (this.byNode.get(old.node) ?? []).filter((p) => p.key !== key);
    if (rest.length === 0) this.byNode.delete(old.node);
    else this.byNode.set(old.node, rest);
  }

  nodeOf(key: string): string | undefined {
    return this.byPod.get(key)?.node;
  }

  forNode = (node: string): readonly PodInfo[] => {
    if (this.byNode.size === 0) return none;
    return this.byNode.get(node) ?? none;
  };
}

const none: readonly PodInfo[] = [];
