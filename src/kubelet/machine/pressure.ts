// Eviction-style pressure signals from the real machine, turned into the
// MemoryPressure / DiskPressure / PIDPressure node conditions.

import { readFileSync } from 'node:fs';
import { filesystemBytes, meminfoBytes } from './machine-info.ts';

export type PressureSample = {
  memoryAvailableBytes: number;
  diskAvailableBytes: number;
  diskTotalBytes: number;
  pidsInUse: number;
  pidMax: number;
};

export type PressureThresholds = { memoryAvailableBytes: number; diskAvailableRatio: number; pidsInUseRatio: number };

/** Hard thresholds like the kubelet's defaults: memory.available<100Mi, nodefs.available<10%, and pids over 90% of pid_max. */
export const defaultThresholds: PressureThresholds = { memoryAvailableBytes: 100 * 1024 * 1024, diskAvailableRatio: 0.1, pidsInUseRatio: 0.9 };

export type Pressure = { memory: boolean; disk: boolean; pid: boolean };

export function pressureFrom(s: PressureSample, t: PressureThresholds = defaultThresholds): Pressure {
  return {
    memory: s.memoryAvailableBytes < t.memoryAvailableBytes,
    disk: s.diskTotalBytes > 0 && s.diskAvailableBytes / s.diskTotalBytes < t.diskAvailableRatio,
    pid: s.pidMax > 0 && s.pidsInUse / s.pidMax > t.pidsInUseRatio,
  };
}

/** Threads in use: the second number of /proc/loadavg's `running/total` field. */
export function pidsFromLoadavg(text: string): number {
  const m = /\s\d+\/(\d+)\s/.exec(text);
  return m ? Number(m[1]) : 0;
}

export function samplePressure(dataDir: string): PressureSample {
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };
  const meminfo = read('/proc/meminfo');
  const fs = filesystemBytes(dataDir);
  return {
    memoryAvailableBytes: meminfoBytes(meminfo, 'MemAvailable') ?? meminfoBytes(meminfo, 'MemFree') ?? Number.MAX_SAFE_INTEGER,
    diskAvailableBytes: fs.available,
    diskTotalBytes: fs.total,
    pidsInUse: pidsFromLoadavg(read('/proc/loadavg')),
    pidMax: Number(read('/proc/sys/kernel/pid_max').trim()) || 0,
  };
}
