import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resourceFor } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { FakeClock } from '../../machinery/clock.ts';
import type { Pod } from '../types.ts';
import { isMountPoint, isRoot } from './mount-table.ts';
import { createVolumeManager, VolumeSetUpError } from './volume-manager.ts';
import type { Volume, VolumeMount } from './volume-types.ts';

const configMaps = resourceFor('', 'v1', 'configmaps')!;
const secrets = resourceFor('', 'v1', 'secrets')!;

let cluster: TestCluster;
let root: string;
before(async () => {
  cluster = await startTestCluster();
  root = mkdtempSync(join(tmpdir(), 'skiff-vol-'));
});
after(async () => {
  await cluster.stop();
  rmSync(root, { recursive: true, force: true });
});

let podCount = 0;
function makePod(volumes: Volume[], mounts: VolumeMount[], more: Partial<Pod['spec']> = {}): Pod {
  podCount++;
  return {
    metadata: { name: `p${podCount}`, namespace: 'default', uid: `uid-${podCount}-${Math.random().toString(36).slice(2)}`, labels: { app: 'x' } },
    spec: { containers: [{ name: 'c', image: 'busybox:1.35', volumeMounts: mounts }], volumes, ...more },
  };
}

function manager(clock = new FakeClock(), hollow = false) {
  const logs: string[] = [];
  const vm = createVolumeManager({ client: cluster.client, nodeName: 'n1', clock, log: (l) => logs.push(l), refreshPeriodMs: 1000, ...(hollow ? {} : { rootDir: root }) });
  return { vm, clock, logs };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('configMap volume: keys as files, read-only mount, update followed by the refresh loop', async () => {
  await cluster.client.create(configMaps, 'default', { metadata: { name: 'cfg1' }, data: { 'app.conf': 'v=1', other: 'o' } });
  const { vm, clock } = manager();
  try {
    const pod = makePod([{ name: 'cfg', configMap: { name: 'cfg1', defaultMode: 0o644 } }], [{ name: 'cfg', mountPath: '/etc/app' }]);
    const mounts = await vm.setUp(pod);
    const dir = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~configmap', 'cfg');
    assert.deepEqual(mounts.get('c'), [{ containerPath: '/etc/app', hostPath: dir, readonly: true }]);
    assert.equal(readFileSync(join(dir, 'app.conf'), 'utf8'), 'v=1');
    assert.equal(readFileSync(join(dir, 'other'), 'utf8'), 'o');

    await cluster.client.update(configMaps, 'default', { metadata: { name: 'cfg1' }, data: { 'app.conf': 'v=2' } });
    clock.advance(1000);
    await until(() => readFileSync(join(dir, 'app.conf'), 'utf8') === 'v=2', 'the update to reach the volume');
    assert.equal(existsSync(join(dir, 'other')), false, 'a removed key disappears');

    // The configMap goes away: the mounted volume keeps its last contents and setUp still succeeds.
    await cluster.client.delete(configMaps, 'default', 'cfg1');
    assert.deepEqual(await vm.setUp(pod), mounts);
    assert.equal(readFileSync(join(dir, 'app.conf'), 'utf8'), 'v=2');

    await vm.tearDown(pod);
    assert.equal(existsSync(join(root, 'pods', pod.metadata.uid!)), false);
  } finally {
    vm.stop();
  }
});

test('a missing configMap or secret is a FailedMount with Kubernetes wording; optional ones are empty', async () => {
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 'cfg', configMap: { name: 'nope' } }, { name: 's', secret: { secretName: 'gone' } }], []);
    await assert.rejects(vm.setUp(pod), (e: unknown) => {
      assert.ok(e instanceof VolumeSetUpError);
      assert.equal(e.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found');
      assert.deepEqual(e.messages.slice(1), ['MountVolume.SetUp failed for volume "s" : secret "gone" not found']);
      return true;
    });
    const optional = makePod([{ name: 'cfg', configMap: { name: 'nope', optional: true } }], [{ name: 'cfg', mountPath: '/x' }]);
    const m = await vm.setUp(optional);
    assert.equal(m.get('c')?.length, 1);
    await vm.tearDown(optional);
  } finally {
    vm.stop();
  }
});

