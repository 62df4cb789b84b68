// Node-level CPU and memory from /proc, as the Summary API's node section needs them.

import { readFile } from 'node:fs/promises';

/** USER_HZ: /proc/stat counts in these ticks on every Linux we run on. */
const ticksPerSecond = 100;

/** Cumulative busy CPU time of all cores in nanoseconds (user+nice+system+irq+softirq+steal). */
export function parseProcStat(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate "cpu" line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return ((user + nice + system + irq + softirq + steal) * 1e9) / ticksPerSecond;
}

export type NodeMemory = { workingSetBytes: number; usageBytes: number; availableBytes: number };

export function parseMeminfo(text: string): NodeMemory {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal') ?? 0;
  const free = kb('MemFree') ?? 0;
  const available = kb('MemAvailable') ?? free + (kb('Cached') ?? 0);
  return { workingSetBytes: Math.max(0, total - available), usageBytes: Math.max(0, total - free), availableBytes: available };
}

export async function readNodeCpu(procRoot = '/proc'): Promise<number> {
  return parseProcStat(await readFile(`${procRoot}/stat`, 'utf8'));
}

export async function readNodeMemory(procRoot = '/proc'): Promise<NodeMemory> {
  return parseMeminfo(await readFile(`${procRoot}/meminfo`, 'utf8'));
}
