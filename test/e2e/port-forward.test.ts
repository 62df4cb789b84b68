// kubectl port-forward on a real node: pod/P and deploy/D to busybox httpd,
// over kubectl's default WebSocket tunnel and over its SPDY fallback, with
// several connections at once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = process.getuid?.() !== 0 ? 'needs root (containerd, CNI)' : nodeSkipReason();
if (skip) console.log(`# skipping port-forward e2e: ${skip}`);

let node: RunningNode;
let cacheDir = '';
const forwards: ChildProcess[] = [];
const busybox = 'docker.io/library/busybox:1.35';

const httpd = (text: string) => ({
  containers: [
    {
      name: 'web',
      image: busybox,
      command: ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && head -c 300000 /dev/zero | tr '\\0' x > /www/big.txt && exec httpd -f -p 80 -h /www`],
      ports: [{ containerPort: 80 }],
    },
  ],
  terminationGracePeriodSeconds: 1,
});

const manifests = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: httpd('hello-from-pod') },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'webd' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'webd' } }, template: { metadata: { labels: { app: 'webd' } }, spec: httpd('hello-from-deploy') } },
  },
];

function ok(args: string[], input?: string): string {
  const r = node.kubectl(args, { ...(input === undefined ? {} : { input }), timeoutMs: 90_000 });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${node.server.output().slice(-3000)}`);
  return r.stdout;
}

/** Starts `kubectl port-forward TARGET :80` and resolves with the local port it prints. */
async function portForward(targetRef: string, env: Record<string, string> = {}): Promise<number> {
  const child = spawn('kubectl', ['--kubeconfig', node.server.kubeconfig, '--cache-dir', cacheDir, 'port-forward', targetRef, ':80'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: the kubectl dispatcher may run the real binary as a child
  });
  forwards.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(out);
    if (m) return Number(m[1]);
    if (child.exitCode !== null) throw new Error(`kubectl port-forward ${targetRef} exited ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`kubectl port-forward ${targetRef} printed no port: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.on('error', reject);
  });
}

before(async () => {
  if (skip) return;
  node = await startNode();
  cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-pf-cache-'));
  // Client-side validation is not what this file tests (and needs the OpenAPI documents).
  ok(['apply', '--validate=false', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }));
  ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
  ok(['rollout', 'status', 'deploy/webd', '--timeout=60s']);
});

after(async () => {
  if (skip) return;
  for (const c of forwards) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(cacheDir, { recursive: true, force: true });
  await node.stop();
});

test('kubectl port-forward pod/web (WebSocket tunnel): the file, several connections at once', { skip: skip ?? false }, async () => {
  const port = await portForward('pod/web');
  const first = await get(port, '/index.html');
  assert.equal(first.status, 200);
  assert.equal(first.body, 'hello-from-pod\n');
  const [a, b, big] = await Promise.all([get(port, '/index.html'), get(port, '/index.html'), get(port, '/big.txt')]);
  assert.equal(a.body, 'hello-from-pod\n');
  assert.equal(b.body, 'hello-from-pod\n');
  assert.equal(big.body.length, 300_000);
  assert.equal((await get(port, '/missing')).status, 404);
  // kubectl did not fall back to plain SPDY: the kubelet saw the tunnel.
  assert.match(node.server.output(), /port-forward: default\/web \(SPDY in WebSocket\)/);
});

test('kubectl port-forward deploy/webd over SPDY (KUBECTL_PORT_FORWARD_WEBSOCKETS=false)', { skip: skip ?? false }, async () => {
  const port = await portForward('deploy/webd', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
  const results = await Promise.all([get(port, '/index.html'), get(port, '/index.html'), get(port, '/big.txt')]);
  assert.equal(results[0]!.body, 'hello-from-deploy\n');
  assert.equal(results[1]!.body, 'hello-from-deploy\n');
  assert.equal(results[2]!.body.length, 300_000);
  assert.match(node.server.output(), /port-forward: default\/webd-[a-z0-9-]+ \(SPDY\)/);
});

test('kubectl port-forward to a port nothing listens on: the connection closes, kubectl stays up', { skip: skip ?? false }, async () => {
  const port = await portForward('pod/web');
  // Sanity: the forward works, then a second forward to a dead port in the same pod fails cleanly.
  assert.equal((await get(port, '/index.html')).body, 'hello-from-pod\n');
  const child = spawn('kubectl', ['--kubeconfig', node.server.kubeconfig, '--cache-dir', cacheDir, 'port-forward', 'pod/web', ':81'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  forwards.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  let dead = 0;
  while (!(dead = Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 81/.exec(out)?.[1] ?? 0))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`kubectl port-forward :81: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await assert.rejects(get(dead, '/'), /socket hang up|ECONNRESET/);
  // kubectl reports the runtime's error text for that connection.
  const until = Date.now() + 10_000;
  while (!/error|refused/i.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /refused|error/i);
  // The first forward still works.
  assert.equal((await get(port, '/index.html')).body, 'hello-from-pod\n');
});

test('client-library form through the API server: WebSocket v4.channel.k8s.io with ?ports=80', { skip: skip ?? false }, async () => {
  const url = `${node.server.url.replace(/^http/, 'ws')}/api/v1/namespaces/default/pods/web/portforward?ports=80`;
  const ws = new WebSocket(url, ['v4.channel.k8s.io']);
  const messages: Buffer[] = [];
  ws.on('message', (m: Buffer) => messages.push(m));
  await once(ws, 'open');
  ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
  await once(ws, 'close');
  // Each channel first carries the port, little-endian; then the data channel carries the answer.
  assert.deepEqual([...messages[0]!], [0, 80, 0]);
  assert.deepEqual([...messages[1]!], [1, 80, 0]);
  const answer = Buffer.concat(messages.slice(2).filter((m) => m[0] === 0).map((m) => m.subarray(1))).toString();
  assert.match(answer, /^HTTP\/1.[01] 200 OK/);
  assert.ok(answer.endsWith('hello-from-pod\n'), answer);
});
