// Deployments end to end with the real kubectl on `skiff server` (its
// scheduler and controller manager) and `skiff sim` (hollow kubelets): 6/6
// available, a rolling update with maxUnavailable 0 that never drops below 6
// available (watched with `kubectl get -w`), rollout
// status|history|undo|pause|resume|restart, and scale.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlAvailable, removeDir, skiffBin, startServer, type KubectlResult, type RunningServer } from './harness.ts';

const skip = !kubectlAvailable() && 'kubectl not installed';
let server: RunningServer;
let sim: ChildProcess;
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
let kubectl: (args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<KubectlResult>;

before(async () => {
  if (skip) return;
  // Only the controllers under test: the others' work must not make this file flaky.
  server = await startServer(['--controllers', 'replicaset,replicationcontroller,deployment']);
  kubectl = asyncKubectl(server);
  sim = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  sim.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!out.includes('hollow nodes registered')) {
    if (sim.exitCode !== null || Date.now() > deadline) throw new Error(`skiff sim did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  removeDir(cacheDir);
  if (skip) return;
  await new Promise<void>((done) => {
    if (sim.exitCode !== null || sim.signalCode !== null) return done();
    sim.once('exit', () => done());
    sim.kill('SIGTERM');
  });
  await server.stop();
  removeDir(server.dataDir);
});

/** Like the harness's kubectl, but without blocking this process: the controllers run here. */
function asyncKubectl(srv: RunningServer) {
  return (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const p = spawn('kubectl', ['--kubeconfig', srv.kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: opts.timeoutMs ?? 30_000 });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const t0 = Date.now();
      p.on('close', (code) => {
        if (process.env['E2E_DEBUG']) console.error(`${new Date().toISOString()} kubectl ${args.join(' ')}: ${code} in ${Date.now() - t0} ms`);
        resolve({ status: code ?? -1, stdout, stderr });
      });
      p.stdin.end(opts.input ?? '');
    });
}

const ok = (r: { status: number; stdout: string; stderr: string }, what: string): string => {
  assert.equal(r.status, 0, `${what}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 2}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: web:1
`;

const image = async () => ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'get image');
const rolloutStatus = async () => ok(await kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 70_000 }), 'rollout status');

/** `kubectl get deployment web -w` printing availableReplicas on each change. */
function watchAvailable(): { proc: ChildProcess; seen: number[] } {
  const proc = spawn('kubectl', ['--kubeconfig', server.kubeconfig, '--cache-dir', cacheDir, 'get', 'deployment', 'web', '-w', '-o', 'jsonpath={.status.availableReplicas}{"\\n"}']);
  const seen: number[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) seen.push(Number(l.trim()));
  });
  return { proc, seen };
}

test('a Deployment of 6 reaches 6/6 available', { skip }, async () => {
  ok(await kubectl(['apply', '-f', '-'], { input: manifest }), 'apply');
  assert.match(await rolloutStatus(), /successfully rolled out/);
  assert.equal(ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}/{.status.replicas}']), 'get'), '6/6');
  const table = ok(await kubectl(['get', 'deployment', 'web']), 'get table');
  assert.match(table, /web\s+6\/6\s+6\s+6/);
  const events = ok(await kubectl(['get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}']), 'events');
  assert.match(events, /Scaled up replica set web-\w+ from 0 to 6/);
});

test('a rolling update with maxUnavailable 0 never drops below 6 available; rollout status returns', { skip }, async () => {
  const watch = watchAvailable();
  await new Promise((r) => setTimeout(r, 500));
  ok(await kubectl(['set', 'image', 'deployment/web', 'web=web:2']), 'set image');
  await rolloutStatus();
  await new Promise((r) => setTimeout(r, 300));
  watch.proc.kill();
  assert.ok(watch.seen.length > 0, 'the watch saw the deployment');
  assert.ok(Math.min(...watch.seen) >= 6, `availableReplicas seen: ${watch.seen.join(',')}`);
  assert.equal(await image(), 'web:2');
  const history = ok(await kubectl(['rollout', 'history', 'deployment/web']), 'history');
  assert.match(history, /^1\s/m);
  assert.match(history, /^2\s/m);
});

test('rollout undo returns to the previous template', { skip }, async () => {
  ok(await kubectl(['rollout', 'undo', 'deployment/web']), 'undo');
  await rolloutStatus();
  assert.equal(await image(), 'web:1');
  assert.equal(ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), 'rev'), '3');
  const rss = ok(await kubectl(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.spec.replicas} {end}']), 'rs');
  assert.deepEqual(rss.trim().split(' ').sort(), ['web:1=6', 'web:2=0']);
  const history = ok(await kubectl(['rollout', 'history', 'deployment/web']), 'history');
  assert.match(history, /^2\s/m);
  assert.match(history, /^3\s/m);
  assert.doesNotMatch(history, /^1\s/m);
});

test('pause holds a template change until resume; restart rolls every pod', { skip }, async () => {
  ok(await kubectl(['rollout', 'pause', 'deployment/web']), 'pause');
  ok(await kubectl(['set', 'image', 'deployment/web', 'web=web:3']), 'set image while paused');
  await new Promise((r) => setTimeout(r, 1000));
  const rsCount = async () => ok(await kubectl(['get', 'rs', '-l', 'app=web', '-o', 'name']), 'rs').trim().split('\n').length;
  assert.equal(await rsCount(), 2, 'no new ReplicaSet while paused');
  const cond = ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']), 'cond');
  assert.equal(cond, 'DeploymentPaused');
  ok(await kubectl(['rollout', 'resume', 'deployment/web']), 'resume');
  await rolloutStatus();
  assert.equal(await rsCount(), 3);
  ok(await kubectl(['rollout', 'restart', 'deployment/web']), 'restart');
  await rolloutStatus();
  assert.equal(await rsCount(), 4);
  const pods = ok(await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.labels.pod-template-hash} {end}']), 'pods');
  assert.equal(new Set(pods.trim().split(' ')).size, 1, 'every pod from the restarted template');
});

test('kubectl scale resizes the Deployment and its ReplicaSet', { skip }, async () => {
  ok(await kubectl(['scale', 'deployment/web', '--replicas=3']), 'scale');
  await rolloutStatus();
  assert.equal(ok(await kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}']), 'get'), '3');
  const sizes = ok(await kubectl(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.replicas}']), 'rs');
  assert.deepEqual(sizes.split(' ').map(Number).sort(), [0, 0, 0, 3]);
});
