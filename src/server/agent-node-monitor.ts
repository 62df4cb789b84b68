// Keeps a real node's reported health and images current: pressure from the
// machine, the runtime's own readiness (CRI Status: RuntimeReady and
// NetworkReady, as the kubelet's Ready condition reflects them) and the images
// it holds, sampled every 10 s; the heartbeat writes only what changed.

import type { Clock } from '../machinery/clock.ts';
import { pressureFrom, samplePressure } from '../kubelet/machine/pressure.ts';
import type { NodeConfig } from '../kubelet/node-status.ts';
import type { ImageService } from '../kubelet/runtime/runtime.ts';

export type NodeMonitorOptions = {
  dataDir: string;
  images: ImageService;
  clock: Clock;
  log(line: string): void;
  get(): NodeConfig;
  set(cfg: NodeConfig): void;
  /** CRI Status conditions; a failing call means the runtime is down. */
  runtimeStatus?: () => Promise<{ type: string; status: boolean; reason: string; message: string }[]>;
  periodMs?: number;
};

type RuntimeCondition = { type: string; status: boolean; reason: string; message: string };

/** Ready=False with the kubelet's wording when the runtime or its network is not ready; undefined when both are. */
export function runtimeNotReady(conditions: RuntimeCondition[] | Error): { reason: string; message: string } | undefined {
  if (conditions instanceof Error) return { reason: 'KubeletNotReady', message: `container runtime is down: ${conditions.message}` };
  const rt = conditions.find((c) => c.type === 'RuntimeReady');
  if (rt && !rt.status) return { reason: 'KubeletNotReady', message: `container runtime not ready: RuntimeReady=false reason:${rt.reason} message:${rt.message}` };
  const net = conditions.find((c) => c.type === 'NetworkReady');
  if (net && !net.status) return { reason: 'KubeletNotReady', message: `container runtime network not ready: NetworkReady=false reason:${net.reason} message:${net.message}` };
  return undefined;
}

/** Images as Node.status.images lists them: repo tags and digests, biggest first, at most 50 like the kubelet. */
export async function nodeImages(images: ImageService): Promise<{ names: string[]; sizeBytes: number }[]> {
  const list = await images.listImages();
  return list
    .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }))
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, 50);
}

export function startNodeMonitor(opts: NodeMonitorOptions): { stop(): void } {
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      const cur = opts.get();
      const pressure = pressureFrom(samplePressure(opts.dataDir));
      const notReady = opts.runtimeStatus ? runtimeNotReady(await opts.runtimeStatus().catch((e: unknown) => e as Error)) : cur.notReady;
      const images = notReady ? (cur.images ?? []) : await nodeImages(opts.images);
      const changed = (a: unknown, b: unknown) => JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
      if (changed(notReady, cur.notReady)) opts.log(`node ${cur.name}: ${notReady ? `not ready: ${notReady.message}` : 'container runtime ready again'}`);
      if (changed(pressure, cur.pressure ?? {}) || changed(images, cur.images ?? []) || changed(notReady, cur.notReady)) {
        for (const [k, on] of Object.entries(pressure)) {
          if (on !== (cur.pressure?.[k as keyof typeof pressure] ?? false)) opts.log(`node ${cur.name}: ${k} pressure ${on ? 'started' : 'ended'}`);
        }
        const { notReady: _old, ...rest } = cur;
        opts.set({ ...rest, pressure, images, ...(notReady ? { notReady } : {}) });
      }
    } catch (e) {
      opts.log(`node monitor: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void sample();
  const timer = opts.clock.setInterval(() => void sample(), opts.periodMs ?? 10_000);
  return { stop: () => timer.cancel() };
}
