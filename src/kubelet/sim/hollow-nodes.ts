// Many hollow nodes in one process (in the spirit of kwok): each is a real
// Kubelet over its own FakeRuntime, but they share one pod watch (all bound
// pods, dispatched by spec.nodeName), one heartbeat timer for their leases,
// one status writer and one event queue.

import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import type { Client } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import { EventSink } from '../event-sink.ts';
import { Kubelet } from '../kubelet.ts';
import { NodeHeartbeat } from '../node-heartbeat.ts';
import { defaultNodeLabels, type NodeConfig } from '../node-status.ts';
import { FakeProber } from '../prober.ts';
import { FakeRuntime } from '../runtime/fake-runtime.ts';
import { PodStatusWriter } from '../status-writer.ts';
import { createVolumeManager } from '../volumes/volume-manager.ts';
import type { Node, Pod } from '../types.ts';

const pods = resourceFor('', 'v1', 'pods')!;
const nodes = resourceFor('', 'v1', 'nodes')!;

export type HollowNodesOptions = {
  client: Client;
  clock: Clock;
  log: (line: string) => void;
  count: number;
  prefix?: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  zones?: number;
  /** Record kubelet Events (default true). */
  events?: boolean;
  /** Requests in flight for registration, leases, statuses (default 64). */
  concurrency?: number;
  /** Check that the configMaps, secrets and PVCs pods mount exist (FailedMount otherwise); costs reads per pod (default false). */
  checkVolumes?: boolean;
};

export const hollowRoleLabel = 'node-role.kubernetes.io/agent';

/** A /24 per node out of 10.64.0.0/10 for pods when the node has no spec.podCIDR. */
export function hollowPodCIDR(index: number): string {
  return `10.${64 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

/** A distinct InternalIP per node, out of 172.16.0.0/12. */
export function hollowNodeIP(index: number): string {
  const n = index + 1;
  return `172.${16 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export function hollowNodeConfig(opts: HollowNodesOptions, index: number): NodeConfig {
  const name = `${opts.prefix ?? 'sim-'}${index}`;
  const labels: Record<string, string> = { ...defaultNodeLabels(name), [hollowRoleLabel]: '', 'skiff.io/hollow': 'true' };
  const zones = opts.zones ?? 0;
  if (zones > 0) {
    labels['topology.kubernetes.io/zone'] = `zone-${index % zones}`;
    labels['topology.kubernetes.io/region'] = 'sim';
  }
  return {
    name,
    capacity: { cpu: opts.cpu ?? '32', memory: opts.memory ?? '256Gi', pods: String(opts.pods ?? 110), 'ephemeral-storage': '1Ti' },
    labels,
    internalIP: hollowNodeIP(index),
    kubeletPort: 10250,
    osImage: 'skiff hollow node',
    kernelVersion: '6.1.0-hollow',
    containerRuntimeVersion: 'fake://0.1.0',
    machineID: `hollow${String(index).padStart(26, '0')}`,
  };
}

export class HollowNodes {
  private readonly opts: HollowNodesOptions;
  readonly heartbeat: NodeHeartbeat;
  readonly statusWriter: PodStatusWriter;
  readonly events: EventSink;
  readonly kubelets = new Map<string, Kubelet>();
  readonly runtimes = new Map<string, FakeRuntime>();
  private informers: InformerFactory | undefined;

  constructor(opts: HollowNodesOptions) {
    this.opts = opts;
    const concurrency = opts.concurrency ?? 64;
    this.heartbeat = new NodeHeartbeat({ client: opts.client, clock: opts.clock, log: opts.log, concurrency });
    this.statusWriter = new PodStatusWriter(opts.client, opts.log, concurrency);
    this.events = new EventSink({ client: opts.client, clock: opts.clock, log: opts.log });
  }

  /** Registers every node (and its Lease), then starts heartbeats and the shared pod watch. */
  async start(onRegistered?: (node: Node) => void): Promise<void> {
    const { opts } = this;
    const noEvents = { event() {} };
    const cfgs = Array.from({ length: opts.count }, (_, i) => hollowNodeConfig(opts, i));
    cfgs.forEach((cfg, i) => {
      const runtime = new FakeRuntime({ clock: opts.clock, podCIDR: hollowPodCIDR(i) });
      const kubelet = new Kubelet({
        node: cfg,
        client: opts.client,
        clock: opts.clock,
        runtime,
        images: runtime,
        runtimeName: 'fake',
        prober: new FakeProber(runtime),
        recorder: opts.events === false ? noEvents : this.events.recorder('kubelet', cfg.name),
        heartbeat: this.heartbeat,
        statusWriter: this.statusWriter,
        log: opts.log,
        ...(opts.checkVolumes ? { volumes: createVolumeManager({ client: opts.client, nodeName: cfg.name, clock: opts.clock, log: opts.log }) } : {}),
      });
      this.kubelets.set(cfg.name, kubelet);
      this.runtimes.set(cfg.name, runtime);
    });
    await this.heartbeat.registerAll(cfgs, (node) => {
      this.nodeChanged(node);
      onRegistered?.(node);
    });
    this.heartbeat.start();
    for (const k of this.kubelets.values()) k.start();

    // One watch for all bound pods; a field selector cannot say "node in this set".
    this.informers = new InformerFactory(opts.client, { clock: opts.clock, log: opts.log });
    const inf = this.informers.informerFor<KubeObject>(pods, { fieldSelector: 'spec.nodeName!=' });
    const route = (obj: KubeObject) => this.kubelets.get((obj as unknown as Pod).spec?.nodeName ?? '');
    inf.addEventHandler({
      onAdd: (o) => route(o)?.handlePod(o as unknown as Pod),
      onUpdate: (_old, o) => route(o)?.handlePod(o as unknown as Pod),
      onDelete: (o) => route(o)?.handlePodDeleted(o as unknown as Pod),
    });
    // Node updates: a podCIDR assigned after registration, new labels or allocatable for admission.
    const nodeInf = this.informers.informerFor<KubeObject>(nodes, { labelSelector: 'skiff.io/hollow=true' });
    nodeInf.addEventHandler({
      onAdd: (o) => this.nodeChanged(o as unknown as Node),
      onUpdate: (_old, o) => this.nodeChanged(o as unknown as Node),
    });
    this.informers.start();
    await this.informers.waitForSync();
  }

  /** Follows one of our Nodes as the API server has it. */
  private nodeChanged(node: Node): void {
    const name = node.metadata.name ?? '';
    const kubelet = this.kubelets.get(name);
    if (!kubelet) return;
    kubelet.setNode(node);
    // Pods already running keep their address; new ones get one from the assigned range.
    if (node.spec?.podCIDR) this.runtimes.get(name)?.setPodCIDR(node.spec.podCIDR);
  }

  stop(): void {
    this.informers?.stop();
    this.heartbeat.stop();
    for (const k of this.kubelets.values()) k.stop();
  }
}
