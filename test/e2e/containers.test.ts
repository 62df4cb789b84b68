// Containers on a real node, driven by the real kubectl: env from a
// configMap, a secret and the downward API, runAsUser, a memory limit that
// OOM-kills, a failing liveness probe that restarts the container, a missing
// configMap that holds the container in CreateContainerConfigError until it
// exists, the termination message, runAsNonRoot decided by the image's user,
// and container log rotation (small limits on this node) under kubectl logs -f. Needs root, containerd and kubectl;
// skipped with the reason otherwise.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type KubectlResult, ok } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = process.getuid?.() !== 0 ? 'not root' : nodeSkipReason();
if (skip) console.log(`# containers e2e skipped: ${skip}`);
const skipMsg = skip ? `skipped: ${skip}` : false;

const image = 'docker.io/library/busybox:1.35';
let node: RunningNode | undefined;
const kubectl = (args: string[], opts?: { input?: string }): KubectlResult => node!.kubectl(args, opts);

async function eventually<T>(what: string, fn: () => T | undefined, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

type PodView = { status?: { phase?: string; containerStatuses?: { restartCount: number; state: Record<string, { reason?: string; message?: string; exitCode?: number }>; lastState: Record<string, { reason?: string }> }[] } };
function getPod(name: string): PodView | undefined {
  const r = kubectl(['get', 'pod', name, '-o', 'json']);
  return r.status === 0 ? (JSON.parse(r.stdout) as PodView) : undefined;
}
const container = (name: string) => getPod(name)?.status?.containerStatuses?.[0];

const pod = (name: string, c: object, spec: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image, ...c }], ...spec } });

