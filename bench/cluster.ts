// Cluster controller figures against a real `skiff server` process (its own
// controller manager and scheduler) with hollow nodes from `skiff sim`:
//  1. a namespace holding 10,000 objects is deleted: time until it is gone
//     (goal ≤ 60 s on this 2-core machine);
//  2. 100 of 200 nodes are lost at once: time until every pod they ran is
//     Running again on the other nodes, with the node grace period at 15 s,
//     the eviction rate at 50 nodes/s and tolerationSeconds 5
//     (goal ≤ grace + 30 s).
// `node bench/cluster.ts namespace|nodes` runs one of them.

import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { resourceForKind } from '../src/api/scheme.ts';
import type { KubeObject } from '../src/api/meta.ts';
import { loadKubeconfig } from '../src/client/kubeconfig.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { isNotFound } from '../src/machinery/status.ts';
import { removeDir, skiffBin, startServer } from '../test/e2e/harness.ts';

const r = (g: string, k: string) => resourceForKind(g, k)!;
const graceMs = 15_000;
const server = await startServer(['--node-monitor-grace-period', `${graceMs / 1000}s`, '--node-eviction-rate', '50', '--leader-elect=false']);
const client = new RestClient({ ...loadKubeconfig(server.kubeconfig), maxSockets: 64 });
const sims: ChildProcess[] = [];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function inParallel(n: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function namespaceDeletion(): Promise<void> {
  const ns = 'bulk';
  await client.create(r('', 'Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const t0 = performance.now();
  await inParallel(10_000, 64, (i) => {
    const kind = i % 10 === 0 ? 'Secret' : 'ConfigMap';
    const obj: KubeObject = { apiVersion: 'v1', kind, metadata: { name: `o-${i}`, labels: { bench: 'ns' } } };
    if (kind === 'ConfigMap') obj.data = { index: String(i) };
    if (kind === 'Secret') obj.stringData = { index: String(i) };
    return client.create(r('', kind), ns, obj);
  });
  const created = performance.now() - t0;
  const t1 = performance.now();
  await client.delete(r('', 'Namespace'), undefined, ns);
  await waitFor('namespace bulk to go', async () => {
    try {
      await client.get(r('', 'Namespace'), undefined, ns);
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }, 150_000);
  const gone = performance.now() - t1;
  console.log(`namespace of 10,000 objects (9,000 ConfigMaps, 1,000 Secrets; created in ${secs(created)})`);
  console.log(`  deleted and gone in ${secs(gone)}  (goal ≤ 60 s)  ${(10_000 / (gone / 1000)).toFixed(0)} objects/s`);
}

function startSim(prefix: string, nodes: number): Promise<ChildProcess> {
  const child = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', String(nodes), '--prefix', prefix, '--no-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  sims.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('hollow nodes registered')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`skiff sim ${prefix} exited with ${code}:\n${out}`)));
  });
}

type Pod = KubeObject & { spec?: { nodeName?: string }; status?: { phase?: string } };

async function nodeLoss(): Promise<void> {
  const [, lose] = await Promise.all([startSim('keep-', 100), startSim('lose-', 100)]);
  const replicas = 300;
  await client.create(r('apps', 'Deployment'), 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'spread' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'spread' } },
      template: {
        metadata: { labels: { app: 'spread' } },
        spec: {
          containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          tolerations: [
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
          ],
        },
      },
    },
  });
  const live = async () => (await client.list<Pod>(r('', 'Pod'), 'default', { labelSelector: 'app=spread' })).items.filter((p) => !p.metadata.deletionTimestamp);
  await waitFor(`${replicas} running pods`, async () => (await live()).filter((p) => p.status?.phase === 'Running').length === replicas, 120_000);
  const onLost = (await live()).filter((p) => p.spec?.nodeName?.startsWith('lose-')).length;
  const t0 = performance.now();
  lose.kill('SIGKILL');
  let taintedAt = 0;
  await waitFor('pods running on the remaining nodes', async () => {
    if (!taintedAt) {
      const nodes = await client.list<KubeObject & { spec?: { taints?: { effect: string }[] } }>(r('', 'Node'), undefined);
      const tainted = nodes.items.filter((n) => n.metadata.name?.startsWith('lose-') && n.spec?.taints?.some((t) => t.effect === 'NoExecute')).length;
      if (tainted === 100) taintedAt = performance.now() - t0;
    }
    const pods = await live();
    if (process.env.BENCH_DEBUG) console.log(secs(performance.now() - t0), pods.length, pods.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('keep-')).length);
    return pods.length === replicas && pods.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('keep-'));
  }, 150_000);
  const total = performance.now() - t0;
  console.log(`100 of 200 hollow nodes lost at once, ${onLost} of ${replicas} pods on them (grace ${secs(graceMs)}, eviction rate 50/s, tolerationSeconds 5)`);
  console.log(`  all 100 nodes NoExecute-tainted after ${taintedAt ? secs(taintedAt) : 'n/a'}`);
  console.log(`  every pod Running elsewhere after ${secs(total)}  (goal ≤ ${secs(graceMs + 30_000)}; ${secs(total - graceMs - 5_000)} beyond grace + toleration)`);
}

const only = process.argv[2];
try {
  if (!only || only === 'namespace') await namespaceDeletion();
  if (!only || only === 'nodes') await nodeLoss();
} finally {
  for (const s of sims) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  client.close();
  await server.stop();
  removeDir(server.dataDir);
}
