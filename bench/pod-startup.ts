// Pod startup latency on a real node: `skiff server` with its agent
// (containerd, kubelet, CNI). A pod's latency is from its create request to
// the watch showing it Running (image already present). Measured one at a
// time (×10) and as a burst of 30, beside the same sandbox + container
// started directly through containerd's CRI in the same run (the floor the
// kubelet adds to), and the server process's RSS idle and with 30 pods.
// Goals: p99 ≤ 1 s single, ≤ 3 s burst, ≤ 1.5× bare CRI, idle RSS < 150 MB.
// Then one pod's timeline (--trace 3 pods): where its startup time goes, from
// the watches and containerd's own timestamps.
// Needs root and containerd. Usage: node bench/pod-startup.ts [--single 10] [--burst 30]

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/meta.ts';
import { resourceFor } from '../src/api/scheme.ts';
import { numberFlag, parseArgs } from '../src/cli/args.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { connectCri, type CriRuntime } from '../src/kubelet/cri/cri-client.ts';
import { buildSandboxConfig } from '../src/kubelet/sandbox-config.ts';
import type { Pod } from '../src/kubelet/types.ts';
import { runtimeLabels } from '../src/kubelet/runtime/runtime.ts';
import { nodeSkipReason, startNode } from '../test/e2e/node-harness.ts';

const args = parseArgs(process.argv.slice(2));
const singles = numberFlag(args, 'single', 10);
const burst = numberFlag(args, 'burst', 30);
const traces = numberFlag(args, 'trace', 3);
const pods = resourceFor('', 'v1', 'pods')!;
const image = 'docker.io/library/busybox:1.35';
const ms = (x: number) => `${x.toFixed(0)} ms`;
const line = (what: string, value: string, goal = '') => console.log(`${what.padEnd(44)} ${value.padStart(12)}${goal ? `   goal ${goal}` : ''}`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

const skip = nodeSkipReason();
if (skip) {
  console.log(`pod-startup bench skipped: ${skip}`);
  process.exit(0);
}

const node = await startNode();
const client = new RestClient({ server: node.server.url, userAgent: 'bench-pod-startup' });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${node.server.process.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const running = new Map<string, (t: number) => void>();
const observers = new Map<string, (p: Pod, at: number) => void>();
const watch = client.watch<KubeObject>(pods, 'default', {}, (ev) => {
  const p = ev.object as unknown as Pod;
  observers.get(p.metadata.name ?? '')?.(p, Date.now());
  if (p.status?.phase === 'Running') running.get(p.metadata.name ?? '')?.(performance.now());
}, () => undefined);

async function startPod(name: string): Promise<number> {
  const t0 = performance.now();
  const seen = new Promise<number>((resolve) => running.set(name, resolve));
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'startup' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image, command: ['sleep', '3600'] }] },
  };
  await client.create<KubeObject>(pods, 'default', pod as unknown as KubeObject);
  const t1 = await Promise.race([seen, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`pod ${name} not Running in 60 s`)), 60_000))]);
  running.delete(name);
  return t1 - t0;
}

