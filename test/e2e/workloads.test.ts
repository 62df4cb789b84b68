// StatefulSet, DaemonSet and Job end to end: the real kubectl against
// `skiff server` (its scheduler and controller manager) with hollow nodes from `skiff sim`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/meta.ts';
import { resourceForKind } from '../../src/api/scheme.ts';
import { loadKubeconfig } from '../../src/client/kubeconfig.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { kubectlAvailable, removeDir, skiffBin, startServer, type KubectlResult, type RunningServer, ok } from './harness.ts';

const pods = resourceForKind('', 'Pod')!;
let server: RunningServer;
let kubectl: typeof kubectlAsync;
let client: RestClient;
const sims: ChildProcess[] = [];

/**
 * kubectl without blocking this process: the controllers and scheduler run here,
 * and spawnSync would freeze them while kubectl waits for them.
 */
function kubectlAsync(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, '--cache-dir', join(server.dataDir, 'kubectl-cache'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const t0 = Date.now();
    child.on('close', (code) => {
      if (process.env['SKIFF_E2E_DEBUG']) process.stderr.write(`kubectl ${args.join(' ')}: ${Date.now() - t0} ms\n`);
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts `skiff sim` with `n` hollow nodes and waits until they are registered. */
async function startSim(n: number, prefix: string): Promise<void> {
  const child = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', String(n), '--prefix', prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  sims.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes('hollow nodes registered')) {
    if (child.exitCode !== null) throw new Error(`skiff sim exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`skiff sim did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.now();
  try {
    return await untilInner(fn, deadline, what);
  } finally {
    if (process.env['SKIFF_E2E_DEBUG']) process.stderr.write(`until ${what}: ${Date.now() - t0} ms\n`);
  }
}

async function untilInner<T>(fn: () => Promise<T | undefined | false>, deadline: number, what: string): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const skip = !kubectlAvailable() && 'kubectl is not installed';

before(async () => {
  if (skip) return;
  server = await startServer();
  kubectl = kubectlAsync;
  client = new RestClient(loadKubeconfig(server.kubeconfig));
  await startSim(5, 'w-');
});

after(async () => {
  if (skip) return;
  for (const s of sims) s.kill('SIGTERM');
  client.close();
  await server.stop();
  if (process.env['SKIFF_E2E_DEBUG']) process.stderr.write(server.output());
  removeDir(server.dataDir);
});

test('a StatefulSet of 3 creates web-0, web-1, web-2 strictly in order and scales down from the highest ordinal', { skip }, async () => {
  const events: string[] = [];
  const w = client.watch<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(pods, 'default', { labelSelector: 'app=web' }, (ev) => {
    const p = ev.object;
    const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (ev.type === 'ADDED') events.push(`add ${p.metadata.name}`);
    else if (ev.type === 'DELETED') events.push(`delete ${p.metadata.name}`);
    else if (ready && !events.includes(`ready ${p.metadata.name}`)) events.push(`ready ${p.metadata.name}`);
  }, () => {});
  try {
    ok(await kubectl(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: nginx, image: nginx}]
`,
    }));
    ok(await kubectl(['rollout', 'status', 'statefulset/web', '--timeout=60s'], { timeoutMs: 70_000 }));
    const order = events.filter((e) => e.startsWith('add') || e.startsWith('ready'));
    assert.deepEqual(order.slice(0, 6), ['add web-0', 'ready web-0', 'add web-1', 'ready web-1', 'add web-2', 'ready web-2']);
    const got = ok(await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.hostname} {.spec.subdomain}{"\\n"}{end}']));
    assert.equal(got.trim(), 'web-0 web-0 web\nweb-1 web-1 web\nweb-2 web-2 web');

    ok(await kubectl(['scale', 'statefulset/web', '--replicas=1']));
    await until('web scaled to 1', async () => events.includes('delete web-1'));
    const deletes = events.filter((e) => e.startsWith('delete'));
    assert.deepEqual(deletes, ['delete web-2', 'delete web-1']);
    await until('status 1', async () => (await client.get<KubeObject & { status?: { replicas?: number } }>(resourceForKind('apps', 'StatefulSet')!, 'default', 'web')).status?.replicas === 1);

    // A template change rolls through ControllerRevisions; `rollout undo` goes back to the previous one.
    ok(await kubectl(['set', 'image', 'statefulset/web', 'nginx=nginx:2']));
    ok(await kubectl(['rollout', 'status', 'statefulset/web', '--timeout=60s'], { timeoutMs: 70_000 }));
    const image = async () => (await client.get<KubeObject & { spec: { containers: { image: string }[] } }>(pods, 'default', 'web-0')).spec.containers[0]?.image;
    assert.equal(await image(), 'nginx:2');
    assert.match(ok(await kubectl(['rollout', 'history', 'statefulset/web'])), /1\s+<none>\s*\n2\s+<none>/);
    ok(await kubectl(['rollout', 'undo', 'statefulset/web']));
    ok(await kubectl(['rollout', 'status', 'statefulset/web', '--timeout=60s'], { timeoutMs: 70_000 }));
    await until('web-0 back on nginx', async () => (await image()) === 'nginx');
  } finally {
    w.stop();
  }
});

test('a DaemonSet has one pod on each of 5 nodes and gets a sixth when a node joins', { skip }, async () => {
  ok(await kubectl(['apply', '-f', '-'], {
    input: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers: [{name: agent, image: busybox}]
`,
  }));
  const placed = async () =>
    (await client.list<KubeObject & { spec: { nodeName?: string } }>(pods, 'default', { labelSelector: 'app=agent' })).items.map((p) => p.spec.nodeName ?? '-').sort();
  ok(await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=60s'], { timeoutMs: 70_000 }));
  assert.deepEqual(await placed(), ['w-0', 'w-1', 'w-2', 'w-3', 'w-4']);
  await startSim(1, 'joined-');
  await until('a sixth daemon pod, bound to the new node', async () => (await placed()).includes('joined-0'));
  assert.deepEqual(await placed(), ['joined-0', 'w-0', 'w-1', 'w-2', 'w-3', 'w-4']);
  ok(await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=60s'], { timeoutMs: 70_000 }));
});

test('a Job with completions 5 and parallelism 2 completes (kubectl wait --for=condition=complete)', { skip }, async () => {
  ok(await kubectl(['apply', '-f', '-'], {
    input: `apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 5
  parallelism: 2
  template:
    metadata:
      annotations: {sim.skiff.io/exit-code: "0", sim.skiff.io/exit-after: "500ms"}
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: busybox}]
`,
  }));
  ok(await kubectl(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s'], { timeoutMs: 70_000 }));
  const status = JSON.parse(ok(await kubectl(['get', 'job', 'pi', '-o', 'json']))).status;
  assert.equal(status.succeeded, 5);
  assert.ok(status.completionTime);
  const table = ok(await kubectl(['get', 'job', 'pi']));
  assert.match(table, /pi\s+Complete\s+5\/5/);
});

test('a failing Job stops at its backoffLimit', { skip }, async () => {
  ok(await kubectl(['apply', '-f', '-'], {
    input: `apiVersion: batch/v1
kind: Job
metadata: {name: fails}
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations: {sim.skiff.io/exit-code: "3"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`,
  }));
  ok(await kubectl(['wait', '--for=condition=failed', 'job/fails', '--timeout=60s'], { timeoutMs: 70_000 }));
  assert.equal(ok(await kubectl(['get', 'job', 'fails', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}'])), 'BackoffLimitExceeded');
});
