import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../machinery/clock.ts';
import { Pleg, type PodLifecycleEvent } from './pleg.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { runtimeLabels } from './runtime/runtime.ts';

test('relisting reports started, died (outside the kubelet) and removed containers by pod', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const seen: PodLifecycleEvent[] = [];
  const pleg = new Pleg(rt, clock, (ev) => seen.push(ev));
  const sb = { metadata: { name: 'p', namespace: 'd', uid: 'u1', attempt: 0 }, labels: {}, annotations: {} };
  const sandbox = await rt.runPodSandbox(sb);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'app', attempt: 0 }, image: { image: 'x' }, command: [], args: [], envs: [], labels: { [runtimeLabels.podUid]: 'u1' }, annotations: {} }, sb);
  await rt.startContainer(id);
  await pleg.relist();
  assert.deepEqual(seen, [{ podUid: 'u1', containerId: id, type: 'ContainerStarted' }]);
  await pleg.relist();
  assert.equal(seen.length, 1, 'nothing changed, nothing reported');
  rt.exitContainer('u1', 'app', 2);
  await pleg.relist();
  assert.deepEqual(seen.at(-1), { podUid: 'u1', containerId: id, type: 'ContainerDied' });
  await rt.removeContainer(id);
  await pleg.relist();
  assert.deepEqual(seen.at(-1), { podUid: 'u1', containerId: id, type: 'ContainerRemoved' });
  assert.equal(pleg.lastRelist, clock.now());
});

test('a sandbox that changes state or disappears is reported for its pod', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const seen: PodLifecycleEvent[] = [];
  const pleg = new Pleg(rt, clock, (ev) => seen.push(ev));
  const id = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'd', uid: 'u1', attempt: 0 }, labels: { [runtimeLabels.podUid]: 'u1' }, annotations: {} });
  await pleg.relist();
  assert.deepEqual(seen, []);
  await rt.stopPodSandbox(id);
  await pleg.relist();
  assert.deepEqual(seen, [{ podUid: 'u1', sandboxId: id, type: 'SandboxChanged' }]);
  await rt.removePodSandbox(id);
  await pleg.relist();
  assert.equal(seen.length, 2);
});

test('periodic relists skip a runtime whose revision did not change, and still see every change', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const seen: PodLifecycleEvent[] = [];
  const pleg = new Pleg(rt, clock, (ev) => seen.push(ev));
  let lists = 0;
  const list = rt.listContainers.bind(rt);
  rt.listContainers = (filter) => (lists++, list(filter));
  const sb = { metadata: { name: 'p', namespace: 'd', uid: 'u1', attempt: 0 }, labels: {}, annotations: {} };
  const sandbox = await rt.runPodSandbox(sb);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'app', attempt: 0 }, image: { image: 'x' }, command: [], args: [], envs: [], labels: { [runtimeLabels.podUid]: 'u1' }, annotations: {} }, sb);
  await rt.startContainer(id);
  pleg.start(1000);
  const tick = async () => {
    clock.advance(1000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  await tick();
  assert.deepEqual(seen, [{ podUid: 'u1', containerId: id, type: 'ContainerStarted' }]);
  assert.equal(lists, 1);
  await tick();
  await tick();
  assert.equal(lists, 1, 'nothing changed: no relist');
  assert.equal(pleg.lastRelist, clock.now(), 'a skipped relist still counts as a healthy one');
  rt.exitContainer('u1', 'app', 2);
  await tick();
  assert.equal(lists, 2);
  assert.deepEqual(seen.at(-1), { podUid: 'u1', containerId: id, type: 'ContainerDied' });
  pleg.stop();
});
