// The kubelet of one node: registers it, admits the pods bound to it and runs
// one worker per pod against the container runtime. Pods arrive through
// handlePod/handlePodDeleted, fed by this node's own pod watch or, for hollow
// nodes, by one watch shared by every node of the process.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { Client, EventRecorder } from '../client/interfaces.ts';
import type { Clock } from '../machinery/clock.ts';
import { isConflict, isNotFound } from '../machinery/status.ts';
import { admitPod } from './admission.ts';
import { readTerminationMessage } from './container-config/termination-message.ts';
import { CrashBackoff } from './crash-backoff.ts';
import type { NodeHeartbeat } from './node-heartbeat.ts';
import type { NodeConfig } from './node-status.ts';
import { removeOrphanedPods } from './orphaned-pods.ts';
import { Pleg, plegRelistPeriodMs } from './pleg.ts';
import { PodWorker } from './pod-worker.ts';
import type { Prober } from './prober.ts';
import type { ContainerStatus as RuntimeContainerStatus, ImageService, RuntimeService } from './runtime/runtime.ts';
import type { SandboxContext } from './sandbox-config.ts';
import type { PodStatusWriter } from './status-writer.ts';
import type { ContainerSpec, Node, Pod } from './types.ts';
import type { VolumeManager } from './volumes/volume-manager.ts';

const pods = resourceFor('', 'v1', 'pods')!;

export type KubeletOptions = {
  node: NodeConfig;
  client: Client;
  clock: Clock;
  runtime: RuntimeService;
  images: ImageService;
  runtimeName: string;
  prober: Prober;
  recorder: EventRecorder;
  heartbeat: NodeHeartbeat;
  statusWriter: PodStatusWriter;
  log: (line: string) => void;
  plegPeriodMs?: number;
  /** How sandboxes are configured (log root, cluster DNS); default: only the node name. */
  sandbox?: SandboxContext;
  /** The kubelet's root dir (pods/<uid>/…); absent on hollow nodes. */
  rootDir?: string;
  /** Mounts pod volumes; absent on hollow nodes that do not check volumes. */
  volumes?: VolumeManager;
  /** Reads an exited container's termination message (see PodWorkerDeps); default with a rootDir: the terminationMessagePath file. */
  readTerminationMessage?(pod: Pod, c: ContainerSpec, status: RuntimeContainerStatus): Promise<string | undefined> | string | undefined;
};

export class Kubelet {
  readonly name: string;
  private readonly opts: KubeletOptions;
  private readonly workers = new Map<string, PodWorker>();
  private readonly rejected = new Set<string>();
  private readonly backoff = new CrashBackoff();
  private readonly pleg: Pleg;
  private node: Node | undefined;

  constructor(opts: KubeletOptions) {
    this.opts = opts;
    this.name = opts.node.name;
    this.pleg = new Pleg(opts.runtime, opts.clock, (ev) => this.workers.get(ev.podUid)?.plegEvent(ev));
  }

  /** Registers the Node and its Lease; the caller starts the shared heartbeat. */
  async register(): Promise<Node> {
    this.node = await this.opts.heartbeat.register(this.opts.node);
    return this.node;
  }

  /** For callers that registered many nodes at once through the shared heartbeat, and for Node updates (labels, allocatable). */
  setNode(node: Node): void {
    this.node = node;
  }

  /** The pods this kubelet runs, as it last saw them (for the kubelet server). */
  pods(): Pod[] {
    return [...this.workers.values()].map((w) => w.currentPod);
  }

  /** One pod this kubelet runs, by namespace and name. */
  pod(namespace: string, name: string): Pod | undefined {
    for (const w of this.workers.values()) {
      const m = w.currentPod.metadata;
      if (m.namespace === namespace && m.name === name) return w.currentPod;
    }
    return undefined;
  }

  start(): void {
    this.pleg.start(this.opts.plegPeriodMs ?? plegRelistPeriodMs);
  }

  stop(): void {
    this.pleg.stop();
    this.opts.volumes?.stop();
  }

  /** Number of pods with a worker (admitted, not yet removed). */
  get podCount(): number {
    return this.workers.size;
  }

