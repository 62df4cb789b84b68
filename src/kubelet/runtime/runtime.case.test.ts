// The RuntimeService/ImageService contract, run against every runtime we have:
// the fake runtime of hollow nodes and the CRI client on a real containerd.
// Behaviour only one of them has (scripted exits, real processes) is tested
// in its own describe below.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { runtimeLabels, type ContainerConfig, type ImageService, type PodSandboxConfig, type RuntimeService } from './runtime.ts';
import { BUSYBOX_IMAGE, IMAGES_DIR, startTestContainerd, testContainerdMissing, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import { startTestRegistry, testRegistryMissing, type TestRegistry } from '../containerd/testing/test-registry.ts';

type Subject = { runtime: RuntimeService; images: ImageService; /** present on the node */ image: string; /** not present, but pullable */ pullable: string };

type SubjectKind = {
  /** Why this runtime cannot be tested here; the suite is skipped with it. */
  skip?: string | undefined;
  setUp(): Promise<void>;
  /** A runtime with no sandboxes. */
  fresh(): Promise<Subject>;
  tearDown(): Promise<void>;
};

const fake: SubjectKind = {
  async setUp() {},
  async fresh() {
    const rt = new FakeRuntime({ clock: new FakeClock(), podCIDR: '10.1.2.0/24' });
    await rt.pullImage('busybox:1.36');
    return { runtime: rt, images: rt, image: 'busybox:1.36', pullable: 'busybox:1.37' };
  },
  async tearDown() {},
};

// One containerd for the whole suite (bridge sk-h1a, subnet 10.88.1.0/26); each test starts from no sandboxes.
let ctd: TestContainerd | undefined;
let registry: TestRegistry | undefined;
let pushes = 0;
const containerd: SubjectKind = {
  skip: testContainerdMissing() ?? testRegistryMissing(),
  async setUp() {
    registry = await startTestRegistry();
    ctd = await startTestContainerd({ bridge: 'sk-h1a', podCIDR: '10.88.1.0/26' });
  },
  async fresh() {
    if (!ctd || !registry) throw new Error('containerd or the registry did not start');
    for (const sb of await ctd.cri.listPodSandbox()) {
      await ctd.cri.stopPodSandbox(sb.id);
      await ctd.cri.removePodSandbox(sb.id);
    }
    // A new tag each time: removing a pulled image would remove every tag of it, busybox's too.
    const pullable = await registry.push(`${IMAGES_DIR}/busybox.tar`, `case/busybox:${++pushes}`);
    return { runtime: ctd.cri, images: ctd.cri, image: BUSYBOX_IMAGE, pullable };
  },
  async tearDown() {
    await ctd?.cleanup();
    await registry?.stop();
  },
};

const subjects: Record<string, SubjectKind> = { fake, containerd };

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

for (const [name, kind] of Object.entries(subjects)) {
  if (kind.skip) console.log(`# runtime contract: ${name} skipped: ${kind.skip}`);
  describe(`runtime contract: ${name}`, { skip: kind.skip ?? false }, () => {
    before(() => kind.setUp());
    after(() => kind.tearDown());
    const make = (): Promise<Subject> => kind.fresh();

    test('a present image is listed with an id; pulling another adds it', async () => {
      const { images, image, pullable } = await make();
      const present = await images.imageStatus(image);
      assert.ok(present?.id);
      assert.equal(await images.imageStatus(pullable), undefined);
      const ref = await images.pullImage(pullable);
      assert.ok(ref);
      assert.equal((await images.imageStatus(pullable))?.id, ref);
      assert.ok((await images.listImages()).some((i) => i.repoTags.includes(pullable)));
    });

    test('sandbox lifecycle: ready with an IP, not ready after stop, gone after remove', async () => {
      const { runtime } = await make();
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
      const { runtime, image } = await make();
      const sb = await runtime.runPodSandbox(sandboxConfig('u1'));
      const id = await runtime.createContainer(sb, containerConfig('app', 'u1', image), sandboxConfig('u1'));
      assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_CREATED');
      await runtime.startContainer(id);
      const running = await runtime.containerStatus(id);
      assert.equal(running.state, 'CONTAINER_RUNNING');
      assert.ok(running.startedAt > 0);
      assert.equal((await runtime.execSync(id, ['true'], 5)).exitCode, 0);
      assert.deepEqual((await runtime.listContainers({ podSandboxId: sb, state: 'CONTAINER_RUNNING' })).map((c) => c.id), [id]);
      // sleep as PID 1 ignores SIGTERM: it is killed when the 1 s grace period ends.
      await runtime.stopContainer(id, 1);
      const exited = await runtime.containerStatus(id);
      assert.equal(exited.state, 'CONTAINER_EXITED');
      assert.notEqual(exited.exitCode, 0);
      assert.ok(exited.finishedAt >= exited.startedAt);
      await runtime.removeContainer(id);
      assert.deepEqual(await runtime.listContainers({ podSandboxId: sb }), []);
    });
  });
}

describe('fake runtime only', () => {
test('scripted exits, probe answers and SIGTERM handling', async () => {
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
});
