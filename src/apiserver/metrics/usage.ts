// From kubelet summaries to metrics.k8s.io usage: CPU as a rate (the
// kubelet's usageNanoCores, or the change of usageCoreNanoSeconds since the
// last sample we saw), memory as the working set; in the quantity forms
// metrics-server uses (`123456n` CPU, `2048Ki` memory).

import type { CpuSample, MemorySample } from './kubelet-summary.ts';

type Prev = { cpuNs: number; timeMs: number };

export class CpuRates {
  private readonly prev = new Map<string, Prev>();

  /** Nano-cores for `key` (node name, or ns/pod/container). */
  rate(key: string, cpu: CpuSample | undefined, nowMs: number): number {
    if (!cpu) return 0;
    const timeMs = cpu.time ? Date.parse(cpu.time) || nowMs : nowMs;
    const total = cpu.usageCoreNanoSeconds;
    const before = this.prev.get(key);
    if (total !== undefined) {
      this.prev.set(key, { cpuNs: total, timeMs });
      if (this.prev.size > 100_000) this.prev.clear();
    }
    if (cpu.usageNanoCores !== undefined) return Math.max(0, Math.round(cpu.usageNanoCores));
    if (total === undefined || !before || timeMs <= before.timeMs || total < before.cpuNs) return 0;
    return Math.round(((total - before.cpuNs) / ((timeMs - before.timeMs) * 1e6)) * 1e9);
  }
}

export function cpuQuantity(nanoCores: number): string {
  return `${Math.max(0, Math.round(nanoCores))}n`;
}

export function memoryQuantity(mem: MemorySample | undefined): string {
  return `${Math.max(0, Math.round((mem?.workingSetBytes ?? 0) / 1024))}Ki`;
}
