// The view one scheduling cycle works on: copies of the cache's NodeInfos, brought
// up to date incrementally (only nodes changed since the last cycle are copied).

import type { NodeInfo } from '../framework/node-info.ts';

let snapshots = 0;

/** How many updates back `changedSince` can answer; older readers recompute. */
const changeLogLength = 512;

export class Snapshot {
  /** Unique per snapshot object, so derived data is never reused across snapshots. */
  readonly id = ++snapshots;
  /** Bumped by every update that changed something. */
  version = 0;
  private changes: { version: number; names: readonly string[] }[] = [];
  nodeInfoList: NodeInfo[] = [];
  private withAffinity: NodeInfo[] = [];
  private withRequiredAntiAffinity: NodeInfo[] = [];
  /** The affinity lists are rebuilt only when read after a change (most cycles never read them). */
  private affinityStale = false;
  /** Nodes with pods having required anti-affinity, kept by count so the check costs nothing. */
  requiredAntiAffinityNodes = 0;
  readonly byName = new Map<string, NodeInfo>();
  /** How many nodes hold each image (ImageLocality spreads by it). */
  imageNodeCount = new Map<string, number>();
  /** Position of each node in nodeInfoList. */
  readonly index = new Map<string, number>();

  /** Records that the named nodes changed (or came or went) in a new version. */
  recordChange(names: readonly string[]): void {
    this.version++;
    this.changes.push({ version: this.version, names });
    if (this.changes.length > changeLogLength) this.changes.splice(0, this.changes.length - changeLogLength);
  }

  /** Nodes changed after `version`; undefined when that is too far back to tell. */
  changedSince(version: number): string[] | undefined {
    if (version === this.version) return [];
    const first = this.changes[0];
    if (!first || version < first.version - 1 || version > this.version) return undefined;
    const out = new Set<string>();
    for (let i = this.changes.length - 1; i >= 0 && this.changes[i]!.version > version; i--) for (const n of this.changes[i]!.names) out.add(n);
    return [...out];
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  /** Builds a snapshot from NodeInfos directly (tests, what-ifs). */
  static of(nodes: readonly NodeInfo[]): Snapshot {
    const s = new Snapshot();
    for (const n of nodes) s.byName.set(n.name, n);
    s.rebuildLists();
    s.rebuildAffinityLists();
    s.rebuildImages();
    return s;
  }

  rebuildLists(): void {
    this.nodeInfoList = [...this.byName.values()];
    this.index.clear();
    this.nodeInfoList.forEach((n, i) => this.index.set(n.name, i));
  }

  get havePodsWithAffinity(): readonly NodeInfo[] {
    if (this.affinityStale) this.rebuildAffinityLists();
    return this.withAffinity;
  }

  get havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    if (this.affinityStale) this.rebuildAffinityLists();
    return this.withRequiredAntiAffinity;
  }

  markAffinityStale(): void {
    this.affinityStale = true;
  }

  rebuildAffinityLists(): void {
    this.withAffinity = [];
    this.withRequiredAntiAffinity = [];
    for (const n of this.nodeInfoList) {
      if (n.podsWithAffinity.length > 0) this.withAffinity.push(n);
      if (n.podsWithRequiredAntiAffinity.length > 0) this.withRequiredAntiAffinity.push(n);
    }
    this.requiredAntiAffinityNodes = this.withRequiredAntiAffinity.length;
    this.affinityStale = false;
  }

  rebuildImages(): void {
    this.imageNodeCount = new Map();
    for (const n of this.nodeInfoList) for (const img of n.images.keys()) this.imageNodeCount.set(img, (this.imageNodeCount.get(img) ?? 0) + 1);
  }
}
