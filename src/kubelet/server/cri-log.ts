// Reading container logs in the CRI file format
// (`2026-11-25T03:06:29.833517812Z stdout F text`, P = partial line, joined
// with the next ones): tail, since, timestamps, byte limit and follow.

import { open, stat, type FileHandle } from 'node:fs/promises';

export type CriLogEntry = { time: string; stream: 'stdout' | 'stderr'; partial: boolean; content: string };

export type LogOptions = {
  follow?: boolean;
  /** Only the last N lines (before following). */
  tailLines?: number;
  /** Milliseconds since the epoch: only lines at or after it. */
  sinceMs?: number;
  /** Prefix each line with its RFC3339Nano time. */
  timestamps?: boolean;
  limitBytes?: number;
  /** Only this stream (kubelet's `stream` parameter); both when absent. */
  stream?: 'stdout' | 'stderr';
};

export type FollowControl = {
  /** Still producing output? Following ends when this is false and the file is drained. */
  running(): Promise<boolean>;
  signal?: AbortSignal;
  /** Waits between polls of a quiet file. */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
};

/** Parses one line (without its newline); undefined for a line not in CRI format. */
export function parseCriLogLine(line: string): CriLogEntry | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  // Tags are ':'-separated flags; the first is P (partial) or F (full).
  const partial = tag.split(':')[0] === 'P';
  return { time: line.slice(0, a), stream, partial, content: c < 0 ? '' : line.slice(c + 1) };
}

/** Milliseconds since the epoch of an RFC3339(Nano) time; NaN when unreadable. */
export function criTimeMs(time: string): number {
  return Date.parse(time);
}

/**
 * Turns CRI entries into output lines: partial entries are joined with what
 * follows them, a line carries the time of its first fragment.
 */
export class LineAssembler {
  private pending = new Map<string, { time: string; parts: string[] }>();

  push(e: CriLogEntry): { time: string; stream: 'stdout' | 'stderr'; text: string } | undefined {
    const p = this.pending.get(e.stream);
    if (e.partial) {
      if (p) p.parts.push(e.content);
      else this.pending.set(e.stream, { time: e.time, parts: [e.content] });
      return undefined;
    }
    this.pending.delete(e.stream);
    if (!p) return { time: e.time, stream: e.stream, text: e.content + '\n' };
    return { time: p.time, stream: e.stream, text: p.parts.join('') + e.content + '\n' };
  }

  /** What is left unterminated at the end (a container that died mid-line). */
  flush(): { time: string; stream: 'stdout' | 'stderr'; text: string }[] {
    const out = [...this.pending.entries()].map(([stream, p]) => ({ time: p.time, stream: stream as 'stdout' | 'stderr', text: p.parts.join('') }));
    this.pending.clear();
    return out;
  }
}

type Sink = (chunk: string) => Promise<void> | void;

/**
 * Writes the log at `path` to `sink` as the kubelet serves it. Resolves when
 * done: at the end of the file, or with `follow` once `running()` says the
 * container is gone and the file is drained (or the signal aborts).
 */
export async function writeCriLog(path: string, opts: LogOptions, sink: Sink, control?: FollowControl): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !opts.follow) return;
    throw e;
  }
  try {
    const out = new LimitedWriter(sink, opts);
    const assembler = new LineAssembler();
    let position = opts.tailLines !== undefined ? await tailStart(fh, opts.tailLines, opts.stream) : 0;
    let carry = '';
    const consume = async (text: string): Promise<boolean> => {
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        const e = parseCriLogLine(line);
        if (!e) continue;
        if (opts.stream && e.stream !== opts.stream) continue;
        const done = assembler.push(e);
        if (done && !(await out.line(done.time, done.text))) return false;
      }
      return true;
    };
    const buf = Buffer.alloc(64 * 1024);
    const decoder = new TextDecoder('utf-8');
    let drainedOnce = false;
    let drainedOld = false;
    for (;;) {
      if (control?.signal?.aborted) return;
      const { bytesRead } = await fh.read(buf, 0, buf.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        if (!(await consume(decoder.decode(buf.subarray(0, bytesRead), { stream: true })))) return;
        continue;
      }
      if (!opts.follow || !control) break;
      // Rotated (the kubelet renamed this file and the runtime opened a new one under the name).
      // Lines may have reached this file after the read that found its end: read it to its end
      // once more, then go on with the new one from its start.
      if (await replaced(fh, path)) {
        if (!drainedOld) {
          drainedOld = true;
          continue;
        }
        const next = await open(path, 'r').catch(() => undefined);
        if (next) {
          await fh.close();
          fh = next;
          position = 0;
          drainedOld = false;
          continue;
        }
      }
      // At the end: stop once the container is gone and one more read found nothing.
      if (drainedOnce) break;
      if (!(await control.running())) {
        drainedOnce = true;
        continue;
      }
      await (control.sleep ?? delay)(control.pollMs ?? 100);
    }
    for (const rest of assembler.flush()) if (!(await out.line(rest.time, rest.text))) return;
  } finally {
    await fh.close();
  }
}

/** Whether `path` now names another file than the one `fh` reads. */
async function replaced(fh: FileHandle, path: string): Promise<boolean> {
  const [open, named] = await Promise.all([fh.stat(), stat(path).catch(() => undefined)]);
  return named !== undefined && (named.ino !== open.ino || named.dev !== open.dev);
}

/** Applies since, timestamps and limitBytes on the way out. */
class LimitedWriter {
  private written = 0;
  private readonly sink: Sink;
  private readonly opts: LogOptions;
  constructor(sink: Sink, opts: LogOptions) {
    this.sink = sink;
    this.opts = opts;
  }

  /** False once the byte limit is reached: stop reading. */
  async line(time: string, text: string): Promise<boolean> {
    if (this.opts.sinceMs !== undefined && !(criTimeMs(time) >= this.opts.sinceMs)) return true;
    let chunk = this.opts.timestamps ? `${time} ${text}` : text;
    const limit = this.opts.limitBytes;
    if (limit !== undefined) {
      const bytes = Buffer.from(chunk);
      if (this.written + bytes.length >= limit) {
        const rest = bytes.subarray(0, limit - this.written);
        this.written = limit;
        if (rest.length > 0) await this.sink(rest.toString('utf8'));
        return false;
      }
      this.written += bytes.length;
    }
    await this.sink(chunk);
    return true;
  }
}

/** The offset from which the file holds the last `n` full lines (of `stream`), found by reading backwards. */
async function tailStart(fh: FileHandle, n: number, stream: 'stdout' | 'stderr' | undefined): Promise<number> {
  const size = (await fh.stat()).size;
  if (n <= 0) return size;
  const block = 64 * 1024;
  let start = size;
  let data = Buffer.alloc(0);
  while (start > 0) {
    const from = Math.max(0, start - block);
    const chunk = Buffer.alloc(start - from);
    await fh.read(chunk, 0, chunk.length, from);
    data = Buffer.concat([chunk, data]);
    start = from;
    // Lines ending in a newline, newest first; the first one read is only whole at the file's start.
    let full = 0;
    let end = data.lastIndexOf(10);
    while (end >= 0) {
      const prev = end === 0 ? -1 : data.lastIndexOf(10, end - 1);
      if (prev < 0 && start > 0) break;
      const e = parseCriLogLine(data.subarray(prev + 1, end).toString('utf8'));
      if (e && !e.partial && (!stream || e.stream === stream)) {
        full++;
        if (full === n + 1) return start + end + 1;
      }
      end = prev;
    }
  }
  return 0;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
