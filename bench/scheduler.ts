// Scheduler throughput in the shape of kube-scheduler's scheduler_perf: 5,000 nodes
// created through the API (no kubelets), 1,000 pods already placed, then 10,000
// pending pods scheduled and bound through pods/binding on a real API server (a
// child process on SQLite, FULL sync), measured from scheduler start to all bound.
// Variants: basic, required topology spread (zones), required pod anti-affinity,
// each in its own namespace on the same nodes. Goals on a 2-core machine:
// 1,000 / 500 / 200 pods/s. Events are not written (the API writes measured are the binds).
//
//   node bench/scheduler.ts [basic|spread|anti ...]   (NODES, INIT, PODS, BINDS env to resize)

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/meta.ts';
import { resourceFor } from '../src/api/scheme.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { InformerFactory } from '../src/client/informer-factory.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { realClock } from '../src/machinery/clock.ts';
import { SchedulerCache } from '../src/scheduler/cache/cache.ts';
import { Snapshot } from '../src/scheduler/cache/snapshot.ts';
import { NodeFinder } from '../src/scheduler/find-nodes.ts';
import { Framework } from '../src/scheduler/framework/framework.ts';
import type { Handle } from '../src/scheduler/framework/interface.ts';
import { newPodInfo } from '../src/scheduler/framework/node-info.ts';
import { inTreePlugins } from '../src/scheduler/plugins/registry.ts';
import { startScheduler } from '../src/scheduler/scheduler.ts';
import { simpleRecorder } from '../src/scheduler/testing/event-recorder.ts';
import type { Node, Pod, PodSpec } from '../src/scheduler/types.ts';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite.ts';

const nodesInfo = resourceFor('', 'v1', 'nodes')!;
const podsInfo = resourceFor('', 'v1', 'pods')!;
const NODES = Number(process.env.NODES ?? 5000);
const INIT = Number(process.env.INIT ?? 1000);
const PODS = Number(process.env.PODS ?? 10000);
const ZONES = 10;
const GROUPS = 4;
const BINDS = Number(process.env.BINDS ?? 128);

type Variant = { key: string; name: string; goal: number; spec(i: number): { labels: Record<string, string>; spec: Partial<PodSpec> } };

const variants: Record<string, Variant> = {
  basic: { key: 'basic', name: 'basic', goal: 1000, spec: () => ({ labels: { app: 'bench' }, spec: {} }) },
  spread: {
    key: 'spread',
    name: 'required topology spread (zones, maxSkew 1)',
    goal: 500,
    spec: () => ({
      labels: { app: 'spread' },
      spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] },
    }),
  },
  anti: {
    key: 'anti',
    name: `required pod anti-affinity (hostname, ${GROUPS} groups)`,
    goal: 200,
    spec: (i) => {
      const group = `g${i % GROUPS}`;
      return {
        labels: { app: 'anti', group },
        spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { group } } }] } } },
      };
    },
  },
};

