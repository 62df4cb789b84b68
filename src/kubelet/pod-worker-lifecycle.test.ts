// The pod worker's newer duties, in fake time: sidecar init containers, spec
// changes, activeDeadlineSeconds, readiness gates, volumes and termination messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '../client/interfaces.ts';
import { notFound } from '../machinery/status.ts';
import { harness, makePod } from './testing/worker-harness.ts';
import type { ContainerSpec, Pod, PodStatus } from './types.ts';

const cond = (s: PodStatus, type: string) => s.conditions?.find((c) => c.type === type);
const starts = (calls: string[]) => calls.filter((c) => c.startsWith('startContainer')).map((c) => c.slice('startContainer '.length));

test('a sidecar init container starts first, keeps running beside the containers and is restarted', async () => {
  const sidecar: ContainerSpec = { name: 'proxy', image: 'busybox', restartPolicy: 'Always' };
  const pod = makePod({ initContainers: [sidecar, { name: 'setup', image: 'busybox' }] }, { 'sim.skiff.io/exit-after.setup': '2s' });
  const h = harness(pod);
  h.runtime.recordCalls = true;
  h.worker.update(pod);
  await h.settle();
  assert.deepEqual(starts(h.runtime.calls), ['proxy', 'setup'], 'the next init container starts once the sidecar runs');
  let s = h.last();
  assert.equal(cond(s, 'Initialized')?.status, 'False');
  assert.equal(cond(s, 'Initialized')?.message, 'containers with incomplete status: [setup]');
  await h.advance(3000);
  s = h.last();
  assert.deepEqual(starts(h.runtime.calls), ['proxy', 'setup', 'app']);
  assert.equal(s.phase, 'Running');
  assert.equal(cond(s, 'Initialized')?.status, 'True');
  assert.equal(cond(s, 'Ready')?.status, 'True');
  const [proxy, setup] = s.initContainerStatuses!;
  assert.ok(proxy!.state.running, 'the sidecar keeps running');
  assert.equal(proxy!.started, true);
  assert.equal(proxy!.ready, true);
  assert.equal(setup!.state.terminated?.reason, 'Completed');

  // It dies: restarted at once (first restart), the app is untouched and the pod stays Initialized.
  h.runtime.exitContainer('uid-1', 'proxy', 1);
  await h.advance(1000);
  s = h.last();
  assert.equal(s.initContainerStatuses![0]!.restartCount, 1);
  assert.ok(s.initContainerStatuses![0]!.state.running);
  assert.equal(s.initContainerStatuses![0]!.lastState.terminated?.exitCode, 1);
  assert.equal(s.containerStatuses![0]!.restartCount, 0);
  assert.equal(cond(s, 'Initialized')?.status, 'True');

  // Termination: the app stops before the sidecar.
  h.runtime.calls.length = 0;
  const deleting = structuredClone(pod);
  deleting.metadata.deletionTimestamp = '2026-01-01T00:01:00Z';
  deleting.metadata.deletionGracePeriodSeconds = 30;
  h.worker.update(deleting);
  await h.settle();
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('stopContainer')), ['stopContainer app 30', 'stopContainer proxy 30']);
  assert.equal(h.finished(), true);
  h.stop();
});

test('a sidecar with a startup probe holds back the next init container until the probe passes', async () => {
  const sidecar: ContainerSpec = { name: 'proxy', image: 'busybox', restartPolicy: 'Always', startupProbe: { exec: { command: ['ok'] }, periodSeconds: 1 } };
  const pod = makePod({ initContainers: [sidecar, { name: 'setup', image: 'busybox' }] });
  const h = harness(pod);
  h.runtime.setProbeResult('uid-1', 'proxy', 'startup', false);
  h.runtime.recordCalls = true;
  h.worker.update(pod);
  await h.advance(3000);
  assert.deepEqual(starts(h.runtime.calls), ['proxy']);
  assert.equal(h.last().initContainerStatuses![0]!.started, false);
  h.runtime.setProbeResult('uid-1', 'proxy', 'startup', true);
  await h.advance(2000);
  assert.deepEqual(starts(h.runtime.calls), ['proxy', 'setup', 'app']);
  assert.equal(h.last().phase, 'Running');
  h.stop();
});

