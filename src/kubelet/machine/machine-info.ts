// What a real node reports about itself: capacity (cpu, memory, disk, pods)
// and nodeInfo (kernel, OS image, machine id), read from /proc, cgroups and
// the data dir's filesystem. Parsers are separate so tests feed them text.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, networkInterfaces, release } from 'node:os';
import { dirname, join } from 'node:path';

export type MachineInfo = {
  cpu: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
};

/** Bytes from /proc/meminfo's `Key:  N kB` line; undefined when absent. */
export function meminfoBytes(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** PRETTY_NAME of an os-release file, else a plain `Linux`. */
export function prettyName(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  if (!m) return 'Linux';
  return m[1]!.trim().replace(/^"(.*)"$/, '$1');
}

/** CPUs a cgroup v1 CFS quota allows (quota -1 = unlimited → undefined). */
export function cpusFromQuota(quotaUs: number, periodUs: number): number | undefined {
  if (!(quotaUs > 0) || !(periodUs > 0)) return undefined;
  return Math.max(1, Math.ceil(quotaUs / periodUs));
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readNumber(path: string): number | undefined {
  const t = readText(path)?.trim();
  if (t === undefined || t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function cpuCapacity(): number {
  const host = availableParallelism();
  const v1 = cpusFromQuota(readNumber('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') ?? -1, readNumber('/sys/fs/cgroup/cpu/cpu.cfs_period_us') ?? 0);
  // cgroup v2 keeps both numbers in one file: `max 100000` or `200000 100000`.
  const v2 = /^(\d+)\s+(\d+)/.exec(readText('/sys/fs/cgroup/cpu.max') ?? '');
  const q = v1 ?? (v2 ? cpusFromQuota(Number(v2[1]), Number(v2[2])) : undefined);
  return q !== undefined ? Math.min(host, q) : host;
}

export function memoryCapacity(): number {
  const total = meminfoBytes(readText('/proc/meminfo') ?? '', 'MemTotal') ?? 0;
  const limit = readNumber('/sys/fs/cgroup/memory/memory.limit_in_bytes') ?? readNumber('/sys/fs/cgroup/memory.max');
  return limit !== undefined && limit > 0 && limit < total ? limit : total;
}

/** Size and free space of the filesystem holding `path` (or its nearest existing parent). */
export function filesystemBytes(path: string): { total: number; available: number } {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  const s = statfsSync(p);
  return { total: s.blocks * s.bsize, available: s.bavail * s.bsize };
}

/** /etc/machine-id, else an id generated once and kept in the data dir. */
export function machineID(dataDir: string): string {
  const sys = readText('/etc/machine-id')?.trim();
  if (sys) return sys;
  const file = join(dataDir, 'machine-id');
  const kept = readText(file)?.trim();
  if (kept) return kept;
  const id = randomUUID().replaceAll('-', '');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}

export function readMachineInfo(dataDir: string): MachineInfo {
  const id = machineID(dataDir);
  return {
    cpu: cpuCapacity(),
    memoryBytes: memoryCapacity(),
    ephemeralStorageBytes: filesystemBytes(dataDir).total,
    kernelVersion: release(),
    osImage: prettyName(readText('/etc/os-release') ?? ''),
    machineID: id,
    bootID: readText('/proc/sys/kernel/random/boot_id')?.trim() || id,
  };
}

/** The node's InternalIP: the first non-internal IPv4 address (loopback as a last resort). */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Node names are DNS subdomains: lower-case the hostname. */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}
