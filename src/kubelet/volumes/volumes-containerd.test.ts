// The volume manager's mounts inside real containers (containerd + runc):
// configMap/secret contents, a shared emptyDir, a tmpfs, subPath. (Updates
// reaching a running container: test/e2e/volumes.test.ts.)
// Needs root and containerd; skipped with the reason otherwise.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resourceFor } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { realClock } from '../../machinery/clock.ts';
import { BUSYBOX_IMAGE, startTestContainerd, testContainerdMissing, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import type { ContainerConfig, Mount, PodSandboxConfig } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { createVolumeManager, type VolumeManager } from './volume-manager.ts';

const missing = testContainerdMissing();
const configMaps = resourceFor('', 'v1', 'configmaps')!;
const secrets = resourceFor('', 'v1', 'secrets')!;

let cluster: TestCluster;
let node: TestContainerd;
let rootDir: string;
let vm: VolumeManager;

before(async () => {
  if (missing) return;
  cluster = await startTestCluster();
  node = await startTestContainerd({ bridge: 'sk-h3', podCIDR: '10.88.3.0/24' });
  rootDir = mkdtempSync(join(tmpdir(), 'skiff-volc-'));
  vm = createVolumeManager({ client: cluster.client, nodeName: 'n1', clock: realClock, log: () => {}, rootDir });
});
after(async () => {
  if (missing) return;
  vm?.stop();
  await node?.cleanup();
  await cluster?.stop();
  if (rootDir) rmSync(rootDir, { recursive: true, force: true });
});

async function runPod(pod: Pod, mounts: Map<string, Mount[]>): Promise<{ sandbox: string; containers: Map<string, string> }> {
  const sbConfig: PodSandboxConfig = {
    metadata: { name: pod.metadata.name!, namespace: 'default', uid: pod.metadata.uid!, attempt: 0 },
    labels: {},
    annotations: {},
    linux: { securityContext: { namespaceOptions: { network: 'NODE' } } },
  };
  const sandbox = await node.cri.runPodSandbox(sbConfig);
  const containers = new Map<string, string>();
  for (const c of pod.spec.containers) {
    const config: ContainerConfig = {
      metadata: { name: c.name, attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: c.command ?? [],
      args: c.args ?? [],
      envs: [],
      labels: {},
      annotations: {},
      mounts: mounts.get(c.name) ?? [],
    };
    const id = await node.cri.createContainer(sandbox, config, sbConfig);
    await node.cri.startContainer(id);
    containers.set(c.name, id);
  }
  return { sandbox, containers };
}

async function sh(id: string, script: string): Promise<string> {
  const r = await node.cri.execSync(id, ['sh', '-c', script], 10);
  assert.equal(r.exitCode, 0, `${script}: ${r.stderr}`);
  return r.stdout;
}

test('configMap, secret, shared emptyDir, tmpfs and subPath inside real containers', { skip: missing && `skipped: ${missing}` }, async () => {
  await cluster.client.create(configMaps, 'default', { metadata: { name: 'web' }, data: { 'index.html': 'hello v1' } });
  await cluster.client.create(secrets, 'default', { metadata: { name: 'creds' }, data: { user: Buffer.from('admin').toString('base64') } });
  const pod: Pod = {
    metadata: { name: 'vols', namespace: 'default', uid: 'vols-uid-1' },
    spec: {
      volumes: [
        { name: 'cfg', configMap: { name: 'web' } },
        { name: 'sec', secret: { secretName: 'creds' } },
        { name: 'shared', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
      ],
      containers: [
        { name: 'writer', command: ['sh', '-c', 'echo from-writer > /shared/msg; sleep 3600'], volumeMounts: [
          { name: 'shared', mountPath: '/shared' },
          { name: 'cfg', mountPath: '/etc/web' },
          { name: 'sec', mountPath: '/etc/creds' },
          { name: 'mem', mountPath: '/mem' },
        ] },
        { name: 'reader', command: ['sleep', '3600'], volumeMounts: [
          { name: 'shared', mountPath: '/in', readOnly: true },
          { name: 'shared', mountPath: '/sub', subPath: 'nested/dir' },
        ] },
      ],
    },
  };
  const mounts = await vm.setUp(pod);
  const { sandbox, containers } = await runPod(pod, mounts);
  const writer = containers.get('writer')!;
  const reader = containers.get('reader')!;
  try {
    assert.equal(await sh(writer, 'cat /etc/web/index.html'), 'hello v1');
    assert.equal(await sh(writer, 'cat /etc/creds/user'), 'admin');
    // configMap and secret volumes are read-only in the container.
    const r = await node.cri.execSync(writer, ['sh', '-c', 'echo x > /etc/web/new'], 10);
    assert.notEqual(r.exitCode, 0);
    assert.match(await sh(writer, 'grep " /mem " /proc/mounts'), /tmpfs/);

    // One container writes, the other reads.
    let seen = '';
    for (let i = 0; i < 50 && seen !== 'from-writer\n'; i++) {
      seen = (await node.cri.execSync(reader, ['cat', '/in/msg'], 10)).stdout;
      if (seen !== 'from-writer\n') await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(seen, 'from-writer\n');
    assert.notEqual((await node.cri.execSync(reader, ['sh', '-c', 'echo x > /in/other'], 10)).exitCode, 0, 'readOnly mount');
    await sh(reader, 'echo deep > /sub/f');
    assert.equal(await sh(writer, 'cat /shared/nested/dir/f'), 'deep\n');
  } finally {
    await node.cri.stopPodSandbox(sandbox);
    await node.cri.removePodSandbox(sandbox);
    await vm.tearDown(pod);
  }
});