test('under restartPolicy Never the pod Succeeds when its containers are done, and the sidecar is stopped', async () => {
  const pod = makePod({ restartPolicy: 'Never', initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }] }, { 'sim.skiff.io/exit-after.app': '2s', 'sim.skiff.io/exit-code.app': '0' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.advance(4000);
  const s = h.last();
  assert.equal(s.phase, 'Succeeded');
  assert.ok(s.initContainerStatuses![0]!.state.terminated, 'the sidecar was stopped');
  assert.equal(h.runtime.counts().running, 0);
  h.stop();
});

test('a container whose spec changed is killed and restarted with the new definition', async () => {
  const pod = makePod();
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  assert.equal(h.last().containerStatuses![0]!.image, 'busybox');
  const changed = structuredClone(pod);
  changed.spec.containers[0]!.image = 'busybox:1.36';
  h.worker.update(changed);
  await h.settle();
  assert.ok(h.events.includes('Killing: Container app definition changed, will be restarted'));
  const cs = h.last().containerStatuses![0]!;
  assert.equal(cs.restartCount, 1);
  assert.ok(cs.state.running);
  assert.equal(cs.image, 'busybox:1.36');
  assert.equal((await h.runtime.listContainers({ state: 'CONTAINER_RUNNING' }))[0]?.image.image, 'busybox:1.36');
  // An unchanged update restarts nothing.
  h.worker.update(structuredClone(changed));
  await h.advance(2000);
  assert.equal(h.last().containerStatuses![0]!.restartCount, 1);
  h.stop();
});

test('activeDeadlineSeconds fails the pod with DeadlineExceeded and kills its containers', async () => {
  const pod = makePod({ activeDeadlineSeconds: 30, terminationGracePeriodSeconds: 5 });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  await h.advance(29_000);
  assert.equal(h.last().phase, 'Running');
  await h.advance(2000);
  const s = h.last();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
  assert.equal(s.message, 'Pod was active on the node longer than the specified deadline');
  assert.ok(s.containerStatuses![0]!.state.terminated);
  assert.equal(h.runtime.counts().running, 0);
  assert.ok(h.events.includes('DeadlineExceeded: Pod was active on the node longer than the specified deadline'));
  // Later syncs keep it Failed.
  h.worker.update(structuredClone(pod));
  await h.advance(2000);
  assert.equal(h.last().phase, 'Failed');
  h.stop();
});

test('readiness gates: Ready waits for every gate condition, and conditions others wrote are kept', async () => {
  const pod = makePod({ readinessGates: [{ conditionType: 'example.com/lb' }] });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  let s = h.last();
  assert.equal(cond(s, 'ContainersReady')?.status, 'True');
  assert.equal(cond(s, 'Ready')?.status, 'False');
  assert.equal(cond(s, 'Ready')?.reason, 'ReadinessGatesNotReady');
  assert.equal(cond(s, 'Ready')?.message, 'corresponding condition of pod readiness gate "example.com/lb" does not exist.');
  const withGate = (status: 'True' | 'False'): Pod => {
    const p = structuredClone(pod);
    p.status = { ...s, conditions: [...(s.conditions ?? []).filter((c) => c.type !== 'example.com/lb'), { type: 'example.com/lb', status, lastTransitionTime: '2026-01-01T00:00:05Z' }] };
    return p;
  };
  h.worker.update(withGate('False'));
  await h.settle();
  s = h.last();
  assert.equal(cond(s, 'Ready')?.message, 'the status of pod readiness gate "example.com/lb" is not "True", but False');
  assert.equal(cond(s, 'example.com/lb')?.status, 'False', 'the gate condition is kept');
  h.worker.update(withGate('True'));
  await h.settle();
  s = h.last();
  assert.equal(cond(s, 'Ready')?.status, 'True');
  assert.equal(cond(s, 'example.com/lb')?.lastTransitionTime, '2026-01-01T00:00:05Z');
  h.stop();
});

