// Pod volumes on a real node, driven by the real kubectl: configMap and secret
// volumes show their keys and follow updates, an emptyDir is shared by two
// containers, and a missing configMap is a FailedMount until it is created.
// Needs root, containerd and kubectl; skipped with the reason otherwise.
// The three pods are created together up front so their waits overlap.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type KubectlResult, ok } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = nodeSkipReason();
const skipMsg = skip && `skipped: ${skip}`;
const image = 'docker.io/library/busybox:1.35';

let node: RunningNode | undefined;
const kubectl = (args: string[], opts: { input?: string; timeoutMs?: number } = {}): KubectlResult => node!.kubectl(args, opts);

const pods = [
  {
    metadata: { name: 'cfg-reader' },
    spec: {
      containers: [{
        name: 'main',
        image,
        command: ['sh', '-c', 'cat /etc/secret/password; echo; while true; do echo "msg=$(cat /etc/cfg/message)"; sleep 1; done'],
        volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }, { name: 'sec', mountPath: '/etc/secret', readOnly: true }],
      }],
      volumes: [{ name: 'cfg', configMap: { name: 'greeting' } }, { name: 'sec', secret: { secretName: 'creds' } }],
    },
  },
  {
    metadata: { name: 'shared-dir' },
    spec: {
      containers: [
        { name: 'writer', image, command: ['sh', '-c', 'echo written-by-writer > /data/msg; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/data' }] },
        { name: 'reader', image, command: ['sh', '-c', 'until [ -f /in/msg ]; do sleep 0.2; done; cat /in/msg; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/in', readOnly: true }] },
      ],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    },
  },
  {
    metadata: { name: 'waits-for-config' },
    spec: {
      // echo: containerd writes a log line only once it ends with a newline.
      containers: [{ name: 'main', image, command: ['sh', '-c', 'cat /cfg/k; echo; sleep 3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
      volumes: [{ name: 'cfg', configMap: { name: 'late' } }],
    },
  },
];

before(async () => {
  if (skip) return;
  node = await startNode();
  ok(kubectl(['create', 'configmap', 'greeting', '--from-literal=message=hello-v1']));
  ok(kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']));
  for (const p of pods) ok(kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...p }) }));
});
after(async () => {
  await node?.stop();
});

async function eventually<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const logsContain = (pod: string, text: string, container?: string) => (): true | undefined =>
  kubectl(['logs', pod, ...(container ? ['-c', container] : [])]).stdout.includes(text) ? true : undefined;

test('a missing configMap is a FailedMount event; the pod starts once the configMap exists', { skip: skipMsg }, async () => {
  const message = await eventually('a FailedMount event', () => {
    const r = kubectl(['get', 'events', '--field-selector', 'involvedObject.name=waits-for-config', '-o', 'json']);
    if (r.status !== 0) return undefined;
    const items = (JSON.parse(r.stdout) as { items: { reason?: string; type?: string; message?: string }[] }).items;
    return items.find((e) => e.reason === 'FailedMount' && e.type === 'Warning')?.message;
  });
  assert.equal(message, 'MountVolume.SetUp failed for volume "cfg" : configmap "late" not found');
  const pod = JSON.parse(ok(kubectl(['get', 'pod', 'waits-for-config', '-o', 'json']))) as { status?: { phase?: string; containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } };
  assert.equal(pod.status?.phase, 'Pending');
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
  if (waiting !== undefined) assert.equal(waiting, 'ContainerCreating');

  ok(kubectl(['create', 'configmap', 'late', '--from-literal=k=finally']));
  ok(kubectl(['wait', '--for=condition=Ready', 'pod/waits-for-config', '--timeout=60s'], { timeoutMs: 70_000 }));
  await eventually('the configMap contents in the log', logsContain('waits-for-config', 'finally'));
});

test('an emptyDir is shared by the containers of a pod', { skip: skipMsg }, async () => {
  ok(kubectl(['wait', '--for=condition=Ready', 'pod/shared-dir', '--timeout=60s'], { timeoutMs: 70_000 }));
  await eventually('the reader to print what the writer wrote', logsContain('shared-dir', 'written-by-writer', 'reader'));
});

test('configMap and secret volumes show their keys and follow an update of the configMap', { skip: skipMsg }, async () => {
  ok(kubectl(['wait', '--for=condition=Ready', 'pod/cfg-reader', '--timeout=60s'], { timeoutMs: 70_000 }));
  await eventually('the secret and the configMap value in the log', () => logsContain('cfg-reader', 's3cret')() && logsContain('cfg-reader', 'msg=hello-v1')());
  ok(kubectl(['patch', 'configmap', 'greeting', '--type=merge', '-p', '{"data":{"message":"hello-v2"}}']));
  // The kubelet's refresh loop runs every 10 s; allow for it plus the container's 1 s loop.
  await eventually('the updated configMap value in the log', logsContain('cfg-reader', 'msg=hello-v2'), 40_000);
});

test('deleting the pods removes their volume directories from the node', { skip: skipMsg }, async () => {
  const uids = pods.map((p) => ok(kubectl(['get', 'pod', p.metadata.name, '-o', 'jsonpath={.metadata.uid}'])));
  const volumesDir = (uid: string) => join(node!.dataDir, 'agent', 'kubelet', 'pods', uid, 'volumes');
  for (const uid of uids) assert.ok(existsSync(volumesDir(uid)), `${volumesDir(uid)} exists while the pod runs`);
  ok(kubectl(['delete', 'pod', ...pods.map((p) => p.metadata.name), '--grace-period=1', '--wait=true'], { timeoutMs: 60_000 }));
  for (const uid of uids) {
    await eventually(`${volumesDir(uid)} to be removed`, () => (existsSync(volumesDir(uid)) ? undefined : true), 15_000);
  }
});
