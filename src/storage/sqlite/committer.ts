// Commits batches of log rows, one batch at a time: the caller acknowledges a
// batch only once `commit` resolves, i.e. after SQLite committed it (with
// fsync under synchronous=FULL).
//
// A commit holds its thread for the fsync (about 0.2–5 ms here). While writes
// are few that is cheap, so commits run on the event loop; once they hold it
// for a twentieth of two seconds in a row, a worker thread with its own
// connection takes over, so the API server keeps serving while the disk
// syncs. The thread costs ~10 MB, which an idle cluster is spared. (Under
// bench/sim's 2,000 writes/s commits held the loop ~14%; handing them over
// then made its pod phase about 5% shorter, over 5 interleaved rounds.)

import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { insertSql, type LogInsert } from './schema.ts';
import type { CommitReply, CommitWorkerData } from './commit-worker.ts';

/** 'auto' (default) moves commits to a thread under load; 'thread' and 'event-loop' pin one place (tests, benchmarks). */
export type CommitPlace = 'auto' | 'thread' | 'event-loop';

type Waiter = { resolve: () => void; reject: (err: Error) => void };

const windowMs = 1000;
const busyShare = 0.05;

export class Committer {
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private readonly path: string;
  private readonly synchronous: 'FULL' | 'NORMAL';
  private readonly place: CommitPlace;
  private thread: CommitThread | undefined;
  private windowStart: number;
  private busyMs = 0;
  private busyWindows = 0;

  private readonly now: () => number;

  constructor(db: DatabaseSync, path: string, synchronous: 'FULL' | 'NORMAL', place: CommitPlace = 'auto', now = () => performance.now()) {
    this.db = db;
    this.now = now;
    this.windowStart = now();
    this.insert = db.prepare(insertSql);
    this.path = path;
    this.synchronous = synchronous;
    this.place = place;
    if (place === 'thread') this.thread = new CommitThread(path, synchronous);
  }

  /** Whether commits run on the worker thread now. */
  get onThread(): boolean {
    return this.thread !== undefined;
  }

  /** Commits `rows` in one transaction; one call at a time. */
  commit(rows: LogInsert[]): Promise<void> {
    if (this.thread) return this.thread.commit(rows);
    const t0 = this.now();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const row of rows) this.insert.run(...row);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.account(t0, this.now());
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.thread?.close();
  }

  /** Counts the event loop's time spent committing; past the share in two windows running, hands over to the thread. */
  private account(start: number, end: number): void {
    this.busyMs += end - start;
    if (end - this.windowStart < windowMs) return;
    const loaded = this.busyMs / (end - this.windowStart) >= busyShare;
    this.busyWindows = loaded ? this.busyWindows + 1 : 0;
    this.windowStart = end;
    this.busyMs = 0;
    if (this.place === 'auto' && this.busyWindows >= 2) this.thread = new CommitThread(this.path, this.synchronous);
  }
}

/** The worker thread (commit-worker.ts) and the one batch it may have in flight. */
class CommitThread {
  private readonly worker: Worker;
  private waiter: Waiter | undefined;
  private failed: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(path: string, synchronous: 'FULL' | 'NORMAL') {
    const workerData: CommitWorkerData = { path, synchronous };
    this.worker = new Worker(new URL('./commit-worker.ts', import.meta.url), { workerData });
    // Only a commit in flight keeps the process alive, as a synchronous write would.
    this.worker.unref();
    this.worker.on('message', (reply: CommitReply) => this.settle(reply === 'ok' ? undefined : new Error(reply.error)));
    this.worker.on('error', (err) => {
      this.failed = err;
      this.settle(err);
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.exited.then(() => {
      this.failed ??= new Error('the sqlite commit thread exited');
      this.settle(this.failed);
    });
  }

  commit(rows: LogInsert[]): Promise<void> {
    if (this.waiter) return Promise.reject(new Error('a commit is already in flight'));
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(rows);
    });
  }

  /** Closes the worker's connection; call when no commit is in flight. */
  async close(): Promise<void> {
    this.worker.ref();
    if (!this.failed) this.worker.postMessage('close');
    await this.exited;
  }

  private settle(err: Error | undefined): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    this.worker.unref();
    if (err) w.reject(err);
    else w.resolve();
  }
}
