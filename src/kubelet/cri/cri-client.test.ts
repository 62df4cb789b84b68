// The CRI client on a real containerd: a busybox httpd pod end to end, exit
// reasons, pulls from a local registry, and a clean teardown. Prints the
// RunPodSandbox / CreateContainer / StartContainer timings it sees.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runtimeLabels, type ContainerConfig, type PodSandboxConfig } from '../runtime/runtime.ts';
import { BUSYBOX_IMAGE, IMAGES_DIR, startTestContainerd, testContainerdMissing, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import { startTestRegistry, testRegistryMissing, type TestRegistry } from '../containerd/testing/test-registry.ts';
import { connectCri, isCriNotFound } from './cri-client.ts';

const run = promisify(execFile);
const BRIDGE = 'sk-h1b';
const MEMORY_CGROUP = '/sys/fs/cgroup/memory/k8s.io';

const sandboxConfig = (t: TestContainerd, uid: string): PodSandboxConfig => ({
  metadata: { name: `pod-${uid}`, namespace: 'default', uid, attempt: 0 },
  hostname: `pod-${uid}`,
  logDirectory: join(t.dataDir, 'pod-logs', `default_pod-${uid}_${uid}`),
  labels: { [runtimeLabels.podUid]: uid },
  annotations: {},
});

const container = (name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  metadata: { name, attempt: 0 },
  image: { image: BUSYBOX_IMAGE },
  command: ['sh', '-c', script],
  args: [],
  envs: [{ key: 'GREETING', value: 'hello from skiff' }],
  labels: { [runtimeLabels.containerName]: name },
  annotations: {},
  logPath: `${name}/0.log`,
  ...extra,
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bridgePorts = async (): Promise<string[]> =>
  (await run('ip', ['-o', 'link', 'show', 'master', BRIDGE]).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);

const skip = testContainerdMissing() ?? testRegistryMissing();
if (skip) console.log(`# CRI client tests skipped: ${skip}`);

describe('CRI client on containerd', { skip: skip ?? false }, () => {
  let t: TestContainerd;
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
    t = await startTestContainerd({ bridge: BRIDGE, podCIDR: '10.88.1.64/26' });
  });
  after(async () => {
    await t?.cleanup();
    await registry?.stop();
    assert.equal(existsSync(t.dataDir), false, 'the data dir is removed');
  });

  test('an httpd pod: reachable pod IP, memory limit, exec exit codes, logs, and a clean teardown', async () => {
    const cri = t.cri;
    const sbc = sandboxConfig(t, 'web');
    const timings: Record<string, number> = {};
    let t0 = performance.now();
    const sb = await cri.runPodSandbox(sbc);
    timings['RunPodSandbox'] = performance.now() - t0;
    const ip = (await cri.podSandboxStatus(sb)).network.ip;
    assert.match(ip, /^10\.88\.1\.\d+$/);

    const script = 'echo started; echo oops >&2; mkdir -p /www; echo "$GREETING" > /www/index.html; exec httpd -f -p 8080 -h /www';
    t0 = performance.now();
    const id = await cri.createContainer(sb, container('web', script, { linux: { resources: { memoryLimitInBytes: 64 << 20, cpuShares: 512 } } }), sbc);
    timings['CreateContainer'] = performance.now() - t0;
    t0 = performance.now();
    await cri.startContainer(id);
    timings['StartContainer'] = performance.now() - t0;
    console.log(`# timings (ms): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);

    // The pod IP answers from the host, through the bridge.
    const body = await waitFor('httpd on the pod IP', async () => {
      const r = await fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(1000) });
      return r.ok ? r.text() : undefined;
    });
    assert.equal(body, 'hello from skiff\n');

    // The memory limit is in the container's cgroup, seen from inside and from the host.
    assert.equal((await cri.execSync(id, ['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], 5)).stdout.trim(), String(64 << 20));
    assert.equal(readFileSync(join(MEMORY_CGROUP, id, 'memory.limit_in_bytes'), 'utf8').trim(), String(64 << 20));

    // ExecSync: exit codes and both output streams.
    assert.deepEqual(await cri.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 7'], 5), { stdout: 'out\n', stderr: 'err\n', exitCode: 7 });
    assert.equal((await cri.execSync(id, ['true'], 5)).exitCode, 0);

    // Logs in CRI format at the absolute path the status reports.
    const st = await cri.containerStatus(id);
    assert.equal(st.podSandboxId, sb);
    assert.equal(st.logPath, join(sbc.logDirectory!, 'web/0.log'));
    const log = await waitFor('both log lines', async () => {
      const text = readFileSync(st.logPath!, 'utf8');
      return text.includes('stderr F oops') ? text : undefined;
    });
    assert.match(log, /^\d{4}-\d\d-\d\dT[\d:.]+Z stdout F started$/m);
    assert.match(log, /^\d{4}-\d\d-\d\dT[\d:.]+Z stderr F oops$/m);

    // Streaming calls answer one-use URLs on containerd's streaming server.
    assert.match((await cri.exec({ containerId: id, cmd: ['ls'], tty: false, stdin: false, stdout: true, stderr: true })).url, /^http:\/\/127\.0\.0\.1:\d+\/exec\//);
    assert.match((await cri.attach({ containerId: id, tty: false, stdin: false, stdout: true, stderr: true })).url, /^http:\/\/127\.0\.0\.1:\d+\/attach\//);
    assert.match((await cri.portForward({ podSandboxId: sb, port: [8080] })).url, /^http:\/\/127\.0\.0\.1:\d+\/portforward\//);

    const stats = await cri.listContainerStats({ podSandboxId: sb });
    assert.deepEqual(stats.map((s) => [s.containerId, s.name, s.podSandboxId]), [[id, 'web', sb]]);
    assert.ok(stats[0]!.memoryWorkingSetBytes > 0);

    // Teardown: the network namespace, the veth, the IP and the mounts go with the sandbox.
    const pid = readFileSync(join(MEMORY_CGROUP, id, 'cgroup.procs'), 'utf8').trim().split('\n')[0]!;
    const netns = (await run('ip', ['netns', 'identify', pid])).stdout.trim();
    assert.ok(netns && existsSync(`/var/run/netns/${netns}`), `the pod has a named netns (${netns})`);
    assert.equal((await bridgePorts()).length, 1);
    await cri.stopPodSandbox(sb);
    assert.equal((await cri.containerStatus(id)).state, 'CONTAINER_EXITED');
    await cri.removePodSandbox(sb);
    assert.deepEqual(await cri.listPodSandbox(), []);
    assert.deepEqual(await cri.listContainers(), []);
    await assert.rejects(cri.containerStatus(id), (e) => isCriNotFound(e));
    assert.equal(existsSync(`/var/run/netns/${netns}`), false, 'netns removed');
    assert.deepEqual(await bridgePorts(), [], 'veth removed');
    const ipam = join(t.dataDir, 'cni-ipam', 'skiff');
    assert.equal(existsSync(ipam) && readdirSync(ipam).includes(ip), false, 'IP released');
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(sb), false, 'sandbox mounts gone');
  });

  test('exit reasons: Completed, Error with the code, OOMKilled over the memory limit', async () => {
    const cri = t.cri;
    const sbc = sandboxConfig(t, 'exits');
    const sb = await cri.runPodSandbox(sbc);
    const start = async (name: string, script: string, memory?: number) => {
      const id = await cri.createContainer(sb, container(name, script, memory ? { linux: { resources: { memoryLimitInBytes: memory } } } : {}), sbc);
      await cri.startContainer(id);
      return id;
    };
    const ok = await start('ok', 'exit 0');
    const bad = await start('bad', 'exit 3');
    // Command substitution keeps the whole stream in the shell's memory.
    const oom = await start('oom', 'x=$(head -c 100000000 /dev/zero | tr "\\000" x); echo survived', 16 << 20);
    const exited = async (id: string) => waitFor(`container ${id} to exit`, async () => {
      const s = await cri.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    const [okSt, badSt, oomSt] = await Promise.all([exited(ok), exited(bad), exited(oom)]);
    assert.deepEqual([okSt.exitCode, okSt.reason], [0, 'Completed']);
    assert.deepEqual([badSt.exitCode, badSt.reason], [3, 'Error']);
    assert.deepEqual([oomSt.exitCode, oomSt.reason], [137, 'OOMKilled']);
    // A fast exit may be stamped before containerd records the start: only check both are set.
    assert.ok(badSt.startedAt > 0 && badSt.finishedAt > 0);
    await cri.stopPodSandbox(sb);
    await cri.removePodSandbox(sb);
  });

  test('PullImage from a plain-http registry on 127.0.0.1, then run it', async () => {
    const cri = t.cri;
    const ref = await registry.push(join(IMAGES_DIR, 'busybox.tar'), 'skiff/pulled:1');
    assert.equal(await cri.imageStatus(ref), undefined);
    const imageRef = await cri.pullImage(ref);
    assert.match(imageRef, /^sha256:[0-9a-f]{64}$/);
    assert.ok((await cri.imageStatus(ref))?.repoTags.includes(ref));
    await assert.rejects(cri.pullImage(`${registry.host}/skiff/missing:1`), /not found/);

    const sbc = sandboxConfig(t, 'pulled');
    const sb = await cri.runPodSandbox(sbc);
    const id = await cri.createContainer(sb, container('app', 'sleep 60', { image: { image: ref } }), sbc);
    await cri.startContainer(id);
    assert.equal((await cri.execSync(id, ['echo', 'pulled'], 5)).stdout, 'pulled\n');
    await cri.stopPodSandbox(sb);
    await cri.removePodSandbox(sb);
    const fs = await cri.imageFsInfo();
    assert.match(fs[0]?.mountpoint ?? '', /overlayfs$/);
  });

  test('connectCri names the endpoint when nothing answers', async () => {
    await assert.rejects(connectCri(`unix://${t.dataDir}/nothing.sock`, { timeoutMs: 300 }), /cannot connect to the container runtime at unix:\/\/.*nothing\.sock/);
  });
});
