// A node survives its agent's restart: `skiff server` stopped (SIGTERM or
// kill -9) and started again on the same data dir adopts the pods that kept
// running, without restarting them; pods removed while it was down leave
// nothing behind once it is back.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectCri } from '../../src/kubelet/cri/cri-client.ts';
import { makeKubectl, poll, startServer } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = nodeSkipReason();
if (skip) console.log(`# skipping agent restart e2e: ${skip}`);

let node: RunningNode;
const k = (args: string[], input?: string) => {
  const r = node.kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
};

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> =>
  poll(what, fn, { timeoutMs, intervalMs: 250, output: () => node.server.output() });

const webPod = () => {
  const items = JSON.parse(k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as any[];
  return items.find((p) => !p.metadata.deletionTimestamp && p.status?.containerStatuses?.[0]?.state?.running && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
};

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: app
        image: busybox:1.35
        command: ['sh', '-c', 'trap "exit 0" TERM; echo started; while true; do sleep 1; done']
`;

before(async () => {
  if (!skip) node = await startNode();
});
after(async () => {
  await node?.stop();
});

test('a running pod keeps its container across SIGTERM and kill -9 restarts of skiff server', { skip }, async () => {
  k(['apply', '-f', '-'], deployment);
  const first = await until('the web pod running', webPod, 60_000);
  const id = first.status.containerStatuses[0].containerID;
  for (const kill9 of [false, true]) {
    await node.restart({ kill9 });
    // Give a kubelet that wrongly restarts it time to do so.
    await new Promise((r) => setTimeout(r, 4000));
    const pod = await until('the web pod reported by the new kubelet', webPod);
    assert.equal(pod.metadata.name, first.metadata.name, `restart (kill9=${kill9}) replaced the pod`);
    assert.equal(pod.status.containerStatuses[0].containerID, id, `restart (kill9=${kill9}) replaced the container`);
    assert.equal(pod.status.containerStatuses[0].restartCount, 0);
    assert.match(node.server.output(), /adopted running sandbox/);
    assert.match(k(['logs', pod.metadata.name]), /started/);
    assert.equal(k(['exec', pod.metadata.name, '--', 'echo', 'hi']).trim(), 'hi');
  }
  // The new kubelet drives the adopted pod: a container that exits is seen and restarted.
  k(['exec', first.metadata.name, '--', 'kill', '1']);
  const restarted = await until('the adopted container restarted', () => {
    const p = webPod();
    return p?.status.containerStatuses[0].restartCount === 1 ? p : undefined;
  });
  assert.equal(restarted.metadata.name, first.metadata.name);
  assert.notEqual(restarted.status.containerStatuses[0].containerID, id);
});

/** The pause process of a sandbox: `/bin/sh /pause`, a child of the shim started with `-id <sandbox>`. */
function pausePid(sandboxId: string): number | undefined {
  const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const cmd = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      return '';
    }
  };
  const shim = procs.find((p) => cmd(p).includes('containerd-shim') && cmd(p).includes(`-id ${sandboxId}`));
  if (!shim) return undefined;
  const ppid = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1];
    } catch {
      return undefined;
    }
  };
  const pause = procs.find((p) => ppid(p) === shim && cmd(p) === '/bin/sh /pause');
  return pause ? Number(pause) : undefined;
}

test('a sandbox killed outside the kubelet is re-created and its containers restarted', { skip }, async () => {
  const pod = await until('the web pod running', webPod);
  const before = pod.status.containerStatuses[0].restartCount as number;
  const cri = await connectCri(`unix://${join(node.dataDir, 'agent/containerd/containerd.sock')}`);
  try {
    const [sb] = await cri.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { 'io.kubernetes.pod.uid': pod.metadata.uid } });
    assert.ok(sb, 'the pod has a ready sandbox');
    const pid = pausePid(sb.id);
    assert.ok(pid, `no pause process found for sandbox ${sb.id}`);
    process.kill(pid, 'SIGKILL');
    const after = await until('the pod running again in a new sandbox', () => {
      const p = webPod();
      return p && p.status.containerStatuses[0].restartCount === before + 1 ? p : undefined;
    }, 45_000);
    assert.equal(after.metadata.name, pod.metadata.name);
    const live = await cri.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { 'io.kubernetes.pod.uid': pod.metadata.uid } });
    assert.deepEqual(live.map((s) => s.metadata.attempt), [sb.metadata.attempt + 1]);
    assert.match(k(['get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`]), /SandboxChanged/);
    assert.equal(k(['exec', pod.metadata.name, '--', 'echo', 'hi']).trim(), 'hi');
  } finally {
    cri.close();
  }
});

test('pods deleted while the agent is down leave no sandbox, container, veth or mount', { skip }, async () => {
  k(['run', 'lone', '--image=busybox:1.35', '--restart=Never', '--', 'sleep', '3600']);
  await until('pod lone running', () => JSON.parse(k(['get', 'pod', 'lone', '-o', 'json'])).status?.containerStatuses?.[0]?.state?.running);
  const uids = [JSON.parse(k(['get', 'pod', 'lone', '-o', 'json'])).metadata.uid as string, webPod().metadata.uid as string];
  await node.restart({
    between: async () => {
      // The control plane alone on the same data dir: scale down (graceful) and force-delete (gone from the API).
      const cp = await startServer([], node.dataDir);
      try {
        const kc = makeKubectl(cp);
        for (const args of [['scale', 'deployment/web', '--replicas=0'], ['delete', 'pod', 'lone', '--force', '--grace-period=0']]) {
          const r = kc(args);
          assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
        }
      } finally {
        await cp.stop();
      }
    },
  });
  await until('no pods left', () => JSON.parse(k(['get', 'pods', '-o', 'json'])).items.length === 0);
  const cri = await connectCri(`unix://${join(node.dataDir, 'agent/containerd/containerd.sock')}`);
  try {
    await until('no sandboxes or containers left', async () => (await cri.listPodSandbox()).length === 0 && (await cri.listContainers()).length === 0);
  } finally {
    cri.close();
  }
  assert.match(node.server.output(), /pod default\/lone \(\S+\) is no longer on this node: removing its 1 sandbox/);
  assert.equal(spawnSync('ip', ['-o', 'link', 'show', 'master', node.bridge], { encoding: 'utf8' }).stdout.trim(), '', 'veths left on the bridge');
  const mounts = spawnSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(join(node.dataDir, 'agent/kubelet/pods')));
  assert.deepEqual(mounts, []);
  const podDirs = join(node.dataDir, 'agent/kubelet/pods');
  for (const uid of uids) assert.equal(existsSync(join(podDirs, uid)), false, `pods/${uid} left behind (have: ${existsSync(podDirs) ? readdirSync(podDirs).join(', ') : 'none'})`);
});