test('items pick keys into paths with their own modes; a missing item key is an error', async () => {
  await cluster.client.create(configMaps, 'default', { metadata: { name: 'cfg2' }, data: { a: 'A', b: 'B' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } });
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 'v', configMap: { name: 'cfg2', defaultMode: 0o640, items: [{ key: 'a', path: 'dir/a.txt', mode: 0o600 }, { key: 'bin', path: 'bin' }] } }], []);
    await vm.setUp(pod);
    const dir = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~configmap', 'v');
    assert.equal(readFileSync(join(dir, 'dir', 'a.txt'), 'utf8'), 'A');
    assert.equal(lstatSync(join(dir, '..data', 'dir', 'a.txt')).mode & 0o777, 0o600);
    assert.equal(lstatSync(join(dir, '..data', 'bin')).mode & 0o777, 0o640);
    assert.deepEqual([...readFileSync(join(dir, 'bin'))], [0, 1, 2]);
    assert.equal(existsSync(join(dir, 'b')), false);
    await vm.tearDown(pod);

    const bad = makePod([{ name: 'v', configMap: { name: 'cfg2', items: [{ key: 'zz', path: 'zz' }] } }], []);
    await assert.rejects(vm.setUp(bad), /volume "v" : configmap references non-existent config key: zz/);
  } finally {
    vm.stop();
  }
});

test('fsGroup: volume files belong to the group and are group-readable (root only)', async (t) => {
  if (!isRoot()) {
    t.diagnostic('skipping fsGroup: needs root to chown');
    return;
  }
  await cluster.client.create(secrets, 'default', { metadata: { name: 'key' }, data: { id: Buffer.from('k').toString('base64') } });
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 's', secret: { secretName: 'key', defaultMode: 0o400 } }, { name: 'e', emptyDir: {} }], [], { securityContext: { fsGroup: 2345 } });
    await vm.setUp(pod);
    const file = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~secret', 's', 'id');
    assert.equal(statSync(file).gid, 2345);
    assert.equal(statSync(file).mode & 0o777, 0o440);
    const e = statSync(join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'e'));
    assert.equal(e.gid, 2345);
    assert.equal(e.mode & 0o7777, 0o2777);
    assert.equal(await vm.setUp(pod).then(() => statSync(file).mode & 0o777), 0o440, 'stable across syncs');
    await vm.tearDown(pod);
  } finally {
    vm.stop();
  }
});

test('secret volume: decoded keys, on a tmpfs when root, unmounted by tearDown', async () => {
  await cluster.client.create(secrets, 'default', { metadata: { name: 'sec1' }, data: { password: Buffer.from('hunter2').toString('base64') } });
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 's', secret: { secretName: 'sec1' } }], [{ name: 's', mountPath: '/secret', readOnly: true }]);
    await vm.setUp(pod);
    await vm.setUp(pod); // idempotent: no second tmpfs on top
    const dir = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~secret', 's');
    assert.equal(readFileSync(join(dir, 'password'), 'utf8'), 'hunter2');
    if (isRoot()) assert.equal(isMountPoint(dir), true, 'secret volumes live on tmpfs');
    await vm.tearDown(pod);
    assert.equal(isMountPoint(dir), false);
    assert.equal(existsSync(dir), false);
  } finally {
    vm.stop();
  }
});

