import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { FakeClock } from '../machinery/clock.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { buildSandboxConfig } from './sandbox-config.ts';
import { startContainer, type StartContainerDeps } from './start-container.ts';
import type { ContainerSpec, Pod } from './types.ts';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
  await cluster.client.create(resourceFor('', 'v1', 'configmaps')!, 'default', { metadata: { name: 'cfg' }, data: { mode: 'fast' } });
});
after(async () => cluster.stop());

async function setup(c: ContainerSpec) {
  const clock = new FakeClock(0);
  const rt = new FakeRuntime({ clock });
  const events: string[] = [];
  const deps: StartContainerDeps = { runtime: rt, images: rt, clock, client: cluster.client, nodeName: 'n1', hostIP: '192.0.2.1', event: (t, r, m) => events.push(`${t} ${r}: ${m}`) };
  const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { nodeName: 'n1', containers: [c] } };
  const config = buildSandboxConfig(pod, { nodeName: 'n1' }, 0);
  const id = await rt.runPodSandbox(config);
  const ip = (await rt.podSandboxStatus(id)).network.ip;
  return { rt, deps, events, pod, sandbox: { id, ip, config } };
}

test('pulls, builds the config with resolved env, creates and starts', async () => {
  const c: ContainerSpec = { name: 'app', image: 'busybox:1.35', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }, { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] };
  const s = await setup(c);
  const r = await startContainer(s.deps, s.pod, s.sandbox, c, 0, false, { mounts: [{ containerPath: '/data', hostPath: '/tmp/x' }] });
  assert.equal(r.kind, 'started');
  if (r.kind !== 'started') return;
  const st = await s.rt.containerStatus(r.containerId);
  assert.equal(st.state, 'CONTAINER_RUNNING');
  assert.equal(st.labels['io.kubernetes.container.name'], 'app');
  assert.ok(st.annotations['io.kubernetes.container.hash']);
  assert.deepEqual(
    s.events.map((e) => e.split(':')[0]),
    ['Normal Pulling', 'Normal Pulled', 'Normal Created', 'Normal Started'],
  );
});

test('a missing configMap is a CreateContainerConfigError and nothing is created', async () => {
  const c: ContainerSpec = { name: 'app', image: 'busybox:1.35', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] };
  const s = await setup(c);
  const r = await startContainer(s.deps, s.pod, s.sandbox, c, 0, false, { mounts: [] });
  assert.deepEqual(r, { kind: 'configError', reason: 'CreateContainerConfigError', message: 'configmap "absent" not found' });
  assert.deepEqual(await s.rt.listContainers({ podSandboxId: s.sandbox.id }), []);
});

test('a runtime that refuses to create gives CreateContainerError', async () => {
  const c: ContainerSpec = { name: 'app', image: 'busybox:1.35' };
  const s = await setup(c);
  await s.rt.removePodSandbox(s.sandbox.id);
  const r = await startContainer(s.deps, s.pod, s.sandbox, c, 0, false, { mounts: [] });
  assert.equal(r.kind, 'configError');
  assert.equal(r.kind === 'configError' && r.reason, 'CreateContainerError');
});

test('imagePullPolicy Never with no image fails without pulling', async () => {
  const c: ContainerSpec = { name: 'app', image: 'never:1', imagePullPolicy: 'Never' };
  const s = await setup(c);
  const r = await startContainer(s.deps, s.pod, s.sandbox, c, 0, false);
  assert.deepEqual(r, { kind: 'pullFailed', message: 'Container image "never:1" is not present with pull policy of Never' });
});
