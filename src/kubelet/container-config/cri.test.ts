// The sandbox and container configs this folder builds, run on a real
// containerd: env and $(VAR) expansion, runAsUser, capabilities (CRI names
// without CAP_), read-only rootfs, the memory limit (OOMKilled), DNS and the
// termination message. Needs root and containerd; skips with the reason otherwise.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestContainerd, testContainerdMissing, BUSYBOX_IMAGE, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import { buildContainerConfig } from '../container-config.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { buildSandboxConfig } from '../sandbox-config.ts';
import type { ContainerSpec, Pod } from '../types.ts';
import { readTerminationMessage } from './termination-message.ts';

const skip = process.getuid?.() !== 0 ? 'not root' : testContainerdMissing();
if (skip) console.log(`# container config on containerd skipped: ${skip}`);

type Run = { status: ContainerStatus; log: string; message: string };

const cases: [string, ContainerSpec, Partial<Pod['spec']>?][] = [
  [
    'env',
    {
      name: 'main',
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', 'echo "$(GREETING) $POD_NAME $POD_IP $APP $$(echo sub)"; id -u; id -G; grep -E "^(nameserver|search)" /etc/resolv.conf; hostname; cat /proc/sys/net/ipv4/ip_unprivileged_port_start'],
      env: [
        { name: 'WHO', value: 'skiff' },
        { name: 'GREETING', value: 'hello-$(WHO)' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
      securityContext: { runAsUser: 65534 },
    },
    { securityContext: { runAsGroup: 65534, supplementalGroups: [1234], sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] } },
  ],
  [
    'caps',
    {
      name: 'main',
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', 'grep CapEff /proc/self/status; touch /probe && echo writable || echo read-only'],
      securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    },
  ],
  ['oom', { name: 'main', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'x=a; while :; do x=$x$x; done'], resources: { limits: { memory: '16Mi' } } }],
  [
    'guaranteed',
    {
      name: 'main',
      image: BUSYBOX_IMAGE,
      command: ['sh', '-c', 'cat /proc/self/oom_score_adj /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/memory/memory.limit_in_bytes'],
      resources: { limits: { cpu: '500m', memory: '32Mi' } },
    },
  ],
  ['msg', { name: 'main', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo bye > /dev/termination-log; exit 3'] }],
  ['msg2', { name: 'main', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo custom > /tmp/why'], terminationMessagePath: '/tmp/why', securityContext: { runAsUser: 65534 } }],
  ['msg3', { name: 'main', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo one; echo two; exit 1'], terminationMessagePolicy: 'FallbackToLogsOnError' }],
];

describe('container configs on containerd', { skip: skip ?? false }, () => {
  let t: TestContainerd;
  let rootDir: string;
  // Every pod starts at once in before(): sandboxes are slow on a busy machine, and independent.
  const pods = new Map<string, Promise<Run>>();
  const result = (name: string): Promise<Run> => pods.get(name)!;
  before(async () => {
    t = await startTestContainerd({ bridge: 'sk-h2', podCIDR: '10.88.2.0/24' });
    rootDir = mkdtempSync('/tmp/skh2-root-');
    for (const [name, c, spec] of cases) {
      const p = runPod(name, c, spec);
      p.catch(() => {});
      pods.set(name, p);
    }
    await Promise.allSettled(pods.values());
  });
  after(async () => {
    await t?.cleanup();
    if (rootDir) rmSync(rootDir, { recursive: true, force: true });
  });

  /** Runs a one-container pod to its exit; returns the status, its log and the message. */
  async function runPod(name: string, c: ContainerSpec, spec: Partial<Pod['spec']> = {}): Promise<Run> {
    const pod: Pod = { metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: name } }, spec: { nodeName: 'n1', containers: [c], restartPolicy: 'Never', ...spec } };
    const sbConfig = buildSandboxConfig(pod, { nodeName: 'n1', logRoot: join(t.dataDir, 'pod-logs'), clusterDNS: ['10.43.0.10'] }, 0);
    const sandboxId = await t.cri.runPodSandbox(sbConfig);
    const ip = (await t.cri.podSandboxStatus(sandboxId)).network.ip;
    const built = await buildContainerConfig({ podIP: ip, hostIP: '192.0.2.1', rootDir, allocatable: { memory: '8Gi' }, event: () => {} }, pod, c, { attempt: 0, init: false, mounts: [], sandboxConfig: sbConfig });
    assert.equal(built.kind, 'ok', JSON.stringify(built));
    if (built.kind !== 'ok') throw new Error('unreachable');
    const id = await t.cri.createContainer(sandboxId, { ...built.config, image: { image: BUSYBOX_IMAGE } }, sbConfig);
    await t.cri.startContainer(id);
    const deadline = Date.now() + 10_000;
    let status = await t.cri.containerStatus(id);
    while (status.state !== 'CONTAINER_EXITED') {
      if (Date.now() > deadline) throw new Error(`container ${name} did not exit`);
      await new Promise((r) => setTimeout(r, 50));
      status = await t.cri.containerStatus(id);
    }
    const log = readFileSync(status.logPath!, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').slice(3).join(' '))
      .join('\n');
    const message = await readTerminationMessage(pod, c, status);
    await t.cri.stopPodSandbox(sandboxId);
    await t.cri.removePodSandbox(sandboxId);
    return { status, log, message };
  }

  test('env, expansion, user, groups, DNS, hostname and sysctls reach the process', async () => {
    const r = await result('env');
    const lines = r.log.split('\n');
    assert.match(lines[0] ?? '', /^hello-skiff env 10\.88\.2\.\d+ env sub$/);
    assert.equal(lines[1], '65534');
    assert.deepEqual(lines[2]?.split(' ').sort(), ['1234', '65534']);
    assert.ok(lines.includes('nameserver 10.43.0.10'), r.log);
    assert.ok(lines.some((l) => l.startsWith('search default.svc.cluster.local svc.cluster.local cluster.local')), r.log);
    assert.equal(lines.at(-2), 'env');
    assert.equal(lines.at(-1), '80');
    assert.equal(r.status.exitCode, 0);
  });

  test('capabilities: add NET_ADMIN after dropping ALL leaves exactly that bit; read-only rootfs', async () => {
    const r = await result('caps');
    // CAP_NET_ADMIN is capability 12.
    assert.match(r.log, /CapEff:\s+0000000000001000/);
    assert.match(r.log, /read-only/);
  });

  test('a memory limit OOM-kills an allocator: reason OOMKilled', async () => {
    const r = await result('oom');
    assert.equal(r.status.reason, 'OOMKilled');
    assert.equal(r.status.exitCode, 137);
  });

  test('a Guaranteed container gets its CPU quota, shares and memory limit; its OOM score is clamped by containerd, not refused', async () => {
    const r = await result('guaranteed');
    const [adj, quota, shares, mem] = r.log.split('\n');
    // restrict_oom_score_adj: containerd never goes below its own score.
    assert.ok(Number(adj) >= -997 && Number(adj) <= 0, r.log);
    assert.equal(quota, '50000');
    assert.equal(shares, '512');
    assert.equal(mem, String(32 * 1024 * 1024));
  });

  test('termination message from the file, and from the log on failure', async () => {
    const file = await result('msg');
    assert.equal(file.status.exitCode, 3);
    assert.equal(file.message, 'bye\n');
    assert.equal((await result('msg2')).message, 'custom\n');
    assert.equal((await result('msg3')).message, 'one\ntwo\n');
  });
});
