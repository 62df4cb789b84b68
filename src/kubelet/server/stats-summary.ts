// GET /stats/summary: the kubelet Summary API (node + per-pod CPU and memory)
// from CRI container stats and /proc. CPU usage as a rate (usageNanoCores)
// needs two samples: the previous one per container is kept per runtime, and
// anything seen for the first time is sampled again a moment later.

import type { RuntimeService } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { readNodeCpu, readNodeMemory } from './stats-summary-proc.ts';

export type CpuStats = { time: string; usageNanoCores?: number; usageCoreNanoSeconds: number };
export type MemoryStats = { time: string; workingSetBytes: number; usageBytes?: number; availableBytes?: number };
export type ContainerSummary = { name: string; cpu: CpuStats; memory: MemoryStats };
export type PodSummary = { podRef: { name: string; namespace: string; uid: string }; containers: ContainerSummary[]; cpu: CpuStats; memory: MemoryStats };
export type Summary = { node: { nodeName: string; cpu: CpuStats; memory: MemoryStats }; pods: PodSummary[] };

export type StatsContext = {
  runtime: RuntimeService;
  nodeName: string;
  pods(): Pod[];
  /** For tests: where /proc is, and the pause between two first samples. */
  procRoot?: string;
  resampleMs?: number;
};

type Sample = { timeNs: number; cpuNs: number };
type Raw = { node: Sample & { memory: Awaited<ReturnType<typeof readNodeMemory>> }; containers: Map<string, { stats: Sample & { memory: number }; name: string; pod: PodSummary['podRef'] }> };

/** Previous samples per runtime (one per kubelet), keyed by container id and "node". */
const previous = new WeakMap<RuntimeService, Map<string, Sample>>();

export async function statsSummary(ctx: StatsContext): Promise<Summary> {
  let prev = previous.get(ctx.runtime);
  if (!prev) previous.set(ctx.runtime, (prev = new Map()));
  let raw = await sample(ctx);
  const unseen = !prev.has('node') || [...raw.containers.keys()].some((id) => !prev.has(id));
  if (unseen) {
    remember(prev, raw);
    await new Promise((r) => setTimeout(r, ctx.resampleMs ?? 150));
    raw = await sample(ctx);
  }
  const summary = build(ctx.nodeName, raw, prev);
  remember(prev, raw);
  return summary;
}

async function sample(ctx: StatsContext): Promise<Raw> {
  const [cpuNs, memory, sandboxes, containers, stats] = await Promise.all([
    readNodeCpu(ctx.procRoot),
    readNodeMemory(ctx.procRoot),
    ctx.runtime.listPodSandbox(),
    ctx.runtime.listContainers({ state: 'CONTAINER_RUNNING' }),
    ctx.runtime.listContainerStats(),
  ]);
  const timeNs = Date.now() * 1e6;
  const sandboxById = new Map(sandboxes.map((s) => [s.id, s]));
  const running = new Set(containers.map((c) => c.id));
  const out: Raw['containers'] = new Map();
  for (const s of stats) {
    const sb = sandboxById.get(s.podSandboxId);
    if (!sb || !running.has(s.containerId)) continue;
    out.set(s.containerId, {
      name: s.name,
      pod: { name: sb.metadata.name, namespace: sb.metadata.namespace, uid: sb.metadata.uid },
      stats: { timeNs: s.timestamp || timeNs, cpuNs: s.cpuUsageCoreNanoSeconds, memory: s.memoryWorkingSetBytes },
    });
  }
  return { node: { timeNs, cpuNs, memory }, containers: out };
}

function remember(prev: Map<string, Sample>, raw: Raw): void {
  const seen = new Set<string>(['node']);
  prev.set('node', { timeNs: raw.node.timeNs, cpuNs: raw.node.cpuNs });
  for (const [id, c] of raw.containers) {
    prev.set(id, { timeNs: c.stats.timeNs, cpuNs: c.stats.cpuNs });
    seen.add(id);
  }
  for (const id of prev.keys()) if (!seen.has(id)) prev.delete(id);
}

/** Cores × 1e9 between two samples; undefined without a usable earlier one. */
export function nanoCores(before: Sample | undefined, now: Sample): number | undefined {
  if (!before || now.timeNs <= before.timeNs || now.cpuNs < before.cpuNs) return undefined;
  return Math.round(((now.cpuNs - before.cpuNs) / (now.timeNs - before.timeNs)) * 1e9);
}

function cpu(timeNs: number, cpuNs: number, rate: number | undefined): CpuStats {
  return { time: new Date(timeNs / 1e6).toISOString(), usageCoreNanoSeconds: Math.round(cpuNs), ...(rate !== undefined ? { usageNanoCores: rate } : {}) };
}

function build(nodeName: string, raw: Raw, prev: Map<string, Sample>): Summary {
  const pods = new Map<string, PodSummary>();
  const time = new Date(raw.node.timeNs / 1e6).toISOString();
  for (const [id, c] of raw.containers) {
    const key = c.pod.uid;
    let p = pods.get(key);
    if (!p) {
      p = { podRef: c.pod, containers: [], cpu: { time, usageCoreNanoSeconds: 0, usageNanoCores: 0 }, memory: { time, workingSetBytes: 0 } };
      pods.set(key, p);
    }
    const rate = nanoCores(prev.get(id), c.stats);
    const container: ContainerSummary = {
      name: c.name,
      cpu: cpu(c.stats.timeNs, c.stats.cpuNs, rate),
      memory: { time: new Date(c.stats.timeNs / 1e6).toISOString(), workingSetBytes: c.stats.memory, usageBytes: c.stats.memory },
    };
    p.containers.push(container);
    p.cpu.usageCoreNanoSeconds += container.cpu.usageCoreNanoSeconds;
    p.cpu.usageNanoCores = (p.cpu.usageNanoCores ?? 0) + (rate ?? 0);
    p.memory.workingSetBytes += c.stats.memory;
  }
  const n = raw.node;
  return {
    node: {
      nodeName,
      cpu: cpu(n.timeNs, n.cpuNs, nanoCores(prev.get('node'), n)),
      memory: { time, workingSetBytes: n.memory.workingSetBytes, usageBytes: n.memory.usageBytes, availableBytes: n.memory.availableBytes },
    },
    pods: [...pods.values()],
  };
}