async function deleteAll(cri?: CriRuntime): Promise<void> {
  const list = await client.list<KubeObject>(pods, 'default', { labelSelector: 'bench=startup' });
  await Promise.all(list.items.map((p) => client.delete(pods, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(() => undefined)));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    if ((await client.list<KubeObject>(pods, 'default', { labelSelector: 'bench=startup' })).items.length === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // The API objects are gone at once (grace 0); wait for the kubelet to tear the sandboxes
  // down too, so the next measurement does not share containerd with that work.
  for (const deadline = Date.now() + 60_000; cri && Date.now() < deadline; ) {
    if ((await cri.listPodSandbox({ labelSelector: { bench: 'startup' } })).length === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The same pod started straight through CRI: sandbox, create, start. */
async function bareStart(cri: CriRuntime, name: string): Promise<{ ms: number; sandbox: string }> {
  const pod: Pod = { metadata: { name, namespace: 'bench-bare', uid: randomUUID() }, spec: { containers: [{ name: 'c', image }] } };
  const t0 = performance.now();
  const config = buildSandboxConfig(pod, { nodeName: node.nodeName, logRoot: join(node.dataDir, 'agent/pod-logs') }, 0);
  const sandbox = await cri.runPodSandbox(config);
  await cri.podSandboxStatus(sandbox);
  const id = await cri.createContainer(sandbox, { metadata: { name: 'c', attempt: 0 }, image: { image }, command: ['sleep', '3600'], args: [], envs: [], labels: {}, annotations: {}, logPath: 'c/0.log' }, config);
  await cri.startContainer(id);
  return { ms: performance.now() - t0, sandbox };
}

async function removeBare(cri: CriRuntime, ids: string[]): Promise<void> {
  await Promise.all(ids.map(async (id) => {
    await cri.stopPodSandbox(id).catch(() => undefined);
    await cri.removePodSandbox(id).catch(() => undefined);
  }));
}

/**
 * One pod's startup, step by step, in wall-clock ms after the create request:
 * the watch of all pods shows the scheduler's binding, the kubelet's first
 * status write and Running; a node-filtered watch (as the kubelet's own)
 * shows when the pod reaches the node; containerd's timestamps show the
 * sandbox's creation and the container's creation and start.
 */
async function tracePod(cri: CriRuntime, name: string): Promise<[string, number][]> {
  const marks = new Map<string, number>();
  const mark = (what: string, at: number) => {
    if (!marks.has(what)) marks.set(what, at);
  };
  observers.set(name, (p, at) => {
    if (p.spec?.nodeName) mark('scheduled (watch sees nodeName)', at);
    if (p.status?.conditions?.some((c) => c.type === 'Initialized')) mark('kubelet status written (watch)', at);
    if (p.status?.phase === 'Running') mark('Running (watch)', at);
  });
  const nodeWatch = client.watch<KubeObject>(pods, 'default', { fieldSelector: `spec.nodeName=${node.nodeName}` }, (ev) => {
    if (ev.object.metadata.name === name) mark("on the node's watch (kubelet sees it)", Date.now());
  }, () => undefined);
  await new Promise((r) => setTimeout(r, 300)); // the node watch is open
  const t0 = Date.now();
  try {
    await startPod(name);
  } finally {
    observers.delete(name);
    nodeWatch.stop();
  }
  const uid = (await client.get<KubeObject>(pods, 'default', name)).metadata.uid ?? '';
  const [sandbox] = await cri.listPodSandbox({ labelSelector: { [runtimeLabels.podUid]: uid } });
  if (sandbox) mark('sandbox created (containerd)', sandbox.createdAt / 1e6);
  const [container] = await cri.listContainers({ labelSelector: { [runtimeLabels.podUid]: uid } });
  if (container) {
    const st = await cri.containerStatus(container.id);
    mark('container created (containerd)', st.createdAt / 1e6);
    mark('container started (containerd)', st.startedAt / 1e6);
  }
  return [...marks].map(([what, at]): [string, number] => [what, at - t0]).sort((a, b) => a[1] - b[1]);
}

let failed = false;
try {
  await new Promise((r) => setTimeout(r, 3000));
  const idle = rss();
  await startPod('warmup');
  await deleteAll();

  // Singles alternate skiff and bare CRI, so a busy moment of the machine hits both alike.
  const cri = await connectCri(`unix://${join(node.dataDir, 'agent/containerd/containerd.sock')}`);
  const single: number[] = [];
  const bareSingle: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < singles; i++) {
    single.push(await startPod(`single-${i}`));
    const r = await bareStart(cri, `bare-${i}`);
    bareSingle.push(r.ms);
    ids.push(r.sandbox);
  }
  await deleteAll(cri);
  await removeBare(cri, ids.splice(0));

  const timelines: [string, number][][] = [];
  for (let i = 0; i < traces; i++) timelines.push(await tracePod(cri, `traced-${i}`));
  await deleteAll(cri);

  const t0 = performance.now();
  const burstTimes = await Promise.all(Array.from({ length: burst }, (_, i) => startPod(`burst-${i}`)));
  const burstWall = performance.now() - t0;
  const loaded = rss();
  await deleteAll(cri);

  const bareBurst = await Promise.all(Array.from({ length: burst }, (_, i) => bareStart(cri, `bare-burst-${i}`)));
  await removeBare(cri, bareBurst.map((r) => r.sandbox));
  cri.close();

  console.log(`\npod startup on ${node.nodeName} (creation → Running via watch; image present)\n`);
  line(`single ×${singles}: p50`, ms(pct(single, 50)));
  line(`single ×${singles}: p99`, ms(pct(single, 99)), '≤ 1000 ms');
  line(`bare CRI single: p50`, ms(pct(bareSingle, 50)));
  line(`bare CRI single: p99`, ms(pct(bareSingle, 99)));
  line('ratio single p50 (skiff / bare CRI)', `${(pct(single, 50) / pct(bareSingle, 50)).toFixed(2)}×`, '≤ 1.5×');
  line(`burst of ${burst}: p50`, ms(pct(burstTimes, 50)));
  line(`burst of ${burst}: p99`, ms(pct(burstTimes, 99)), '≤ 3000 ms');
  line(`burst of ${burst}: all Running`, ms(burstWall));
  line(`bare CRI burst of ${burst}: p50`, ms(pct(bareBurst.map((r) => r.ms), 50)));
  line(`bare CRI burst of ${burst}: p99`, ms(pct(bareBurst.map((r) => r.ms), 99)));
  line('ratio burst p99 (skiff / bare CRI)', `${(pct(burstTimes, 99) / pct(bareBurst.map((r) => r.ms), 99)).toFixed(2)}×`, '≤ 1.5×');
  line('server RSS idle (control plane + agent)', `${idle.toFixed(0)} MB`, '< 150 MB');
  line(`server RSS with ${burst} pods`, `${loaded.toFixed(0)} MB`);
  timelines.forEach((steps, i) => {
    console.log(`\none pod's timeline (traced-${i}; ms after the create request)`);
    for (const [what, at] of steps) line(`  ${what}`, ms(at));
  });
} catch (e) {
  failed = true;
  console.error(`bench failed: ${(e as Error).message}\n${node.server.output().slice(-3000)}`);
} finally {
  watch.stop();
  client.close();
  await node.stop().catch((e: unknown) => {
    failed = true;
    console.error((e as Error).message);
  });
}
process.exit(failed ? 1 : 0);
