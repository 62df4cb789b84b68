import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { runtimeLabels } from './runtime.ts';

const sandboxConfig = { metadata: { name: 'p', namespace: 'd', uid: 'u1', attempt: 0 }, labels: { [runtimeLabels.podUid]: 'u1' } as Record<string, string>, annotations: { a: 'b' } };
const containerConfig = { metadata: { name: 'app', attempt: 0 }, image: { image: 'x' }, command: [], args: [], envs: [], labels: { [runtimeLabels.podUid]: 'u1' }, annotations: {} };

test('revision changes with every change of state, and only then', async () => {
  const rt = new FakeRuntime({ clock: new FakeClock() });
  let last = rt.revision;
  const changed = (what: string) => {
    assert.ok(rt.revision > last, `${what} bumps the revision`);
    last = rt.revision;
  };
  const same = (what: string) => assert.equal(rt.revision, last, `${what} does not`);
  const sb = await rt.runPodSandbox(sandboxConfig);
  changed('runPodSandbox');
  const id = await rt.createContainer(sb, containerConfig, sandboxConfig);
  changed('createContainer');
  await rt.startContainer(id);
  changed('startContainer');
  await rt.listContainers();
  await rt.listPodSandbox();
  await rt.containerStatus(id);
  await rt.podSandboxStatus(sb);
  same('reading');
  rt.exitContainer('u1', 'app', 1);
  changed('an exit');
  await rt.removeContainer(id);
  changed('removeContainer');
  await rt.stopPodSandbox(sb);
  changed('stopPodSandbox');
  await rt.removePodSandbox(sb);
  changed('removePodSandbox');
});

test('podSandboxStatus is a copy, as structuredClone made it; IDs are 64 hex digits, unique in the process', async () => {
  const a = new FakeRuntime();
  const b = new FakeRuntime();
  const id = await a.runPodSandbox(sandboxConfig);
  const st = await a.podSandboxStatus(id);
  assert.deepEqual(st, structuredClone(st));
  assert.deepEqual(st.labels, sandboxConfig.labels);
  st.labels['x'] = 'y';
  st.metadata.name = 'changed';
  st.network.additionalIps.push('10.0.0.9');
  const again = await a.podSandboxStatus(id);
  assert.deepEqual(again.labels, sandboxConfig.labels);
  assert.equal(again.metadata.name, 'p');
  assert.deepEqual(again.network.additionalIps, []);
  const ids = [id, await a.runPodSandbox(sandboxConfig), await b.runPodSandbox(sandboxConfig)];
  for (const i of ids) assert.match(i, /^[0-9a-f]{64}$/);
  assert.equal(new Set(ids).size, 3);
});
