// The RuntimeService/ImageService contract, run against every runtime we have
// (the CRI client for containerd joins this list when it lands).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { runtimeLabels, type ContainerConfig, type ImageService, type PodSandboxConfig, type RuntimeService } from './runtime.ts';

type Subject = { runtime: RuntimeService; images: ImageService; image: string };

const subjects: Record<string, () => Subject> = {
  fake: () => {
    const rt = new FakeRuntime({ clock: new FakeClock(), podCIDR: '10.1.2.0/24' });
    return { runtime: rt, images: rt, image: 'busybox:1.36' };
  },
};

const sandboxConfig = (uid: string): PodSandboxConfig => ({
  metadata: { name: `pod-${uid}`, namespace: 'default', uid, attempt: 0 },
  labels: { [runtimeLabels.podUid]: uid },
  annotations: {},
});

const containerConfig = (name: string, uid: string, image: string): ContainerConfig => ({
  metadata: { name, attempt: 0 },
  image: { image },
  command: ['sleep', '3600'],
  args: [],
  envs: [],
  labels: { [runtimeLabels.podUid]: uid, [runtimeLabels.containerName]: name },
  annotations: {},
});

for (const [name, make] of Object.entries(subjects)) {
  describe(`runtime contract: ${name}`, () => {
    test('pull an image, then it is listed with an id', async () => {
      const { images, image } = make();
      const ref = await images.pullImage(image);
      assert.ok(ref);
      assert.equal((await images.imageStatus(image))?.id, ref);
      assert.ok((await images.listImages()).some((i) => i.repoTags.includes(image)));
    });

    test('sandbox lifecycle: ready with an IP, not ready after stop, gone after remove', async () => {
      const { runtime } = make();
      const id = await runtime.runPodSandbox(sandboxConfig('u1'));
      const st = await runtime.podSandboxStatus(id);
      assert.equal(st.state, 'SANDBOX_READY');
      assert.match(st.network.ip, /^\d+\.\d+\.\d+\.\d+$/);
      const other = await runtime.runPodSandbox(sandboxConfig('u2'));
      assert.notEqual((await runtime.podSandboxStatus(other)).network.ip, st.network.ip);
      assert.deepEqual((await runtime.listPodSandbox({ labelSelector: { [runtimeLabels.podUid]: 'u1' } })).map((s) => s.id), [id]);
      await runtime.stopPodSandbox(id);
      assert.equal((await runtime.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
      await runtime.removePodSandbox(id);
      assert.deepEqual((await runtime.listPodSandbox()).map((s) => s.id), [other]);
    });

    test('container lifecycle: created, running, exited after stop, removed', async () => {
      const { runtime, images, image } = make();
      await images.pullImage(image);
      const sb = await runtime.runPodSandbox(sandboxConfig('u1'));
      const id = await runtime.createContainer(sb, containerConfig('app', 'u1', image), sandboxConfig('u1'));
      assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_CREATED');
      await runtime.startContainer(id);
      const running = await runtime.containerStatus(id);
      assert.equal(running.state, 'CONTAINER_RUNNING');
      assert.ok(running.startedAt > 0);
      assert.equal((await runtime.execSync(id, ['true'], 5)).exitCode, 0);
      assert.deepEqual((await runtime.listContainers({ podSandboxId: sb, state: 'CONTAINER_RUNNING' })).map((c) => c.id), [id]);
      await runtime.stopContainer(id, 5);
      const exited = await runtime.containerStatus(id);
      assert.equal(exited.state, 'CONTAINER_EXITED');
      assert.notEqual(exited.exitCode, 0);
      assert.ok(exited.finishedAt >= exited.startedAt);
      await runtime.removeContainer(id);
      assert.deepEqual(await runtime.listContainers({ podSandboxId: sb }), []);
    });
  });
}

test('fake runtime: scripted exits, probe answers and SIGTERM handling', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const cfg = { ...sandboxConfig('u1'), annotations: { 'sim.skiff.io/exit-code': '3', 'sim.skiff.io/exit-after': '2s', 'sim.skiff.io/fail-probes': 'readiness', 'sim.skiff.io/exit-after.side': '1m', 'sim.skiff.io/exit-code.side': '0' } };
  const sb = await rt.runPodSandbox(cfg);
  const app = await rt.createContainer(sb, containerConfig('app', 'u1', 'x'), cfg);
  const side = await rt.createContainer(sb, containerConfig('side', 'u1', 'x'), cfg);
  await rt.startContainer(app);
  await rt.startContainer(side);
  assert.equal(rt.probe(app, 'readiness'), false);
  assert.equal(rt.probe(app, 'liveness'), true);
  rt.setProbeResult('u1', 'app', 'readiness', true);
  assert.equal(rt.probe(app, 'readiness'), true);
  clock.advance(2000);
  assert.deepEqual([(await rt.containerStatus(app)).state, (await rt.containerStatus(app)).exitCode], ['CONTAINER_EXITED', 3]);
  assert.equal((await rt.containerStatus(side)).state, 'CONTAINER_RUNNING');
  clock.advance(58_000);
  assert.deepEqual([(await rt.containerStatus(side)).exitCode, (await rt.containerStatus(side)).reason], [0, 'Completed']);

  const stubborn = { ...sandboxConfig('u2'), annotations: { 'sim.skiff.io/ignore-sigterm': 'true' } };
  const sb2 = await rt.runPodSandbox(stubborn);
  const c = await rt.createContainer(sb2, containerConfig('app', 'u2', 'x'), stubborn);
  await rt.startContainer(c);
  let stopped = false;
  void rt.stopContainer(c, 10).then(() => (stopped = true));
  clock.advance(9_999);
  await Promise.resolve();
  assert.equal(stopped, false);
  clock.advance(1);
  await new Promise((r) => setImmediate(r));
  assert.equal(stopped, true);
  assert.equal((await rt.containerStatus(c)).exitCode, 137);
  assert.equal(rt.exitContainer('u1', 'nope', 1), false);
});
