// Storage backends side by side in one run: writes/s and reads/s with 1 and
// with 64 concurrent clients, and p99 latency, for the embedded SQLite store,
// the etcd backend, and the raw etcd client doing the same puts and gets (the
// reference for our layer's cost). Both stores write to the same disk with
// fsync on every commit. Goal: the etcd backend keeps ≥ 85% of the raw
// client's throughput (our layer costs ≤ 15%).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite.ts';
import { openEtcdStorage } from '../src/storage/etcd/etcd.ts';
import type { Storage } from '../src/storage/interface.ts';
import type { EtcdClient } from '../src/storage/etcd/etcd-client.ts';
import { etcdMissing, startEtcd } from '../src/storage/etcd/testing/etcd-process.ts';

const PHASE_MS = Number(process.env['BENCH_PHASE_MS'] ?? 2000);
const SLICE_MS = 250;
const VALUE = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'bench', namespace: 'default', labels: { app: 'bench' }, uid: '6f1c3f38-2a7e-4c4c-9a53-3d1c2b1a0f00' },
  spec: { containers: [{ name: 'web', image: 'busybox:1.36', command: ['httpd', '-f', '-p', '8080'], resources: { requests: { cpu: '10m' } } }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
}).padEnd(1024, ' ');

type Ops = { write(key: string): Promise<unknown>; read(key: string): Promise<unknown> };
/** `cpuPerOp`: this process's CPU time per operation (µs), our layer's own cost, unlike throughput immune to a busy machine. */
type Figure = { opsPerSec: number; p99: number; errors: number; cpuPerOp: number };

type Sample = { ops: number; secs: number; lat: number[]; errors: number; cpuUs: number };

/** Runs `op` from `clients` concurrent loops for `ms`. */
async function measure(clients: number, ms: number, op: (i: number) => Promise<unknown>): Promise<Sample> {
  const lat: number[] = [];
  let next = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const until = start + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const i = next++;
        const t0 = performance.now();
        try {
          await op(i);
        } catch {
          errors++;
        }
        lat.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { ops: lat.length, secs: (performance.now() - start) / 1000, lat, errors, cpuUs: cpu.user + cpu.system };
}

function figure(samples: Sample[]): Figure {
  const lat = samples.flatMap((x) => x.lat).sort((a, b) => a - b);
  const secs = samples.reduce((n, x) => n + x.secs, 0);
  return {
    opsPerSec: lat.length / secs,
    p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] ?? 0,
    errors: samples.reduce((n, x) => n + x.errors, 0),
    cpuPerOp: samples.reduce((n, x) => n + x.cpuUs, 0) / Math.max(1, lat.length),
  };
}

type Phase = { phase: 'write' | 'read'; clients: number };
const PHASES: Phase[] = [
  { phase: 'write', clients: 1 },
  { phase: 'write', clients: 64 },
  { phase: 'read', clients: 1 },
  { phase: 'read', clients: 64 },
];

/** One backend's keys: writes make new ones, reads pick among those written. */
class Subject {
  private written = 0;
  readonly name: string;
  private readonly ops: Ops;
  constructor(name: string, ops: Ops) {
    this.name = name;
    this.ops = ops;
  }
  run(p: Phase, ms: number): Promise<Sample> {
    const key = (i: number) => `/registry/pods/default/${this.name}-${i}`;
    if (p.phase === 'write') return measure(p.clients, ms, () => this.ops.write(key(this.written++)));
    const n = Math.max(1, this.written);
    return measure(p.clients, ms, (i) => this.ops.read(key((i * 7919) % n)));
  }
}
function rawOps(client: EtcdClient): Ops {
  const value = Buffer.from(VALUE);
  return {
    write: (key) => client.put({ key: Buffer.from(key), value }),
    read: (key) => client.range({ key: Buffer.from(key) }),
  };
}

/** The raw client sending exactly the transaction the backend sends for a create. */
function rawTxnOps(client: EtcdClient): Ops {
  const value = Buffer.from(VALUE);
  return {
    write: (key) => {
      const k = Buffer.from(key);
      return client.txn({
        compare: [{ result: 'EQUAL', target: 'CREATE', key: k, create_revision: 0 }],
        success: [{ request_put: { key: k, value } }],
        failure: [{ request_range: { key: k } }],
      });
    },
    read: (key) => client.range({ key: Buffer.from(key) }),
  };
}

