// Static pods: the kubelet runs the pods of its manifest directory itself and
// mirrors each to the API server as a mirror pod (annotation
// kubernetes.io/config.mirror, owned by the Node), so kubectl can see them.
// Level-triggered: every scan (and every mirror event) reconciles manifests,
// running pods and mirrors. A removed manifest stops its pod and deletes the
// mirror; a mirror deleted by a user is recreated.

import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import type { Client, EventHandlers } from '../../client/interfaces.ts';
import { rfc3339, type Clock, type Timer } from '../../machinery/clock.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../machinery/status.ts';
import type { Pod } from '../types.ts';
import { readManifests, staticPodAnnotations } from './manifests.ts';

const pods = resourceFor('', 'v1', 'pods')!;

export type StaticPodsOptions = {
  dir: string;
  nodeName: string;
  /** The Node's uid, for the mirror pods' ownerReference. */
  nodeUid: string;
  client: Client;
  clock: Clock;
  log(line: string): void;
  /** The kubelet that runs them. */
  kubelet: { handlePod(pod: Pod): void; handlePodDeleted(pod: Pod): void };
  scanPeriodMs?: number;
  /** A mirror pod appeared (created or seen) for namespace/name. */
  onMirror?(key: string): void;
  /** A static pod stopped for good. */
  onRemoved?(key: string): void;
};

const key = (p: Pod) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;

export class StaticPods {
  private readonly opts: StaticPodsOptions;
  /** Running static pods by namespace/name. */
  private readonly running = new Map<string, { pod: Pod; hash: string }>();
  /** Mirror pods as the pod watch last saw them. */
  private readonly mirrors = new Map<string, Pod>();
  private readonly reportedErrors = new Set<string>();
  private timer: Timer | undefined;
  private busy = false;
  private again = false;

  constructor(opts: StaticPodsOptions) {
    this.opts = opts;
  }

  start(): void {
    void this.sync();
    this.timer = this.opts.clock.setInterval(() => void this.sync(), this.opts.scanPeriodMs ?? 1000);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** Fed by the kubelet's pod watch with the pods that carry the mirror annotation. */
  readonly mirrorHandlers: EventHandlers<Pod> = {
    onAdd: (p) => this.sawMirror(p),
    onUpdate: (_o, p) => this.sawMirror(p),
    onDelete: (p) => {
      if (this.mirrors.get(key(p))?.metadata.uid === p.metadata.uid) this.mirrors.delete(key(p));
      void this.sync();
    },
  };

  /** The mirror pod to write a static pod's status to (a static pod's own uid is not the mirror's). */
  mirrorFor(pod: Pod): Pod | undefined {
    if (!this.running.has(key(pod)) || this.running.get(key(pod))!.pod.metadata.uid !== pod.metadata.uid) return undefined;
    return this.mirrors.get(key(pod));
  }

  /** The kubelet's own view of a static pod by namespace and (mirror) name. */
  get(namespace: string, name: string): Pod | undefined {
    return this.running.get(`${namespace}/${name}`)?.pod;
  }

  list(): Pod[] {
    return [...this.running.values()].map((r) => r.pod);
  }

  isStatic(pod: Pod): boolean {
    return this.running.get(key(pod))?.pod.metadata.uid === pod.metadata.uid;
  }

  private sawMirror(p: Pod): void {
    const known = this.mirrors.get(key(p))?.metadata.uid === p.metadata.uid;
    this.mirrors.set(key(p), p);
    if (!known) this.opts.onMirror?.(key(p));
    void this.sync();
  }

  /** One reconcile; a request while one runs makes it run again. */
  async sync(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.reconcile();
      } while (this.again);
    } catch (e) {
      this.opts.log(`static pods: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async reconcile(): Promise<void> {
    const { kubelet, log } = this.opts;
    const wanted = new Map<string, { pod: Pod; hash: string }>();
    for (const m of readManifests(this.opts.dir, this.opts.nodeName)) {
      if ('error' in m) {
        if (!this.reportedErrors.has(m.error)) log(`static pods: ${m.error}`);
        this.reportedErrors.add(m.error);
        continue;
      }
      wanted.set(key(m.pod), m);
    }
    for (const [k, cur] of this.running) {
      const next = wanted.get(k);
      if (next?.hash === cur.hash) continue;
      log(`static pod ${k}: manifest ${next ? 'changed' : 'removed'}; stopping it`);
      kubelet.handlePodDeleted(cur.pod);
      this.running.delete(k);
      this.opts.onRemoved?.(k);
    }
    for (const [k, m] of wanted) {
      if (this.running.has(k)) continue;
      log(`static pod ${k}: starting from its manifest`);
      this.running.set(k, m);
      kubelet.handlePod(m.pod);
    }
    for (const [k, mirror] of this.mirrors) {
      const want = this.running.get(k);
      const stale = !want || mirror.metadata.annotations?.[staticPodAnnotations.mirror] !== want.hash;
      if (stale || mirror.metadata.deletionTimestamp) await this.deleteMirror(mirror);
    }
    for (const [k, m] of this.running) if (!this.mirrors.has(k)) await this.createMirror(m.pod, m.hash);
  }

  private async deleteMirror(mirror: Pod): Promise<void> {
    const m = mirror.metadata;
    try {
      await this.opts.client.delete(pods, m.namespace, m.name ?? '', { gracePeriodSeconds: 0, ...(m.uid ? { preconditions: { uid: m.uid } } : {}) });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
    if (this.mirrors.get(key(mirror))?.metadata.uid === m.uid) this.mirrors.delete(key(mirror));
  }

  private async createMirror(pod: Pod, hash: string): Promise<void> {
    const { nodeName, nodeUid, clock } = this.opts;
    const { uid: _uid, ...meta } = pod.metadata;
    const body: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...meta,
        annotations: { ...meta.annotations, [staticPodAnnotations.mirror]: hash, [staticPodAnnotations.seen]: rfc3339(clock.now()) },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid, controller: true }],
      },
      spec: pod.spec,
    };
    try {
      const created = (await this.opts.client.create<KubeObject>(pods, meta.namespace, body as unknown as KubeObject)) as unknown as Pod;
      this.mirrors.set(key(pod), created);
      this.opts.onMirror?.(key(pod));
      this.opts.log(`static pod ${key(pod)}: mirror pod created`);
    } catch (e) {
      // Already there (e.g. from before a restart): the watch brings it and the next round checks its hash.
      if (!isAlreadyExists(e)) throw new Error(`static pod ${key(pod)}: creating its mirror pod failed: ${(e as Error).message}`);
    }
  }
}