before(async () => {
  if (skip) return;
  // Logs rotate at 4 KiB, checked every second, 3 files kept (the kubelet's defaults: 10Mi, 10 s, 5).
  node = await startNode({ args: ['--container-log-max-size', '4Ki', '--container-log-max-files', '3', '--container-log-monitor-interval', '1s'] });
  ok(kubectl(['create', 'configmap', 'settings', '--from-literal=color=blue', '--from-literal=size=L']));
  ok(kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']));
  const pods = [
    pod(
      'env-reader',
      {
        command: ['sh', '-c', 'echo "color=$COLOR password=$PASSWORD pod=$POD_NAME ns=$POD_NS node=$NODE app=$APP mem=$MEM_MI greeting=$(GREETING) size=$size"; id -u'],
        envFrom: [{ configMapRef: { name: 'settings' } }],
        env: [
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'GREETING', value: 'hi-$(COLOR)' },
        ],
        resources: { limits: { memory: '64Mi' } },
        securityContext: { runAsUser: 65534 },
      },
    ),
    pod('oom', { command: ['sh', '-c', 'x=a; while :; do x=$x$x; done'], resources: { limits: { memory: '16Mi' } } }),
    pod(
      'unhealthy',
      { command: ['sleep', '3600'], livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 } },
      { restartPolicy: 'Always', terminationGracePeriodSeconds: 1 },
    ),
    pod('late-config', { command: ['sh', '-c', 'echo "late=$LATE"; sleep 3600'], env: [{ name: 'LATE', valueFrom: { configMapKeyRef: { name: 'late', key: 'value' } } }] }, { terminationGracePeriodSeconds: 1 }),
    pod('last-words', { command: ['sh', '-c', 'echo bye > /dev/termination-log; exit 3'] }),
    // No runAsUser: the image's user decides (busybox-nonroot's config says 65534, busybox's nothing, i.e. root).
    pod('nonroot-image', { image: 'docker.io/skiff/busybox-nonroot:1', command: ['id', '-u'] }, { securityContext: { runAsNonRoot: true } }),
    pod('root-image', { command: ['id', '-u'] }, { securityContext: { runAsNonRoot: true } }),
    // About 8 KiB a second: a rotation every second or so.
    pod('chatty', { command: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "line $i ........................................................................"; usleep 10000; done'] }, { terminationGracePeriodSeconds: 1 }),
  ];
  for (const p of pods) ok(kubectl(['apply', '-f', '-'], { input: JSON.stringify(p) }));
});

after(async () => {
  if (!node) return;
  await node.removeAllPods();
  await node.stop();
});

test('env from a configMap, a secret and the downward API; runAsUser', { skip: skipMsg }, async () => {
  await eventually('env-reader to finish', () => (getPod('env-reader')?.status?.phase === 'Succeeded' ? true : undefined));
  const logs = ok(kubectl(['logs', 'env-reader'])).trim().split('\n');
  assert.equal(logs[0], `color=blue password=s3cret pod=env-reader ns=default node=${node!.nodeName} app=env-reader mem=64 greeting=hi-blue size=L`);
  assert.equal(logs[1], '65534');
});

test('a memory limit OOM-kills the allocator: terminated reason OOMKilled', { skip: skipMsg }, async () => {
  const st = await eventually('oom to be killed', () => container('oom')?.state['terminated']);
  assert.equal(st.reason, 'OOMKilled');
  assert.equal(st.exitCode, 137);
});

test('a failing liveness probe restarts the container', { skip: skipMsg }, async () => {
  const c = await eventually('a restart', () => {
    const s = container('unhealthy');
    return s && s.restartCount >= 1 ? s : undefined;
  });
  assert.ok(c.lastState['terminated'], JSON.stringify(c));
  const events = ok(kubectl(['get', 'events', '--field-selector', 'involvedObject.name=unhealthy', '-o', 'jsonpath={.items[*].reason}']));
  assert.match(events, /Unhealthy/);
});

test('a missing configMap is CreateContainerConfigError until it is created', { skip: skipMsg }, async () => {
  const waiting = await eventually('CreateContainerConfigError', () => {
    const w = container('late-config')?.state['waiting'];
    return w?.reason === 'CreateContainerConfigError' ? w : undefined;
  });
  assert.equal(waiting.message, 'configmap "late" not found');
  ok(kubectl(['create', 'configmap', 'late', '--from-literal=value=now']));
  await eventually('late-config to run', () => (container('late-config')?.state['running'] ? true : undefined), 60_000);
  await eventually('its log', () => (kubectl(['logs', 'late-config']).stdout.includes('late=now') ? true : undefined));
});

test('the termination message becomes the terminated state message', { skip: skipMsg }, async () => {
  const st = await eventually('last-words to exit', () => container('last-words')?.state['terminated']);
  assert.equal(st.exitCode, 3);
  assert.equal(st.message, 'bye\n');
});

test('runAsNonRoot without runAsUser: an image whose user is a non-zero uid runs as it, a root image is refused', { skip: skipMsg }, async () => {
  await eventually('nonroot-image to finish', () => (getPod('nonroot-image')?.status?.phase === 'Succeeded' ? true : undefined));
  assert.equal(ok(kubectl(['logs', 'nonroot-image'])).trim(), '65534');
  const waiting = await eventually('root-image refused', () => {
    const w = container('root-image')?.state['waiting'];
    return w?.reason === 'CreateContainerConfigError' ? w : undefined;
  });
  assert.match(waiting.message ?? '', /^container has runAsNonRoot and image will run as root \(pod: "root-image_default\([0-9a-f-]+\)", container: main\)$/);
});

test('container logs rotate at the node\'s size limit; kubectl logs -f follows across rotations without losing a line', { skip: skipMsg }, async () => {
  const uid = JSON.parse(ok(kubectl(['get', 'pod', 'chatty', '-o', 'json']))).metadata.uid as string;
  const dir = join(node!.dataDir, 'agent/pod-logs', `default_chatty_${uid}`, 'main');
  const rotated = () => {
    try {
      return readdirSync(dir).filter((n) => /^0\.log\.\d{8}-\d{6}/.test(n));
    } catch {
      return [];
    }
  };
  await eventually('a rotated log', () => (rotated().length > 0 ? true : undefined));
  const follow = spawn('kubectl', ['--kubeconfig', node!.server.kubeconfig, 'logs', '-f', 'chatty'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  follow.stdout.setEncoding('utf8').on('data', (d: string) => void (out += d));
  const seen = new Set<string>();
  // Several rotations under the follower; never more than 2 rotated files beside the current one.
  const deadline = Date.now() + 6000;
  while (Date.now() < deadline) {
    const now = rotated();
    assert.ok(now.length <= 2, `at most containerLogMaxFiles - 1 rotated files: ${now.join(', ')}`);
    for (const n of now) seen.add(n);
    await new Promise((r) => setTimeout(r, 200));
  }
  follow.kill();
  assert.ok(seen.size >= 3, `rotations while following: ${[...seen].join(', ')}`);
  const numbers = [...out.matchAll(/^line (\d+) /gm)].map((m) => Number(m[1]));
  assert.ok(numbers.length > 100, `${numbers.length} lines followed`);
  numbers.forEach((n, i) => i > 0 && assert.equal(n, numbers[i - 1]! + 1, `line ${n} follows line ${numbers[i - 1]} in kubectl logs -f`));
  // A plain read shows the current file.
  assert.match(ok(kubectl(['logs', 'chatty', '--tail', '1'])), /^line \d+ \.+\n$/);
});
