// How the pod and container settings the kubelet passes through CRI land in a
// real container: mounts, users, capabilities, DNS, hostPort, host network.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { runtimeLabels, type ContainerConfig, type PodSandboxConfig } from '../runtime/runtime.ts';
import { BUSYBOX_IMAGE, startTestContainerd, testContainerdMissing, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import { CriError } from './cri-client.ts';

const sandboxConfig = (t: TestContainerd, uid: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({
  metadata: { name: `pod-${uid}`, namespace: 'default', uid, attempt: 0 },
  hostname: `pod-${uid}`,
  logDirectory: join(t.dataDir, 'pod-logs', uid),
  labels: { [runtimeLabels.podUid]: uid },
  annotations: {},
  ...extra,
});

const container = (script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  metadata: { name: 'app', attempt: 0 },
  image: { image: BUSYBOX_IMAGE },
  command: ['sh', '-c', script],
  args: [],
  envs: [],
  labels: {},
  annotations: {},
  logPath: 'app/0.log',
  ...extra,
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const skip = testContainerdMissing();
if (skip) console.log(`# CRI config tests skipped: ${skip}`);

describe('CRI settings in a real container', { skip: skip ?? false }, () => {
  let t: TestContainerd;
  before(async () => {
    t = await startTestContainerd({ bridge: 'sk-h1c', podCIDR: '10.88.1.128/26' });
  });
  after(() => t?.cleanup());

  test('mounts, user and groups, capabilities, DNS, hostname, pid namespace, hostPort, exec timeout', async () => {
    const cri = t.cri;
    const vol = join(t.dataDir, 'vol');
    mkdirSync(vol);
    writeFileSync(join(vol, 'f'), 'data\n');
    const hostPort = await freePort();
    const sbc = sandboxConfig(t, 'cfg', {
      dnsConfig: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] },
      portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }],
      linux: { securityContext: { namespaceOptions: { pid: 'CONTAINER' } } },
    });
    const sb = await cri.runPodSandbox(sbc);
    const id = await cri.createContainer(
      sb,
      container('echo ok > /tmp/index.html; exec httpd -f -p 8080 -h /tmp', {
        mounts: [{ containerPath: '/data', hostPath: vol, readonly: true }],
        linux: { securityContext: { runAsUser: 65534, runAsGroup: 65534, supplementalGroups: [1234], capabilities: { dropCapabilities: ['ALL'] }, namespaceOptions: { pid: 'CONTAINER' } } },
      }),
      sbc,
    );
    await cri.startContainer(id);
    const sh = async (cmd: string) => (await cri.execSync(id, ['sh', '-c', cmd], 5)).stdout.trim();
    assert.equal(await sh('id'), 'uid=65534(nobody) gid=65534(nobody) groups=1234,65534(nobody)');
    assert.equal(await sh('cat /data/f; touch /data/x 2>/dev/null || echo read-only'), 'data\nread-only');
    assert.equal(await sh('grep CapEff /proc/self/status'), 'CapEff:\t0000000000000000');
    assert.equal(await sh('hostname'), 'pod-cfg');
    assert.equal(await sh('cat /etc/resolv.conf'), 'search default.svc.cluster.local svc.cluster.local\nnameserver 10.43.0.10\noptions ndots:5');
    assert.equal(await sh('ps -o pid,comm | tail -n +2 | grep -c httpd'), '1', 'own pid namespace: httpd is there...');
    assert.equal(await sh('ps -o comm | grep -c pause || true'), '0', '...and the pause process is not');

    const nodeIP = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    for (const host of ['127.0.0.1', ...(nodeIP ? [nodeIP] : [])]) {
      const r = await fetch(`http://${host}:${hostPort}/index.html`, { signal: AbortSignal.timeout(3000) });
      assert.equal(await r.text(), 'ok\n', `hostPort ${hostPort} on ${host}`);
    }

    await assert.rejects(cri.execSync(id, ['sleep', '5'], 1), (e) => e instanceof CriError && e.code === 4 && /timeout 1s exceeded/.test(e.message));
    await cri.stopPodSandbox(sb);
    await cri.removePodSandbox(sb);
  });

  test('host network: no hostname, no pod IP, the node interfaces', async () => {
    const cri = t.cri;
    const sbc = sandboxConfig(t, 'hostnet', { hostname: '', linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } });
    const sb = await cri.runPodSandbox(sbc);
    assert.equal((await cri.podSandboxStatus(sb)).network.ip, '');
    const id = await cri.createContainer(sb, container('sleep 60', { linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } }), sbc);
    await cri.startContainer(id);
    const ifaces = (await cri.execSync(id, ['cat', '/proc/net/dev'], 5)).stdout;
    assert.match(ifaces, /\bsk-h1c:/, 'sees the node bridge');
    await cri.stopPodSandbox(sb);
    await cri.removePodSandbox(sb);
  });
});