test('volumes: FailedMount and a retry every 2 s until they mount, then torn down after deletion', async () => {
  let failures = 2;
  const calls: string[] = [];
  const volumes = {
    async setUp(p: Pod) {
      calls.push(`setUp ${p.metadata.name}`);
      if (failures-- > 0) throw new Error('MountVolume.SetUp failed for volume "cfg" : configmap "x" not found');
      return new Map([['app', [{ containerPath: '/etc/cfg', hostPath: '/var/lib/skiff/pods/uid-1/volumes/cfg' }]]]);
    },
    async tearDown(p: Pod) {
      calls.push(`tearDown ${p.metadata.name}`);
    },
    stop() {},
  };
  const pod = makePod();
  const h = harness(pod, { volumes });
  h.worker.update(pod);
  await h.settle();
  let s = h.last();
  assert.equal(s.phase, 'Pending');
  assert.equal(s.containerStatuses![0]!.state.waiting?.reason, 'ContainerCreating');
  assert.equal(h.runtime.counts().sandboxes, 0, 'no sandbox before the volumes are ready');
  assert.ok(h.events.includes('FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "x" not found'));
  await h.advance(2000);
  assert.equal(calls.length, 2);
  await h.advance(2000);
  s = h.last();
  assert.equal(s.phase, 'Running');
  assert.equal(calls.filter((c) => c.startsWith('setUp')).length, 3);
  const deleting = structuredClone(pod);
  deleting.metadata.deletionTimestamp = '2026-01-01T00:01:00Z';
  h.worker.update(deleting);
  await h.settle();
  assert.equal(calls.at(-1), 'tearDown p');
  h.stop();
});

test('the runtime reason (OOMKilled) and the termination message reach the container status', async () => {
  const pod = makePod({ restartPolicy: 'Never' });
  const h = harness(pod, { readTerminationMessage: (_p, c, st) => `${c.name} died with ${st.exitCode}` });
  h.worker.update(pod);
  await h.settle();
  h.runtime.exitContainer('uid-1', 'app', 137, 'OOMKilled');
  await h.advance(1000);
  const t = h.last().containerStatuses![0]!.state.terminated!;
  assert.equal(h.last().phase, 'Failed');
  assert.equal(t.reason, 'OOMKilled');
  assert.equal(t.exitCode, 137);
  assert.equal(t.message, 'app died with 137');
  h.stop();
});

test('a config error (missing configMap for env): CreateContainerConfigError, Failed event, retried with back-off', async () => {
  let data: Record<string, string> | undefined;
  let gets = 0;
  const client = {
    async get() {
      gets++;
      if (!data) throw notFound({ group: '', resource: 'configmaps' }, 'cfg');
      return { metadata: { name: 'cfg' }, data };
    },
  } as unknown as Client;
  const pod = makePod({ containers: [{ name: 'app', image: 'busybox', env: [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }] });
  const h = harness(pod, { client });
  h.worker.update(pod);
  await h.settle();
  let cs = h.last().containerStatuses![0]!;
  assert.equal(cs.state.waiting?.reason, 'CreateContainerConfigError');
  assert.equal(cs.state.waiting?.message, 'configmap "cfg" not found');
  assert.ok(h.events.includes('Failed: Error: configmap "cfg" not found'), h.events.join('\n'));
  assert.equal(gets, 1);
  await h.advance(5000);
  assert.equal(gets, 1, 'the retry waits out its back-off');
  data = { k: 'v' };
  await h.advance(6000);
  cs = h.last().containerStatuses![0]!;
  assert.ok(cs.state.running, JSON.stringify(cs.state));
  assert.equal(h.last().phase, 'Running');
  h.stop();
});

test('runAsNonRoot without runAsUser: the worker asks the runtime for the image\'s user', async () => {
  const pod = makePod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'nonroot' }, { name: 'root', image: 'busybox' }] });
  const h = harness(pod);
  await h.runtime.setImageUser('nonroot', 65534);
  h.worker.update(pod);
  await h.settle();
  const [app, root] = h.last().containerStatuses!;
  assert.ok(app!.state.running, JSON.stringify(app!.state));
  assert.equal(root!.state.waiting?.reason, 'CreateContainerConfigError');
  assert.match(root!.state.waiting?.message ?? '', /^container has runAsNonRoot and image will run as root \(pod: "p_default\(uid-1\)", container: root\)$/);
  h.stop();
});