function node(i: number): Node {
  const allocatable = { cpu: '4', memory: '32Gi', pods: '110' };
  const name = `node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % ZONES}` } },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, v: Variant, i: number, nodeName?: string): Pod {
  const { labels, spec } = v.spec(i);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: v.key, labels },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
      ...spec,
      ...(nodeName ? { nodeName } : {}),
    },
  };
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function startChildApiServer(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-sched-'));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', import.meta.filename, '--apiserver', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^url (\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  return { url, child, dir };
}

const namespacesInfo = resourceFor('', 'v1', 'namespaces')!;

/** One variant on the shared nodes, in its own namespace (so earlier variants' pods only use resources). */
async function runVariant(url: string, client: RestClient, v: Variant, createRate: { perS: number }): Promise<boolean> {
  const ns = v.key;
  await client.create(namespacesInfo, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
  await pool(INIT, 64, async (i) => {
    await client.create(podsInfo, ns, pod(`init-${i}`, v, i, `node-${(i * 7) % NODES}`) as KubeObject);
  });
  let t = performance.now();
  await pool(PODS, 64, async (i) => {
    await client.create(podsInfo, ns, pod(`pod-${i}`, v, INIT + i) as KubeObject);
  });
  const createS = (performance.now() - t) / 1000;
  createRate.perS = PODS / createS;
  console.log(`  ${INIT} pods placed; ${PODS} pending pods created at ${Math.round(PODS / createS)}/s (the API server's write rate in this run: binds cannot beat it by much)`);

  const schedClient = new RestClient({ server: url, maxSockets: BINDS });
  const informers = new InformerFactory(schedClient, { clock: realClock });
  const ctx = { client: schedClient, informers, clock: realClock, recorder: () => simpleRecorder(schedClient, 'default-scheduler', { enabled: false }), log: () => {} };
  t = performance.now();
  const sched = await startScheduler(ctx, { parallelBinds: BINDS });
  const syncS = (performance.now() - t) / 1000;
  const start = performance.now();
  const deadline = start + 120_000;
  while (sched.stats().scheduled < PODS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const wallMs = performance.now() - start;
  const stats = sched.stats();
  await sched.stop();
  informers.stop();
  schedClient.close();
  const list = await client.list<Pod>(podsInfo, ns);
  const bound = list.items.filter((p) => p.metadata.name?.startsWith('pod-') && p.spec?.nodeName).length;
  const rate = (bound / wallMs) * 1000;
  const ok = bound === PODS && rate >= v.goal;
  console.log(`  informer sync ${syncS.toFixed(1)} s; bound in the API ${bound}/${PODS}; failed attempts ${stats.failed}, bind errors ${stats.bindErrors}`);
  console.log(`  throughput: ${Math.round(rate)} pods/s   (goal ≥ ${v.goal}) ${ok ? 'ok' : 'MISSED'}`);
  if (!ok || process.env.VERBOSE) {
    const cyclePerPod = stats.cycleMs / Math.max(1, stats.scheduled + stats.failed);
    const alone = cyclesAlone(v, 1000);
    console.log(`  where the time goes: scheduling cycles ${Math.round(stats.cycleMs)} ms of ${Math.round(wallMs)} ms wall (${((stats.cycleMs / wallMs) * 100).toFixed(0)}%), ${cyclePerPod.toFixed(3)} ms/pod`);
    console.log(`    bind round trip (API write) ${(stats.bindMs / Math.max(1, stats.scheduled)).toFixed(1)} ms, up to ${BINDS} in flight; API create rate ${Math.round(createRate.perS)}/s`);
    console.log(`    the same cycles without any API (in-memory cache, ${NODES} nodes): ${Math.round(alone)} pods/s`);
  }
  return ok;
}

/** Scheduling cycles alone: cache, snapshot, filter, score, assume; no API, no informers. */
function cyclesAlone(v: Variant, n: number): number {
  const cache = new SchedulerCache();
  const snap = new Snapshot();
  for (let i = 0; i < NODES; i++) cache.addNode(node(i));
  for (let i = 0; i < INIT; i++) cache.addPod(pod(`init-${i}`, v, i, `node-${(i * 7) % NODES}`));
  let fwk: Framework | undefined;
  const handle: Handle = {
    clock: realClock,
    namespaceLabels: () => undefined,
    snapshot: () => snap,
    runFilters: (st, p, nd) => fwk!.runFilter(st, p, nd),
    runAddPod: (st, p, a, nd) => fwk!.runAddPod(st, p, a, nd),
    runRemovePod: (st, p, r, nd) => fwk!.runRemovePod(st, p, r, nd),
    cloneState: (st) => fwk!.cloneState(st),
    defaultSpreadSelector: () => null,
    api: { bind: async () => {}, evict: async () => {}, setNominatedNodeName: async () => {}, nominatedPods: () => [], pdbs: () => [] },
  };
  fwk = new Framework({ schedulerName: 'default-scheduler' }, inTreePlugins, handle);
  const finder = new NodeFinder();
  const pods = Array.from({ length: n }, (_, i) => newPodInfo(pod(`alone-${i}`, v, INIT + i)));
  const t = performance.now();
  for (const pi of pods) {
    cache.updateSnapshot(snap);
    const r = finder.schedule(fwk, new Map(), pi, snap, () => []);
    if (r.ok) cache.assumePod(pi, r.node);
  }
  return (n / (performance.now() - t)) * 1000;
}

async function apiServerChild(dir: string): Promise<void> {
  const storage = openSqliteStorage(join(dir, 'state.db'));
  const server = await startApiServer({ storage });
  console.log(`url ${server.url}`);
  process.once('SIGTERM', () => {
    void server.close().then(() => storage.close()).then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--apiserver') return apiServerChild(process.argv[3]!);
  const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['basic', 'spread', 'anti'];
  console.log(`scheduler benchmark: ${NODES} nodes, ${INIT} pods placed, ${PODS} pods measured (API server in a child process, SQLite FULL sync)`);
  for (const name of chosen) if (!variants[name]) throw new Error(`unknown variant ${name}; have ${Object.keys(variants).join(', ')}`);
  const { url, child, dir } = await startChildApiServer();
  const client = new RestClient({ server: url });
  let allOk = true;
  try {
    const t = performance.now();
    await pool(NODES, 64, async (i) => {
      const n = node(i);
      const created = await client.create<Node>(nodesInfo, undefined, n as KubeObject);
      await client.update(nodesInfo, undefined, { ...created, status: n.status } as KubeObject, { subresource: 'status' });
    });
    console.log(`${NODES} nodes created (and their status set) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const createRate = { perS: 0 };
    for (const name of chosen) {
      const v = variants[name]!;
      console.log(`${v.name}:`);
      allOk = (await runVariant(url, client, v, createRate)) && allOk;
    }
  } finally {
    client.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  if (!allOk) process.exitCode = 1;
}

await main();