  handlePod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const worker = this.workers.get(uid);
    if (worker) return worker.update(pod);
    if (this.rejected.has(uid)) return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished before we knew it (e.g. a restart): only its deletion, and its stopped sandbox, are left to us.
      if (pod.metadata.deletionTimestamp) void this.deletePod(pod).then(() => this.removeLeftovers(uid));
      return;
    }
    if (!pod.metadata.deletionTimestamp) {
      const verdict = this.admit(pod);
      if (!verdict.admit) {
        this.rejected.add(uid);
        this.opts.recorder.event(pod as unknown as KubeObject, 'Warning', verdict.reason, verdict.message);
        void this.opts.statusWriter.write(pod, { ...pod.status, phase: 'Failed', reason: verdict.reason, message: verdict.message });
        return;
      }
    }
    const w = new PodWorker(pod, {
      clock: this.opts.clock,
      runtime: this.opts.runtime,
      images: this.opts.images,
      runtimeName: this.opts.runtimeName,
      prober: this.opts.prober,
      backoff: this.backoff,
      recorder: this.opts.recorder,
      nodeName: this.name,
      hostIP: this.opts.node.internalIP,
      sandbox: this.opts.sandbox ?? { nodeName: this.name },
      client: this.opts.client,
      ...(this.opts.rootDir !== undefined ? { rootDir: this.opts.rootDir } : {}),
      ...(this.opts.volumes ? { volumes: this.opts.volumes } : {}),
      allocatable: this.node?.status?.allocatable ?? this.opts.node.capacity,
      ...(this.opts.readTerminationMessage ? { readTerminationMessage: this.opts.readTerminationMessage } : this.opts.rootDir !== undefined ? { readTerminationMessage } : {}),
      reportStatus: (p, s) => this.opts.statusWriter.write(p, s),
      deletePod: (p) => this.deletePod(p),
      onFinished: (id) => {
        this.workers.delete(id);
        this.opts.statusWriter.forget(id);
      },
      log: this.opts.log,
    });
    this.workers.set(uid, w);
    w.update(pod);
  }

  handlePodDeleted(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    this.rejected.delete(uid);
    const worker = this.workers.get(uid);
    if (worker) worker.remove();
    else void this.removeLeftovers(uid);
  }

  /**
   * Once the first list of this node's pods is known (after a restart): stops and removes what the
   * runtime still runs for any other pod (deleted or moved while the kubelet was down), and their
   * volume, log and termination-message directories. `keep`: the listed pods and static pods.
   */
  async cleanupOrphans(keep: Iterable<string>): Promise<string[]> {
    const known = new Set(keep);
    return removeOrphanedPods({
      runtime: this.opts.runtime,
      keep: (uid) => known.has(uid) || this.workers.has(uid),
      log: this.opts.log,
      ...(this.opts.rootDir !== undefined ? { rootDir: this.opts.rootDir } : {}),
      ...(this.opts.sandbox?.logRoot ? { logRoot: this.opts.sandbox.logRoot } : {}),
    });
  }

  /** A pod without a worker is gone: whatever the runtime still has of it goes too. */
  private async removeLeftovers(uid: string): Promise<void> {
    if (!uid || this.workers.has(uid)) return;
    try {
      await removeOrphanedPods({
        runtime: this.opts.runtime,
        keep: (u) => u !== uid || this.workers.has(u),
        only: uid,
        log: this.opts.log,
        ...(this.opts.rootDir !== undefined ? { rootDir: this.opts.rootDir } : {}),
        ...(this.opts.sandbox?.logRoot ? { logRoot: this.opts.sandbox.logRoot } : {}),
      });
    } catch (e) {
      this.opts.log(`pod ${uid}: removing its sandboxes failed: ${(e as Error).message}`);
    }
  }

  /** Waits until every worker is idle (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.idle));
  }

  private admit(pod: Pod) {
    const labels = this.node?.metadata.labels ?? this.opts.node.labels;
    const allocatable = this.node?.status?.allocatable ?? this.opts.node.capacity;
    const active: Pod[] = [];
    for (const w of this.workers.values()) if (w.active) active.push(w.currentPod);
    return admitPod(pod, { name: this.name, labels, allocatable }, active);
  }

  private async deletePod(pod: Pod): Promise<void> {
    const m = pod.metadata;
    try {
      await this.opts.client.delete(pods, m.namespace, m.name ?? '', { gracePeriodSeconds: 0, ...(m.uid ? { preconditions: { uid: m.uid } } : {}) });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) this.opts.log(`pod ${m.namespace}/${m.name}: delete failed: ${(e as Error).message}`);
    }
  }
}
