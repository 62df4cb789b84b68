// Container log rotation, as the kubelet does it for CRI runtimes: the
// runtime writes each container's log to one file and knows nothing of its
// size, so every 10 s the kubelet looks at the logs of running containers;
// one that reached containerLogMaxSize (10Mi) is renamed to
// <log>.<YYYYMMDD-HHMMSS> and the runtime is asked to reopen it
// (ReopenContainerLog), which starts a fresh file under the old name. At
// most containerLogMaxFiles (5) files per container are kept, the current
// one included: the oldest rotated ones go first, and all rotated ones but
// the newest are gzip-compressed (<log>.<timestamp>.gz). `kubectl logs` reads
// the current file (following across a rotation, see server/cri-log.ts).
// The logs of a container the kubelet removes go with it.

import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import type { Clock, Timer } from '../machinery/clock.ts';
import type { RuntimeService } from './runtime/runtime.ts';

export const defaultContainerLogMaxBytes = 10 * 1024 * 1024;
export const defaultContainerLogMaxFiles = 5;
const checkPeriodMs = 10_000;

export type ContainerLogOptions = {
  /** Rotate a log once it holds this many bytes (containerLogMaxSize). */
  maxBytes?: number;
  /** Files kept per container, the current one included; at least 2 (containerLogMaxFiles). */
  maxFiles?: number;
  periodMs?: number;
};

export class ContainerLogManager {
  private readonly runtime: RuntimeService;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  readonly maxBytes: number;
  readonly maxFiles: number;
  private readonly periodMs: number;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(runtime: RuntimeService, clock: Clock, log: (line: string) => void, opts: ContainerLogOptions = {}) {
    this.runtime = runtime;
    this.clock = clock;
    this.log = log;
    this.maxBytes = opts.maxBytes ?? defaultContainerLogMaxBytes;
    this.maxFiles = opts.maxFiles ?? defaultContainerLogMaxFiles;
    this.periodMs = opts.periodMs ?? checkPeriodMs;
    if (!(this.maxBytes > 0)) throw new Error(`container log max size must be positive, got ${this.maxBytes}`);
    if (!Number.isInteger(this.maxFiles) || this.maxFiles < 2) throw new Error(`container log max files must be an integer of at least 2, got ${this.maxFiles}`);
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.rotateAll().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = this.clock.setTimeout(tick, this.periodMs);
      });
    };
    this.timer = this.clock.setTimeout(tick, this.periodMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  /** One pass over the running containers: rotates every log that is full. */
  async rotateAll(): Promise<void> {
    let containers;
    try {
      containers = await this.runtime.listContainers({ state: 'CONTAINER_RUNNING' });
    } catch (e) {
      this.log(`container logs: listing containers failed: ${(e as Error).message}`);
      return;
    }
    for (const c of containers) {
      if (this.stopped) return;
      try {
        const { logPath } = await this.runtime.containerStatus(c.id);
        if (logPath && (await sizeOf(logPath)) >= this.maxBytes) await this.rotate(c.id, logPath);
      } catch (e) {
        this.log(`container logs: rotating the log of container ${c.id.slice(0, 13)} failed: ${(e as Error).message}`);
      }
    }
  }

  /** Makes room for one more rotated file, renames the log and has the runtime reopen it; renames back if it cannot. */
  async rotate(containerId: string, logPath: string): Promise<void> {
    const old = await listRotated(logPath);
    const drop = Math.max(0, old.length - (this.maxFiles - 2));
    for (const f of old.slice(0, drop)) await rm(f.path, { force: true });
    const kept = old.slice(drop);
    // The one about to become second newest is compressed (the older ones already are).
    for (const f of kept) if (!f.path.endsWith('.gz')) await compress(f.path);
    // A second rotation within one second gets the next -N: it must sort after every file kept,
    // also when the first of that second (no -N) was just removed.
    const time = timestamp(this.clock.now());
    const same = kept.filter((f) => f.time === time).map((f) => f.n);
    const target = same.length > 0 ? `${logPath}.${time}-${Math.max(...same) + 1}` : `${logPath}.${time}`;
    await rename(logPath, target);
    try {
      await this.runtime.reopenContainerLog(containerId);
    } catch (e) {
      // Still writing to the renamed file: give it its name back so reads find it.
      await rename(target, logPath).catch(() => undefined);
      throw e;
    }
  }
}

/** A removed container's log and its rotated files. */
export async function removeContainerLogs(logPath: string | undefined): Promise<void> {
  if (!logPath) return;
  for (const f of [logPath, ...(await rotatedLogs(logPath))]) await rm(f, { force: true });
}

/** What follows `<log>.` in a rotated file's name: the time, the -N of a second rotation within that second, .gz once compressed. */
const rotationSuffix = /^(\d{8}-\d{6})(?:-(\d+))?(?:\.gz)?$/;

/** `<log>.<timestamp>[-N][.gz]` files beside the log, oldest first. */
export async function rotatedLogs(logPath: string): Promise<string[]> {
  return (await listRotated(logPath)).map((f) => f.path);
}

type Rotated = { path: string; time: string; n: number };

/** The rotated files with their time and -N, oldest first (the timestamps sort as text, then by N). */
async function listRotated(logPath: string): Promise<Rotated[]> {
  const prefix = `${basename(logPath)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(logPath));
  } catch {
    return [];
  }
  const found: Rotated[] = [];
  for (const name of names) {
    const m = name.startsWith(prefix) ? rotationSuffix.exec(name.slice(prefix.length)) : null;
    if (m) found.push({ path: join(dirname(logPath), name), time: m[1]!, n: Number(m[2] ?? 0) });
  }
  return found.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.n - b.n));
}

/** `f` → `f.gz`, written beside it first so that a crash leaves one whole file or the other. */
async function compress(f: string): Promise<void> {
  const tmp = `${f}.gz.tmp`;
  await pipeline(createReadStream(f), createGzip(), createWriteStream(tmp));
  await rename(tmp, `${f}.gz`);
  await rm(f, { force: true });
}

/** Bytes in the file; -1 when there is none. */
async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}

/** The kubelet's rotation suffix: UTC YYYYMMDD-HHMMSS. */
function timestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}
