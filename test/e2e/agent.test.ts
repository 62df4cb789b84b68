// A real node end to end: `skiff server` with its agent (containerd, kubelet,
// CNI) driven by the real kubectl; a second node joined with `skiff agent`.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connectCri } from '../../src/kubelet/cri/cri-client.ts';
import { IMAGES_DIR } from '../../src/kubelet/containerd/testing/test-containerd.ts';
import { startTestRegistry, testRegistryMissing } from '../../src/kubelet/containerd/testing/test-registry.ts';
import { poll, skiffBin } from './harness.ts';
import { cleanNode, nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = nodeSkipReason();
if (skip) console.log(`# skipping agent e2e: ${skip}`);

let node: RunningNode;
const k = (args: string[], input?: string) => {
  const r = node.kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
};

const until = <T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> =>
  poll(what, fn, { timeoutMs, intervalMs: 200, output: () => node.server.output() });

const json = (args: string[]) => JSON.parse(k([...args, '-o', 'json'])) as Record<string, any>;
const podsOf = (selector: string) => json(['get', 'pods', '-l', selector]).items as any[];
const readyPod = (selector: string) => () => podsOf(selector).find((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const httpd = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'docker.io/library/busybox:1.35',
  command: ['sh', '-c', `mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www`],
  readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
  ...extra,
});

before(async () => {
  if (skip) return;
  const t0 = performance.now();
  node = await startNode();
  console.log(`# node ${node.nodeName} Ready in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
});
after(async () => {
  if (!skip) await node.stop();
});

test('the node is Ready with the machine\'s capacity and the containerd version', { skip }, () => {
  const wide = k(['get', 'nodes', '-o', 'wide']);
  assert.match(wide, new RegExp(`${node.nodeName}\\s+Ready\\s+control-plane\\s`));
  assert.match(wide, /containerd:\/\/1\.\d+\.\d+/);
  const n = json(['get', 'node', node.nodeName]);
  assert.ok(Number(n.status.capacity.cpu) >= 1);
  assert.match(n.status.capacity.memory, /^\d+Ki$/);
  assert.match(n.status.capacity['ephemeral-storage'], /^\d+Ki$/);
  assert.equal(n.metadata.annotations['skiff.dev/local-storage-path'], join(node.dataDir, 'agent/storage'));
  assert.ok(n.spec.podCIDR);
  for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(n.status.conditions.find((c: any) => c.type === t)?.status, 'False');
  assert.ok(n.status.daemonEndpoints.kubeletEndpoint.Port > 0);
});

test('a Deployment of busybox httpd runs, is Ready and answers on its pod IP; deleting it leaves nothing behind', { skip }, async () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [httpd('web')] } } },
  };
  k(['apply', '-f', '-'], JSON.stringify(dep));
  await until('two web pods Ready', () => {
    const ready = podsOf('app=web').filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === 2 ? ready : undefined;
  }, 45_000);
  for (const p of podsOf('app=web')) {
    assert.match(p.status.podIP, /^10\.\d+\.\d+\.\d+$/);
    const body = await (await fetch(`http://${p.status.podIP}:8080/`)).text();
    assert.equal(body.trim(), `hello from ${p.metadata.name}`);
  }
  const n = json(['get', 'node', node.nodeName]);
  assert.ok(n.status.images.some((i: any) => i.names.some((x: string) => x.includes('busybox:1.35'))), 'node lists its images');

  k(['delete', 'deployment', 'web']);
  await until('web pods gone', () => (podsOf('app=web').length === 0 ? true : undefined), 45_000);
  const cri = await connectCri(`unix://${join(node.dataDir, 'agent/containerd/containerd.sock')}`);
  try {
    await until('no sandbox or container left', async () => {
      const sbs = await cri.listPodSandbox();
      const cs = await cri.listContainers();
      return sbs.length === 0 && cs.length === 0 ? true : undefined;
    });
  } finally {
    cri.close();
  }
  assert.equal(spawnSync('ip', ['-o', 'link', 'show', 'master', node.bridge], { encoding: 'utf8' }).stdout.trim(), '', 'no veth left on the bridge');
  const mounts = spawnSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(join(node.dataDir, 'agent/kubelet/pods')));
  assert.deepEqual(mounts, []);
});

test('hostPort reaches the pod through the node; a hostNetwork pod sees the node\'s interfaces', { skip }, async () => {
  const hostPort = await freePort();
  const n = json(['get', 'node', node.nodeName]);
  const nodeIP = n.status.addresses.find((a: any) => a.type === 'InternalIP').address;
  const pods = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hp', labels: { t: 'hp' } }, spec: { terminationGracePeriodSeconds: 1, containers: [httpd('hp', { ports: [{ containerPort: 8080, hostPort }] })] } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hn', labels: { t: 'hn' } },
      spec: { hostNetwork: true, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'hn', image: 'busybox:1.35', command: ['sh', '-c', 'ls /sys/class/net; sleep 3600'] }] },
    },
  ];
  for (const p of pods) k(['apply', '-f', '-'], JSON.stringify(p));
  await until('hostPort pod Ready', readyPod('t=hp'), 30_000);
  const body = await until('hostPort answers', async () => {
    try {
      return await (await fetch(`http://${nodeIP}:${hostPort}/`)).text();
    } catch {
      return undefined;
    }
  });
  assert.equal(body.trim(), 'hello from hp');
  const hn = await until('hostNetwork pod Running', () => podsOf('t=hn').find((p) => p.status?.phase === 'Running'));
  assert.equal(hn.status.podIP, nodeIP);
  const ifaces = await until('hostNetwork pod logs', () => {
    const r = node.kubectl(['logs', 'hn']);
    return r.status === 0 && r.stdout.includes(node.bridge) ? r.stdout : undefined;
  });
  assert.match(ifaces, /\blo\b/);
  k(['delete', 'pod', 'hp', 'hn', '--grace-period=1']);
});

