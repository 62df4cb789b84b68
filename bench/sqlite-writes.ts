// The SQLite revision log's write path, old layout against new, in one run:
// the same batches (5–30 writes: pod creates, pod updates of ~2.5 KB, lease
// renewals) committed with synchronous=FULL by
//   old-inline  the earlier layout (old_value written, unique (key, prev_revision) index), committed on the main thread
//   new-inline  the current layout, committed on the main thread
//   new-worker  the current layout, committed by the worker thread (committer.ts), as SqliteStorage does under load
// Printed per write: process CPU µs (all threads), main-thread CPU µs, main-thread
// wall µs (time the event loop is held) and writes/s; medians of interleaved rounds.
// Usage: node bench/sqlite-writes.ts [--rounds 5] [--batches 400]

import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSchema, insertSql, type LogInsert } from '../src/storage/sqlite/schema.ts';
import { Committer } from '../src/storage/sqlite/committer.ts';
import { parseArgs, numberFlag } from '../src/cli/args.ts';

const args = parseArgs(process.argv.slice(2), []);
const rounds = numberFlag(args, 'rounds', 5);
const batchesPerRound = numberFlag(args, 'batches', 400);
const NODES = 2000;
const pod = JSON.stringify({ kind: 'Pod', metadata: { name: 'p', managedFields: 'f'.repeat(2300) }, status: {} });
const lease = JSON.stringify({ kind: 'Lease', spec: { holderIdentity: 'h'.repeat(400) } });

const oldDdl = `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
CREATE TABLE log (revision INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL, old_value TEXT);
CREATE UNIQUE INDEX log_key_prev ON log (key, prev_revision);
CREATE INDEX log_key_revision_deleted ON log (key, revision, deleted);`;
const oldInsert = `INSERT INTO log (revision, key, created, deleted, create_revision, prev_revision, value, old_value)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

type Mode = { name: string; commit(rows: LogInsert[], oldValues: (string | null)[]): Promise<void> | void; close(): Promise<void> | void };

function inlineMode(name: string, path: string, oldLayout: boolean): Mode {
  const db = new DatabaseSync(path);
  if (oldLayout) db.exec(oldDdl);
  else createSchema(db, 'FULL');
  const insert = db.prepare(oldLayout ? oldInsert : insertSql);
  return {
    name,
    commit(rows, oldValues) {
      db.exec('BEGIN IMMEDIATE');
      rows.forEach((r, i) => (oldLayout ? insert.run(...r, oldValues[i] ?? null) : insert.run(...r)));
      db.exec('COMMIT');
    },
    close: () => db.close(),
  };
}

function workerMode(name: string, path: string): Mode {
  const db = new DatabaseSync(path);
  createSchema(db, 'FULL');
  const committer = new Committer(db, path, 'FULL', 'thread');
  return { name, commit: (rows) => committer.commit(rows), close: async () => (await committer.close(), db.close()) };
}

/** One writer's key space: the latest revision and value per key, as the storage remembers them. */
class Workload {
  private rev = 0;
  private pods = 0;
  private rnd = 7;
  private readonly latest = new Map<string, { rev: number; created: number; value: string }>();
  batch(n: number): { rows: LogInsert[]; oldValues: (string | null)[] } {
    const rows: LogInsert[] = [];
    const oldValues: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.pods < 50 ? 0 : i % 3;
      const p = k === 0 ? this.pods++ : this.next(this.pods);
      const key = k === 2 ? `/registry/leases/kube-node-lease/node-${this.next(NODES)}` : `/registry/pods/ns-${p % 10}/pod-${p}`;
      const value = (k === 2 ? lease : pod) + ++this.rev;
      const l = this.latest.get(key);
      rows.push([this.rev, key, l ? 0 : 1, 0, l?.created ?? this.rev, l?.rev ?? 0, value]);
      oldValues.push(l?.value ?? null);
      this.latest.set(key, { rev: this.rev, created: l?.created ?? this.rev, value });
    }
    return { rows, oldValues };
  }
  private next(n: number): number {
    this.rnd = (this.rnd * 1103515245 + 12345) & 0x7fffffff;
    return this.rnd % Math.max(n, 1);
  }
}

type Figure = { cpu: number; mainCpu: number; mainWall: number; perSec: number };

async function round(mode: Mode, work: Workload): Promise<Figure> {
  const cpu0 = process.cpuUsage();
  const main0 = process.threadCpuUsage();
  let writes = 0;
  let held = 0;
  const start = performance.now();
  for (let b = 0; b < batchesPerRound; b++) {
    const t0 = performance.now();
    const { rows, oldValues } = work.batch(5 + (b % 26));
    const done = mode.commit(rows, oldValues);
    held += performance.now() - t0;
    await done;
    writes += rows.length;
  }
  const secs = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main = process.threadCpuUsage(main0);
  return { cpu: (cpu.user + cpu.system) / writes, mainCpu: (main.user + main.system) / writes, mainWall: (held * 1000) / writes, perSec: writes / secs };
}

const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-sqlite-'));
try {
  const modes = [
    inlineMode('old-inline', join(dir, 'old.db'), true),
    inlineMode('new-inline', join(dir, 'new-inline.db'), false),
    workerMode('new-worker', join(dir, 'new-worker.db')),
  ];
  const works = modes.map(() => new Workload());
  const figures: Figure[][] = modes.map(() => []);
  // Warm-up: leases for every node, and a first round not counted.
  for (const [i, m] of modes.entries()) {
    for (let n = 0; n < NODES; n += 100) await m.commit(works[i]!.batch(100).rows, []);
    await round(m, works[i]!);
  }
  for (let r = 0; r < rounds; r++) for (const [i, m] of modes.entries()) figures[i]!.push(await round(m, works[i]!));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pick = (i: number, f: keyof Figure) => median(figures[i]!.map((x) => x[f]));
  console.log(`bench/sqlite-writes: ${rounds} rounds × ${batchesPerRound} batches of 5–30 writes, synchronous=FULL, medians`);
  console.log(`${'mode'.padEnd(12)} ${'CPU µs/write'.padStart(13)} ${'main CPU µs'.padStart(12)} ${'main held µs'.padStart(13)} ${'writes/s'.padStart(9)}`);
  for (const [i, m] of modes.entries()) {
    const row = [pick(i, 'cpu'), pick(i, 'mainCpu'), pick(i, 'mainWall')].map((x) => x.toFixed(1).padStart(12));
    console.log(`${m.name.padEnd(12)} ${row[0]} ${row[1]} ${row[2]}  ${pick(i, 'perSec').toFixed(0).padStart(9)}`);
  }
  const ratio = (a: number, b: number, f: keyof Figure) => (pick(b, f) / pick(a, f)).toFixed(2);
  console.log(`new-inline / old-inline CPU per write: ${ratio(0, 1, 'cpu')}; new-worker / old-inline main-thread time held per write: ${ratio(0, 2, 'mainWall')}`);
  for (const m of modes) await m.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
