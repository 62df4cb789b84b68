// The kubelet of one real node, wired to a component context: its own pod
// watch (spec.nodeName=NODE), heartbeat, status writer and event recorder.
// `skiff agent` calls this with the containerd CRI client as runtime.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { ComponentContext, EventHandlers } from '../client/interfaces.ts';
import { Kubelet, type KubeletOptions } from './kubelet.ts';
import { NodeHeartbeat } from './node-heartbeat.ts';
import type { NodeConfig } from './node-status.ts';
import { RuntimeProber, type Prober } from './prober.ts';
import type { ImageService, RuntimeService } from './runtime/runtime.ts';
import { PodStatusWriter } from './status-writer.ts';
import type { Node, Pod } from './types.ts';

const pods = resourceFor('', 'v1', 'pods')!;

/** Mirror pods (of static pods) carry this annotation; the kubelet never runs them itself. */
export const mirrorAnnotation = 'kubernetes.io/config.mirror';

export type StartKubeletOptions = {
  ctx: ComponentContext;
  node: NodeConfig;
  runtime: RuntimeService;
  images: ImageService;
  /** The scheme of containerIDs, e.g. `containerd`. */
  runtimeName: string;
  prober?: Prober;
  /** Runs after registration, before any pod is started (e.g. waiting for the pod network). */
  beforePods?: (node: Node, heartbeat: NodeHeartbeat) => Promise<void>;
  /** More kubelet options (sandbox context, volumes, rootDir…) passed through as they are. */
  kubeletOptions?: Partial<KubeletOptions>;
  /** Where mirror pods go instead of the kubelet (the static pod manager). */
  mirrorPods?: EventHandlers<Pod>;
  statusWriter?: PodStatusWriter;
  /** Pods this kubelet runs that the API does not list (static pods' uids): kept by the orphan cleanup. */
  keepPodUids?: () => Iterable<string>;
};

export type RunningKubelet = { kubelet: Kubelet; heartbeat: NodeHeartbeat; statusWriter: PodStatusWriter; stop(): void };

const isMirror = (p: Pod) => p.metadata.annotations?.[mirrorAnnotation] !== undefined;

export async function startKubelet(opts: StartKubeletOptions): Promise<RunningKubelet> {
  const { ctx, node } = opts;
  const heartbeat = new NodeHeartbeat({ client: ctx.client, clock: ctx.clock, log: ctx.log, concurrency: 4 });
  const statusWriter = opts.statusWriter ?? new PodStatusWriter(ctx.client, ctx.log, 8);
  const kubelet = new Kubelet({
    node,
    client: ctx.client,
    clock: ctx.clock,
    runtime: opts.runtime,
    images: opts.images,
    runtimeName: opts.runtimeName,
    prober: opts.prober ?? new RuntimeProber(opts.runtime),
    recorder: ctx.recorder('kubelet', node.name),
    heartbeat,
    statusWriter,
    log: ctx.log,
    ...opts.kubeletOptions,
  });
  const registered = await kubelet.register();
  heartbeat.start();
  try {
    await opts.beforePods?.(registered, heartbeat);
  } catch (e) {
    heartbeat.stop();
    throw e;
  }
  kubelet.start();
  const mirror = opts.mirrorPods;
  const inf = ctx.informers.informerFor<KubeObject>(pods, { fieldSelector: `spec.nodeName=${node.name}` });
  inf.addEventHandler({
    onAdd: (o) => {
      const p = o as unknown as Pod;
      if (isMirror(p)) mirror?.onAdd?.(p);
      else kubelet.handlePod(p);
    },
    onUpdate: (old, o) => {
      const p = o as unknown as Pod;
      if (isMirror(p)) mirror?.onUpdate?.(old as unknown as Pod, p);
      else kubelet.handlePod(p);
    },
    onDelete: (o) => {
      const p = o as unknown as Pod;
      if (isMirror(p)) mirror?.onDelete?.(p);
      else kubelet.handlePodDeleted(p);
    },
  });
  ctx.informers.start();
  // Pods deleted or moved while the kubelet was down still run here: once the first list is in, they go.
  void inf
    .waitForSync()
    .then(() => {
      const listed = inf.lister.list().map((o) => (o as unknown as Pod).metadata.uid ?? '');
      return kubelet.cleanupOrphans([...listed, ...(opts.keepPodUids?.() ?? [])]);
    })
    .catch((e: unknown) => ctx.log(`kubelet: cleaning up pods removed while it was down failed: ${(e as Error).message}`));
  return {
    kubelet,
    heartbeat,
    statusWriter,
    stop() {
      heartbeat.stop();
      kubelet.stop();
    },
  };
}
