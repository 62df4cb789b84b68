// Compaction of the revision log: drops rows superseded at the compact
// revision and deletion markers below it, in small transactions so writes keep
// flowing. The periodic policy keeps both the last `compactWindow` revisions
// and the last `compactMinAge` ms of history.

import type { DatabaseSync } from 'node:sqlite';
import type { Statements } from './schema.ts';

export type Clock = { now(): number };

export type CompactorOptions = {
  /** Period of the automatic compaction in ms; 0 turns it off. Default 60 s. */
  compactInterval?: number;
  /** Revisions of history always kept. Default 10,000. */
  compactWindow?: number;
  /** History younger than this (ms) is always kept. Default 5 minutes. */
  compactMinAge?: number;
  clock?: Clock;
};

const CHUNK = 2000;

export class Compactor {
  /** Oldest revision still listable; watches may start right after `compacted - 1`. */
  compacted: number;
  private done: number;
  private readonly db: DatabaseSync;
  private readonly st: Statements;
  private readonly currentRevision: () => number;
  private readonly window: number;
  private readonly minAge: number;
  private readonly clock: Clock;
  private readonly samples: { time: number; revision: number }[] = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(db: DatabaseSync, st: Statements, currentRevision: () => number, options: CompactorOptions) {
    this.db = db;
    this.st = st;
    this.currentRevision = currentRevision;
    this.window = options.compactWindow ?? 10_000;
    this.minAge = options.compactMinAge ?? 5 * 60_000;
    this.clock = options.clock ?? Date;
    const meta = (name: string) => Number(st.getMeta.get(name)?.['value'] ?? 0);
    this.compacted = meta('compact_revision');
    this.done = meta('compact_done');
    // A crash may have left a compaction half done: finish it.
    if (this.done < this.compacted) this.running = this.run(this.compacted).catch((err: unknown) => console.error('sqlite compaction failed', err));
    const interval = options.compactInterval ?? 60_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.tick(), interval);
      this.timer.unref();
    }
  }

  /** The revision counter as last saved, so it never goes back after a restart. */
  savedRevision(): number {
    return Number(this.st.getMeta.get('revision')?.['value'] ?? 0);
  }

  /** Applies the periodic policy once. */
  tick(): Promise<void> {
    const now = this.clock.now();
    const rev = this.currentRevision();
    this.samples.push({ time: now, revision: rev });
    let byAge = 0;
    while (this.samples.length > 0 && this.samples[0]!.time <= now - this.minAge) {
      byAge = this.samples.shift()!.revision;
    }
    // Keep the newest sample that is old enough so the next tick can still use it.
    if (byAge > 0) this.samples.unshift({ time: now - this.minAge, revision: byAge });
    const target = Math.min(rev - this.window, byAge);
    return target > this.compacted ? this.compact(target) : this.running;
  }

  compact(revision: number): Promise<void> {
    if (revision <= this.compacted || this.stopped) return this.running;
    this.compacted = revision;
    this.transaction(() => {
      this.st.setMeta.run('compact_revision', revision);
      this.st.setMeta.run('revision', this.currentRevision());
    });
    this.running = this.running.then(() => this.run(revision)).catch((err: unknown) => {
      // The next compaction resumes from the last finished chunk.
      console.error(`sqlite compaction to revision ${revision} failed`, err);
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => {});
  }

  private async run(target: number): Promise<void> {
    while (this.done < target && !this.stopped) {
      const lo = this.done;
      const hi = Math.min(lo + CHUNK, target);
      this.transaction(() => {
        this.st.compactSuperseded.run(lo, hi, target);
        this.st.compactDeleted.run(lo, hi, target);
        this.st.setMeta.run('compact_done', hi);
      });
      this.done = hi;
      await new Promise((r) => setImmediate(r));
    }
  }

  private transaction(fn: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
