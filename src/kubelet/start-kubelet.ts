// The kubelet of one real node, wired to a component context: its own pod
// watch (spec.nodeName=NODE), heartbeat, status writer and event recorder.
// `skiff agent` calls this with the containerd CRI client as runtime.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { ComponentContext } from '../client/interfaces.ts';
import { Kubelet } from './kubelet.ts';
import { NodeHeartbeat } from './node-heartbeat.ts';
import type { NodeConfig } from './node-status.ts';
import { RuntimeProber, type Prober } from './prober.ts';
import type { ImageService, RuntimeService } from './runtime/runtime.ts';
import { PodStatusWriter } from './status-writer.ts';
import type { Pod } from './types.ts';

const pods = resourceFor('', 'v1', 'pods')!;

export type StartKubeletOptions = {
  ctx: ComponentContext;
  node: NodeConfig;
  runtime: RuntimeService;
  images: ImageService;
  /** The scheme of containerIDs, e.g. `containerd`. */
  runtimeName: string;
  prober?: Prober;
};

export type RunningKubelet = { kubelet: Kubelet; stop(): void };

export async function startKubelet(opts: StartKubeletOptions): Promise<RunningKubelet> {
  const { ctx, node } = opts;
  const heartbeat = new NodeHeartbeat({ client: ctx.client, clock: ctx.clock, log: ctx.log, concurrency: 4 });
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
    statusWriter: new PodStatusWriter(ctx.client, ctx.log, 8),
    log: ctx.log,
  });
  await kubelet.register();
  heartbeat.start();
  kubelet.start();
  const inf = ctx.informers.informerFor<KubeObject>(pods, { fieldSelector: `spec.nodeName=${node.name}` });
  inf.addEventHandler({
    onAdd: (o) => kubelet.handlePod(o as unknown as Pod),
    onUpdate: (_old, o) => kubelet.handlePod(o as unknown as Pod),
    onDelete: (o) => kubelet.handlePodDeleted(o as unknown as Pod),
  });
  ctx.informers.start();
  return {
    kubelet,
    stop() {
      heartbeat.stop();
      kubelet.stop();
    },
  };
}
