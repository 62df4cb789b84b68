import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../machinery/clock.ts';
import { removeOrphanedPods } from './orphaned-pods.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { runtimeLabels } from './runtime/runtime.ts';

async function podOnRuntime(rt: FakeRuntime, name: string, uid: string) {
  const config = { metadata: { name, namespace: 'default', uid, attempt: 0 }, labels: { [runtimeLabels.podUid]: uid }, annotations: {} };
  const sb = await rt.runPodSandbox(config);
  const c = await rt.createContainer(sb, { metadata: { name: 'app', attempt: 0 }, image: { image: 'busybox' }, command: [], args: [], envs: [], labels: { [runtimeLabels.podUid]: uid }, annotations: {} }, config);
  await rt.startContainer(c);
}

test('pods gone while the kubelet was down lose their sandboxes, containers, volume, log and message dirs', async () => {
  const rt = new FakeRuntime({ clock: new FakeClock() });
  const root = mkdtempSync(join(tmpdir(), 'orphans-'));
  try {
    const rootDir = join(root, 'kubelet');
    const logRoot = join(root, 'pod-logs');
    await podOnRuntime(rt, 'kept', 'u-keep');
    await podOnRuntime(rt, 'gone', 'u-gone');
    // A sandbox some other tool made: not ours to touch.
    await rt.runPodSandbox({ metadata: { name: 'x', namespace: 'y', uid: 'z', attempt: 0 }, labels: {}, annotations: {} });
    for (const uid of ['u-keep', 'u-gone']) {
      mkdirSync(join(rootDir, 'pods', uid, 'volumes/kubernetes.io~empty-dir/data'), { recursive: true });
      mkdirSync(join(rootDir, 'pods', uid, 'containers/app'), { recursive: true });
      writeFileSync(join(rootDir, 'pods', uid, 'containers/app/termination-log'), 'bye');
    }
    mkdirSync(join(logRoot, 'default_kept_u-keep/app'), { recursive: true });
    mkdirSync(join(logRoot, 'default_gone_u-gone/app'), { recursive: true });
    const logs: string[] = [];
    const removed = await removeOrphanedPods({ runtime: rt, keep: (uid) => uid === 'u-keep', rootDir, logRoot, log: (l) => logs.push(l) });
    assert.deepEqual(removed, ['u-gone']);
    const left = await rt.listPodSandbox();
    assert.deepEqual(left.map((s) => s.metadata.name).sort(), ['kept', 'x']);
    assert.deepEqual((await rt.listContainers()).map((c) => c.labels[runtimeLabels.podUid]), ['u-keep']);
    assert.equal(existsSync(join(rootDir, 'pods/u-gone')), false);
    assert.equal(existsSync(join(rootDir, 'pods/u-keep/containers/app/termination-log')), true);
    assert.equal(existsSync(join(logRoot, 'default_gone_u-gone')), false);
    assert.equal(existsSync(join(logRoot, 'default_kept_u-keep')), true);
    assert.match(logs.join('\n'), /default\/gone \(u-gone\) is no longer on this node/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
