// The scheduler's cache of nodes and the pods on them. Bound pods come from the
// informer; "assumed" pods are the scheduler's own decisions whose bind has not
// landed yet, so the next cycle already sees them. A failed bind forgets the pod.

import { newPodInfo, NodeInfo, type PodInfo } from '../framework/node-info.ts';
import type { Node, Pod } from '../types.ts';
import { Snapshot } from './snapshot.ts';

type PodState = { pi: PodInfo; nodeName: string; assumed: boolean };

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private dirty = new Set<string>();
  private nodesChanged = true;
  private imagesChanged = true;
  private priorityOf: (pod: Pod) => number;

  constructor(priorityOf: (pod: Pod) => number = (p) => p.spec?.priority ?? 0) {
    this.priorityOf = priorityOf;
  }

  nodeCount(): number {
    let n = 0;
    for (const info of this.nodes.values()) if (info.node) n++;
    return n;
  }

  podCount(): number {
    return this.pods.size;
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** The node a pod is bound or assumed on, if the cache has it. */
  nodeOf(key: string): string | undefined {
    return this.pods.get(key)?.nodeName;
  }

  assumePod(pi: PodInfo, nodeName: string): void {
    if (this.pods.has(pi.key)) throw new Error(`pod ${pi.key} is already in the cache`);
    const pod: Pod = { ...pi.pod, spec: { ...pi.pod.spec, nodeName } };
    const assumed = { ...pi, pod };
    this.pods.set(pi.key, { pi: assumed, nodeName, assumed: true });
    this.nodeInfo(nodeName).addPod(assumed);
    this.touch(nodeName);
  }

  /** The bind failed: the pod leaves the node it was assumed on. */
  forgetPod(key: string): void {
    const st = this.pods.get(key);
    if (!st?.assumed) return;
    this.pods.delete(key);
    this.removeFromNode(st.nodeName, key);
  }

  /** A bound pod from the informer (confirms an assumed one). */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const old = this.pods.get(key);
    if (old) this.removeFromNode(old.nodeName, key);
    const pi = newPodInfo(pod, this.priorityOf(pod));
    this.pods.set(key, { pi, nodeName, assumed: false });
    this.nodeInfo(nodeName).addPod(pi);
    this.touch(nodeName);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const st = this.pods.get(key);
    if (!st) return;
    this.pods.delete(key);
    this.removeFromNode(st.nodeName, key);
  }

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const info = this.nodeInfo(name);
    const hadNode = info.node !== undefined;
    info.setNode(node);
    if (!hadNode) this.nodesChanged = true;
    this.imagesChanged ||= (node.status?.images?.length ?? 0) > 0 || hadNode;
    this.touch(name);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    info.node = undefined;
    // Pods stay accounted until their own deletes arrive; an empty ghost goes now.
    if (info.pods.length === 0) this.nodes.delete(name);
    this.nodesChanged = true;
    this.imagesChanged = true;
    this.touch(name);
  }

  /** Brings `s` up to date with the cache, copying only what changed. */
  updateSnapshot(s: Snapshot): void {
    if (this.dirty.size === 0 && !this.nodesChanged) return;
    let affinityChanged = this.nodesChanged;
    for (const name of this.dirty) {
      const info = this.nodes.get(name);
      const before = s.byName.get(name);
      if (before && (before.podsWithAffinity.length > 0 || before.podsWithRequiredAntiAffinity.length > 0)) affinityChanged = true;
      if (before && before.podsWithRequiredAntiAffinity.length > 0) s.requiredAntiAffinityNodes--;
      if (!info?.node) {
        s.byName.delete(name);
        continue;
      }
      const copy = info.clone();
      if (copy.podsWithAffinity.length > 0 || copy.podsWithRequiredAntiAffinity.length > 0) affinityChanged = true;
      if (copy.podsWithRequiredAntiAffinity.length > 0) s.requiredAntiAffinityNodes++;
      s.byName.set(name, copy);
      const at = s.index.get(name);
      if (at !== undefined && !this.nodesChanged) s.nodeInfoList[at] = copy;
    }
    s.recordChange([...this.dirty]);
    this.dirty = new Set();
    if (this.nodesChanged) s.rebuildLists();
    if (this.nodesChanged) s.rebuildAffinityLists();
    else if (affinityChanged) s.markAffinityStale();
    if (this.imagesChanged) s.rebuildImages();
    this.nodesChanged = false;
    this.imagesChanged = false;
  }

  private nodeInfo(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.nodes.set(name, info);
    }
    return info;
  }

  private removeFromNode(nodeName: string, key: string): void {
    const info = this.nodes.get(nodeName);
    if (!info) return;
    info.removePod(key);
    if (!info.node && info.pods.length === 0) this.nodes.delete(nodeName);
    this.touch(nodeName);
  }

  private touch(name: string): void {
    const info = this.nodes.get(name);
    if (info) info.generation++;
    this.dirty.add(name);
  }
}