function storageOps(s: Storage): Ops {
  return { write: (key) => s.create(key, VALUE), read: (key) => s.get(key) };
}

async function main(): Promise<void> {
  const missing = etcdMissing();
  if (missing) {
    console.log(`storage benchmark needs etcd: ${missing}`);
    return;
  }
  // The same disk for both stores (the test helper would use tmpfs).
  process.env['SKIFF_ETCD_TMP'] ??= tmpdir();
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-storage-'));
  const etcd = await startEtcd();
  const sqlite = openSqliteStorage(join(dir, 'state.db'), { compactInterval: 0 });
  const ours = await openEtcdStorage({ endpoints: etcd.endpoints, compactInterval: 0 });
  try {
    console.log(`storage benchmark: ${PHASE_MS} ms per phase, 1 KiB values, fsync on every commit, etcd ${etcd.endpoints[0]}`);
    const raw = new Subject('raw', rawOps(ours.client));
    const rawTxn = new Subject('rawtxn', rawTxnOps(ours.client));
    const skiff = new Subject('skiff', storageOps(ours));
    const lite = new Subject('sqlite', storageOps(sqlite));
    // Warm up the JIT and the connections. Then, per phase, ours and raw take
    // turns in short slices so that the machine's drift (other processes,
    // etcd's background commits) falls on both alike.
    for (const sub of [raw, rawTxn, skiff, raw, rawTxn, skiff]) await sub.run({ phase: 'write', clients: 16 }, 300);
    const fmt = (f: Figure) => `${f.opsPerSec.toFixed(0).padStart(6)}/s p99 ${f.p99.toFixed(1).padStart(5)} ms${f.errors ? ` (${f.errors} err)` : ''}`;
    console.log(
      `${'phase'.padEnd(11)}${'sqlite'.padEnd(26)}${'skiff etcd backend'.padEnd(26)}${'raw client, same rpc'.padEnd(26)}${'raw client, plain put'.padEnd(26)}sqlite/etcd  ours/raw-same (goal ≥ 0.85)  ours/raw-put`,
    );
    let worst = Infinity;
    const cpuLines: string[] = [];
    const slices = Math.max(1, Math.round(PHASE_MS / SLICE_MS));
    for (const p of PHASES) {
      const mine: Sample[] = [];
      const same: Sample[] = [];
      const put: Sample[] = [];
      for (let i = 0; i < slices; i++) {
        if (p.phase === 'write') {
          put.push(await raw.run(p, SLICE_MS));
          same.push(await rawTxn.run(p, SLICE_MS));
        } else {
          same.push(await raw.run(p, SLICE_MS));
        }
        mine.push(await skiff.run(p, SLICE_MS));
      }
      const s = figure([await lite.run(p, PHASE_MS)]);
      const e = figure(mine);
      const r = figure(same);
      const rp = p.phase === 'write' ? figure(put) : r;
      const ratio = e.opsPerSec / r.opsPerSec;
      worst = Math.min(worst, ratio);
      const label = `${p.phase} ×${p.clients}`;
      cpuLines.push(`${label.padEnd(11)} ours ${e.cpuPerOp.toFixed(0)} µs, raw same rpc ${r.cpuPerOp.toFixed(0)} µs (+${(e.cpuPerOp - r.cpuPerOp).toFixed(0)} µs)`);
      console.log(
        `${label.padEnd(11)}${fmt(s).padEnd(26)}${fmt(e).padEnd(26)}${fmt(r).padEnd(26)}${(p.phase === 'write' ? fmt(rp) : '  (same: a range)').padEnd(26)}${(s.opsPerSec / e.opsPerSec).toFixed(2).padStart(11)}  ${ratio.toFixed(2).padStart(8)} ${ratio >= 0.85 ? 'ok    ' : 'MISSED'}            ${(e.opsPerSec / rp.opsPerSec).toFixed(2).padStart(8)}`,
      );
    }
    console.log(`client CPU per operation (this process; the part our layer adds does not depend on machine load):\n  ${cpuLines.join('\n  ')}`);
    console.log(`our layer's overhead over the raw etcd client: at most ${((1 - worst) * 100).toFixed(0)}% (goal ≤ 15%)`);
    console.log('(a create is one transaction: compare create_revision = 0, put; "same rpc" sends that transaction from the raw client, "plain put" an unconditional put)');
  } finally {
    await ours.close();
    await sqlite.close();
    await etcd.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