test('emptyDir is shared by containers; medium Memory is a tmpfs of sizeLimit (root only)', async (t) => {
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 'scratch', emptyDir: {} }], [{ name: 'scratch', mountPath: '/data' }], {});
    pod.spec.containers.push({ name: 'd', volumeMounts: [{ name: 'scratch', mountPath: '/in', subPath: 'sub/dir', mountPropagation: 'HostToContainer' }] });
    const m = await vm.setUp(pod);
    const dir = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'scratch');
    assert.deepEqual(m.get('c'), [{ containerPath: '/data', hostPath: dir, readonly: false }]);
    assert.deepEqual(m.get('d'), [{ containerPath: '/in', hostPath: join(dir, 'sub', 'dir'), readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }]);
    assert.equal(lstatSync(dir).mode & 0o777, 0o777);
    await vm.tearDown(pod);

    if (!isRoot()) {
      t.diagnostic('skipping tmpfs emptyDir: needs root to mount');
      return;
    }
    const mem = makePod([{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '4Mi' } }], []);
    await vm.setUp(mem);
    const mdir = join(root, 'pods', mem.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'm');
    assert.equal(isMountPoint(mdir), true);
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === mdir) ?? '';
    assert.match(mountinfo, /tmpfs .*size=4096k/);
    await vm.tearDown(mem);
    assert.equal(existsSync(mdir), false);
  } finally {
    vm.stop();
  }
});

test('subPath may not leave the volume, by .. or by a symlink', async () => {
  const { vm } = manager();
  const outside = mkdtempSync(join(tmpdir(), 'skiff-outside-'));
  try {
    const dotdot = makePod([{ name: 'e', emptyDir: {} }], [{ name: 'e', mountPath: '/x', subPath: '../../etc' }]);
    await assert.rejects(vm.setUp(dotdot), /subPath "\.\.\/\.\.\/etc" of volume "e" must be a relative path without '\.\.'/);
    await vm.tearDown(dotdot);

    const pod = makePod([{ name: 'e', emptyDir: {} }], []);
    await vm.setUp(pod);
    const dir = join(root, 'pods', pod.metadata.uid!, 'volumes', 'kubernetes.io~empty-dir', 'e');
    writeFileSync(join(outside, 'keep'), 'precious');
    symlinkSync(outside, join(dir, 'escape'));
    pod.spec.containers[0]!.volumeMounts = [{ name: 'e', mountPath: '/x', subPath: 'escape/new' }];
    await assert.rejects(vm.setUp(pod), /resolves to .*, outside the volume/);
    assert.equal(existsSync(join(outside, 'new')), false, 'nothing created outside');
    await vm.tearDown(pod);
    assert.equal(readFileSync(join(outside, 'keep'), 'utf8'), 'precious', 'tearDown does not follow symlinks');
  } finally {
    vm.stop();
    rmSync(outside, { recursive: true, force: true });
  }
});

test('hollow nodes (no rootDir) only check that sources exist and write nothing', async () => {
  const { vm } = manager(new FakeClock(), true);
  try {
    const bad = makePod([{ name: 'cfg', configMap: { name: 'absent' } }], []);
    await assert.rejects(vm.setUp(bad), /configmap "absent" not found/);
    const ok = makePod([{ name: 'cfg', configMap: { name: 'cfg2' } }, { name: 'e', emptyDir: {} }], [{ name: 'e', mountPath: '/e' }]);
    assert.deepEqual([...(await vm.setUp(ok))], [['c', []]]);
    assert.equal(existsSync(join(root, 'pods', ok.metadata.uid!)), false);
    await vm.tearDown(ok);
  } finally {
    vm.stop();
  }
});

test('unknown volume names in volumeMounts and unsupported volume types are reported', async () => {
  const { vm } = manager();
  try {
    const pod = makePod([{ name: 'n', nfs: { server: 'x', path: '/' } }], []);
    await assert.rejects(vm.setUp(pod), /volume "n" : volume type nfs is not supported by skiff/);
    const ghost = makePod([], [{ name: 'ghost', mountPath: '/g' }]);
    await assert.rejects(vm.setUp(ghost), /volumeMount "ghost" refers to no volume of the pod/);
  } finally {
    vm.stop();
  }
});