test('a static pod runs from its manifest and shows as a mirror pod; deleting the mirror recreates it; removing the manifest stops it', { skip }, async () => {
  const manifest = join(node.dataDir, 'agent/pod-manifests/static-web.yaml');
  writeFileSync(
    manifest,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\n  labels: {t: static}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: web\n    image: busybox:1.35\n    command: [sh, -c, 'mkdir -p /www; echo static > /www/index.html; exec httpd -f -p 8080 -h /www']\n`,
  );
  const name = `static-web-${node.nodeName}`;
  const mirror = await until('mirror pod Running', () => podsOf('t=static').find((p) => p.metadata.name === name && p.status?.phase === 'Running'), 30_000);
  assert.ok(mirror.metadata.annotations['kubernetes.io/config.mirror']);
  assert.equal(mirror.metadata.annotations['kubernetes.io/config.source'], 'file');
  assert.equal(mirror.metadata.ownerReferences[0].kind, 'Node');
  assert.equal((await (await fetch(`http://${mirror.status.podIP}:8080/`)).text()).trim(), 'static');

  k(['delete', 'pod', name, '--wait=false']);
  await until('mirror pod recreated', () => podsOf('t=static').find((p) => p.metadata.name === name && p.metadata.uid !== mirror.metadata.uid && !p.metadata.deletionTimestamp));
  // The pod itself kept running: same IP.
  assert.equal((await (await fetch(`http://${mirror.status.podIP}:8080/`)).text()).trim(), 'static');

  unlinkSync(manifest);
  await until('mirror pod deleted', () => (podsOf('t=static').length === 0 ? true : undefined));
  await until('static pod stopped', async () => {
    try {
      await fetch(`http://${mirror.status.podIP}:8080/`, { signal: AbortSignal.timeout(500) });
      return undefined;
    } catch {
      return true;
    }
  });
});

test('an image pulled from a local registry runs', { skip: skip ?? testRegistryMissing() }, async () => {
  const registry = await startTestRegistry();
  try {
    const ref = await registry.push(join(IMAGES_DIR, 'busybox.tar'), 'e2e/bb:1');
    k(['run', 'pulled', `--image=${ref}`, '--restart=Never', '--overrides', JSON.stringify({ spec: { terminationGracePeriodSeconds: 1 } }), '--', 'sh', '-c', 'echo pulled-ok; sleep 3600']);
    await until('pulled pod Running', () => podsOf('run=pulled').find((p) => p.status?.phase === 'Running'), 30_000);
    const events = k(['get', 'events', '--field-selector', 'involvedObject.name=pulled']);
    assert.match(events, /Successfully pulled image/);
    assert.equal(await until('logs', () => (node.kubectl(['logs', 'pulled']).stdout.trim() || undefined)), 'pulled-ok');
    k(['delete', 'pod', 'pulled', '--grace-period=1']);
  } finally {
    await registry.stop();
  }
});

test('`skiff agent` joins a second node that runs pods', { skip }, async () => {
  const dataDir = mkdtempSync('/tmp/ska-');
  const name = `${node.nodeName}-b`;
  const bridge = `${node.bridge}b`;
  const agent = spawn(skiffBin, ['agent', '--server', node.server.url, '--token', node.token, '--node-name', name, '--data-dir', dataDir, '--kubelet-port', '0', '--cni-bridge', bridge], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  agent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  agent.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await until(`node ${name} Ready (agent output: ${out})`, () => {
      const r = node.kubectl(['get', 'node', name, '-o', 'json']);
      if (r.status !== 0) return undefined;
      return (JSON.parse(r.stdout).status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    }, 45_000);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-b', labels: { t: 'b' } }, spec: { nodeName: name, terminationGracePeriodSeconds: 1, containers: [httpd('b')] } };
    k(['apply', '-f', '-'], JSON.stringify(pod));
    const p = await until('pod on the second node Ready', readyPod('t=b'), 30_000);
    assert.equal(p.spec.nodeName, name);
    assert.equal((await (await fetch(`http://${p.status.podIP}:8080/`)).text()).trim(), 'hello from on-b');
    k(['delete', 'pod', 'on-b', '--grace-period=1']);
    await until('pod on b gone', () => (podsOf('t=b').length === 0 ? true : undefined));
  } finally {
    await new Promise<void>((done) => {
      if (agent.exitCode !== null) return done();
      agent.once('exit', () => done());
      agent.kill('SIGTERM');
    });
    const left = await cleanNode(dataDir, bridge);
    rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(left, [], `the second node left things behind:\n${out.slice(-2000)}`);
  }
});
