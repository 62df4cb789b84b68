// The scheduler end to end: `skiff server` (with its scheduler) and hollow nodes from
// `skiff sim`, driven by the real kubectl: FailedScheduling text, taints, node
// selection, zone spread, anti-affinity, preemption, and a pod placed once a node fits.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { makeKubectl, removeDir, skiffBin, startServer, type RunningServer, ok } from './harness.ts';

let server: RunningServer;
let kubectl: ReturnType<typeof makeKubectl>;
const sims: ChildProcess[] = [];

async function eventually<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts `skiff sim` hollow nodes and waits until they are Ready. */
async function sim(args: string[], names: string[]): Promise<void> {
  const child = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--no-events', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.resume();
  sims.push(child);
  await eventually(`nodes ${names.join(',')} Ready`, () => {
    const out = kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']).stdout;
    return names.every((n) => out.includes(`${n}=True`));
  });
}

function apply(yaml: string): void {
  ok(kubectl(['apply', '-f', '-'], { input: yaml }));
}

const pod = (name: string, spec: string, labels = '{}', extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  terminationGracePeriodSeconds: 0
${extra}  containers:
  - name: c
    image: busybox:1.36
${spec}`;

const requests = (cpu: string) => `    resources: {requests: {cpu: ${cpu}}}\n`;
const nodeOf = (name: string) => kubectl(['get', 'pod', name, '-o', 'jsonpath={.spec.nodeName}']).stdout.trim();
const bound = (name: string) => eventually(`${name} bound`, () => nodeOf(name) || undefined);
const zoneOf = (node: string) => kubectl(['get', 'node', node, '-o', 'jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}']).stdout.trim();

async function deleteAllPods(): Promise<void> {
  kubectl(['delete', 'pods', '--all', '--grace-period=0', '--force', '--wait=false']);
  await eventually('pods gone', () => kubectl(['get', 'pods', '-o', 'name']).stdout.trim() === '');
}

before(async () => {
  server = await startServer();
  kubectl = makeKubectl(server);
  await sim(['--nodes', '4', '--zones', '2', '--cpu', '2', '--memory', '4Gi', '--prefix', 'sim-'], ['sim-0', 'sim-1', 'sim-2', 'sim-3']);
});

after(async () => {
  for (const c of sims) {
    if (c.exitCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
  }
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

test('taints repel pods without a toleration, with the taint in the message', async () => {
  ok(kubectl(['taint', 'nodes', '--all', 'dedicated=db:NoSchedule']));
  apply(pod('plain', requests('100m')));
  apply(pod('tolerant', requests('100m'), '{}', '  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n'));
  await bound('tolerant');
  const describe = await eventually('FailedScheduling', () => {
    const out = kubectl(['describe', 'pod', 'plain']).stdout;
    return out.includes('FailedScheduling') && out;
  });
  assert.match(describe, /0\/4 nodes are available: 4 node\(s\) had untolerated taint \{dedicated: db\}\. preemption: 0\/4 nodes are available: 4 Preemption is not helpful for scheduling\./);
  ok(kubectl(['taint', 'nodes', '--all', 'dedicated-']));
  // Removing the taint is a node update: the sleeping pod is retried at once.
  await bound('plain');
  await deleteAllPods();
});

test('nodeSelector and node affinity choose the nodes', async () => {
  ok(kubectl(['label', 'node', 'sim-2', 'disk=ssd']));
  apply(pod('selected', requests('100m'), '{}', '  nodeSelector: {disk: ssd}\n'));
  apply(
    pod(
      'affine',
      requests('100m'),
      '{}',
      '  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: NotIn, values: [zone-0]}]}]}}}\n',
    ),
  );
  assert.equal(await bound('selected'), 'sim-2');
  assert.equal(zoneOf(await bound('affine')), 'zone-1');
  await deleteAllPods();
});

test('topology spread keeps zones within maxSkew, and anti-affinity puts one pod per node', async () => {
  const spread = '  topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: spread}}}]\n';
  for (let i = 0; i < 5; i++) apply(pod(`spread-${i}`, requests('100m'), '{app: spread}', spread));
  const zones = new Map<string, number>();
  for (let i = 0; i < 5; i++) {
    const z = zoneOf(await bound(`spread-${i}`));
    zones.set(z, (zones.get(z) ?? 0) + 1);
  }
  assert.deepEqual([...zones.values()].sort(), [2, 3]);
  const anti = '  affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: anti}}}]}}\n';
  for (let i = 0; i < 5; i++) apply(pod(`anti-${i}`, requests('100m'), '{app: anti}', anti));
  const nodes = new Set<string>();
  const placed = await eventually('4 anti pods bound', () => {
    const got = [0, 1, 2, 3, 4].map((i) => nodeOf(`anti-${i}`)).filter((n) => n);
    return got.length === 4 && got;
  });
  for (const n of placed) nodes.add(n);
  assert.equal(nodes.size, 4, 'one per node');
  const pending = [0, 1, 2, 3, 4].find((i) => !nodeOf(`anti-${i}`))!;
  const msg = await eventually('anti-affinity message', () => {
    const out = kubectl(['get', 'events', '--field-selector', `involvedObject.name=anti-${pending},reason=FailedScheduling`, '-o', 'jsonpath={.items[*].message}']).stdout;
    return out.includes('0/4') && out;
  });
  assert.match(msg, /0\/4 nodes are available: 4 node\(s\) didn't match pod anti-affinity rules\./);
  await deleteAllPods();
});

test('a high-priority pod preempts a low-priority one and is scheduled in its place', async () => {
  apply(`apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 10
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
`);
  for (let i = 0; i < 4; i++) apply(pod(`low-${i}`, requests('1500m'), '{tier: low}', '  priorityClassName: low\n'));
  for (let i = 0; i < 4; i++) await bound(`low-${i}`);
  apply(pod('high', requests('1500m'), '{}', '  priorityClassName: high\n'));
  const node = await bound('high');
  const preempted = await eventually('Preempted event', () => {
    const out = kubectl(['get', 'events', '--field-selector', 'reason=Preempted', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.message}{"\\n"}{end}']).stdout.trim();
    return out || undefined;
  });
  assert.match(preempted, new RegExp(`^low-\\d Preempted by pod \\S+ on node ${node}$`, 'm'));
  const left = kubectl(['get', 'pods', '-l', 'tier=low', '-o', 'name']).stdout.trim().split('\n').filter(Boolean);
  assert.equal(left.length, 3);
  await deleteAllPods();
});

test('exhausted cpu gives FailedScheduling; the pod is bound as soon as a fitting node joins', async () => {
  apply(pod('huge', requests('6')));
  const describe = await eventually('FailedScheduling', () => {
    const out = kubectl(['describe', 'pod', 'huge']).stdout;
    return out.includes('FailedScheduling') && out;
  });
  assert.match(describe, /0\/4 nodes are available: 4 Insufficient cpu\. preemption: 0\/4 nodes are available: 4 No preemption victims found for incoming pod\./);
  const cond = kubectl(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status} {.status.conditions[?(@.type=="PodScheduled")].reason}']).stdout;
  assert.equal(cond, 'False Unschedulable');
  await sim(['--nodes', '1', '--cpu', '8', '--memory', '16Gi', '--prefix', 'big-'], ['big-0']);
  assert.equal(await bound('huge'), 'big-0');
  await deleteAllPods();
});
