import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, makePod } from './testing/worker-harness.ts';
import type { Prober } from './prober.ts';
import type { PodStatus } from './types.ts';

const cond = (s: PodStatus, type: string) => s.conditions?.find((c) => c.type === type)?.status;

test('a pod becomes Running and Ready with an IP from the node CIDR, with kubelet events', async () => {
  const h = harness(makePod());
  h.worker.update(makePod());
  await h.settle();
  const s = h.last();
  assert.equal(s.phase, 'Running');
  assert.match(s.podIP ?? '', /^10\.244\.3\.\d+$/);
  assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
  assert.equal(s.hostIP, '192.168.0.10');
  assert.equal(cond(s, 'Ready'), 'True');
  assert.equal(cond(s, 'ContainersReady'), 'True');
  assert.equal(cond(s, 'Initialized'), 'True');
  assert.equal(cond(s, 'PodScheduled'), 'True');
  const cs = s.containerStatuses![0]!;
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.restartCount, 0);
  assert.match(cs.containerID ?? '', /^fake:\/\/[0-9a-f]{64}$/);
  assert.ok(cs.state.running?.startedAt);
  assert.equal(s.qosClass, 'BestEffort');
  assert.deepEqual(h.events, ['Pulling: Pulling image "busybox"', 'Pulled: Successfully pulled image "busybox" in 0.000s (0.000s including waiting). Image size: 1000000 bytes.', 'Created: Created container app', 'Started: Started container app']);
});

test('init containers run one after the other before the containers', async () => {
  const pod = makePod({ initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] }, { 'sim.skiff.io/exit-after.i1': '2s', 'sim.skiff.io/exit-after.i2': '3s' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  let s = h.last();
  assert.equal(s.phase, 'Pending');
  assert.equal(cond(s, 'Initialized'), 'False');
  assert.equal(s.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [i1 i2]');
  assert.ok(s.initContainerStatuses![0]!.state.running);
  assert.equal(s.initContainerStatuses![1]!.state.waiting?.reason, 'PodInitializing');
  assert.equal(s.containerStatuses![0]!.state.waiting?.reason, 'PodInitializing');
  h.runtime.recordCalls = true;
  // i1 exits at 2 s; the relister notices within a second.
  await h.advance(3000);
  s = h.last();
  assert.equal(s.initContainerStatuses![0]!.state.terminated?.reason, 'Completed');
  assert.ok(s.initContainerStatuses![1]!.state.running);
  assert.equal(s.initContainerStatuses![0]!.ready, true);
  assert.equal(s.phase, 'Pending');
  await h.advance(3000);
  assert.equal(h.last().phase, 'Pending');
  await h.advance(2000);
  s = h.last();
  assert.equal(s.phase, 'Running');
  assert.equal(cond(s, 'Initialized'), 'True');
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('startContainer')), ['startContainer i2', 'startContainer app']);
});

test('a sandbox that dies is replaced: init containers run again in the new one, then the containers restart', async () => {
  const pod = makePod({ initContainers: [{ name: 'i1', image: 'busybox' }] }, { 'sim.skiff.io/exit-after.i1': '2s' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  await h.advance(3000);
  assert.equal(h.last().phase, 'Running');
  const [first] = await h.runtime.listPodSandbox();
  h.runtime.recordCalls = true;
  // The pause process dies outside the kubelet; the relister notices.
  await h.runtime.stopPodSandbox(first!.id);
  await h.advance(1000);
  assert.ok(h.events.includes('SandboxChanged: Pod sandbox changed, it will be killed and re-created.'), h.events.join('\n'));
  const ready = await h.runtime.listPodSandbox({ state: 'SANDBOX_READY' });
  assert.equal(ready.length, 1);
  assert.notEqual(ready[0]!.id, first!.id);
  assert.equal(ready[0]!.metadata.attempt, 1);
  // i1 first, in the new sandbox; app waits for it.
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('startContainer')), ['startContainer i1']);
  let s = h.last();
  assert.ok(s.initContainerStatuses![0]!.state.running);
  assert.equal(s.initContainerStatuses![0]!.restartCount, 1);
  assert.equal(s.phase, 'Running', 'a pod whose containers have run does not go back to Pending');
  await h.advance(3000);
  s = h.last();
  assert.deepEqual(h.runtime.calls.filter((c) => c.startsWith('startContainer')), ['startContainer i1', 'startContainer app']);
  assert.equal(s.phase, 'Running');
  assert.equal(s.initContainerStatuses![0]!.state.terminated?.reason, 'Completed');
  assert.ok(s.containerStatuses![0]!.state.running);
  assert.equal(s.containerStatuses![0]!.restartCount, 1);
  assert.equal(s.containerStatuses![0]!.lastState.terminated?.exitCode, 137);
  assert.equal(cond(s, 'Ready'), 'True');
  const running = (await h.runtime.listContainers({ state: 'CONTAINER_RUNNING' })).map((c) => c.podSandboxId);
  assert.deepEqual(running, [ready[0]!.id]);
});

test('under restartPolicy Never a dead sandbox is not replaced: the pod fails', async () => {
  const pod = makePod({ restartPolicy: 'Never' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  assert.equal(h.last().phase, 'Running');
  const [sb] = await h.runtime.listPodSandbox();
  await h.runtime.stopPodSandbox(sb!.id);
  await h.advance(2000);
  const s = h.last();
  assert.equal(s.phase, 'Failed');
  assert.equal(s.containerStatuses![0]!.state.terminated?.exitCode, 137);
  assert.ok(h.events.includes('SandboxChanged: Pod sandbox changed, it will be killed.'), h.events.join('\n'));
  assert.equal((await h.runtime.listPodSandbox({ state: 'SANDBOX_READY' })).length, 0);
  assert.equal(h.runtime.counts().sandboxes, 1);
});

test('a crashing container restarts with back-off 10s, 20s, 40s and shows CrashLoopBackOff', async () => {
  const pod = makePod({}, { 'sim.skiff.io/exit-code': '1', 'sim.skiff.io/exit-after': '1s' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  const restarts: { at: number; count: number }[] = [];
  const start = h.clock.now();
  for (let i = 0; i < 90; i++) {
    await h.advance(1000);
    const cs = h.last().containerStatuses![0]!;
    if (restarts.at(-1)?.count !== cs.restartCount) restarts.push({ at: (h.clock.now() - start) / 1000, count: cs.restartCount });
  }
  // Runs 1 s each; first restart at once, then after 10, 20, 40 s of back-off.
  assert.deepEqual(restarts.map((r) => r.count), [1, 2, 3, 4]);
  assert.deepEqual(restarts.map((r) => r.at), [1, 12, 33, 74]);
  await h.advance(2000);
  const s = h.last();
  const cs = s.containerStatuses![0]!;
  assert.equal(s.phase, 'Running');
  assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
  assert.match(cs.state.waiting?.message ?? '', /^back-off 80s restarting failed container=app pod=p_default\(uid-1\)$/);
  assert.equal(cs.lastState.terminated?.exitCode, 1);
  assert.equal(cs.lastState.terminated?.reason, 'Error');
  assert.equal(cond(s, 'Ready'), 'False');
  assert.ok(h.events.some((e) => e.startsWith('BackOff: Back-off restarting failed container app in pod p_default(uid-1)')));
  assert.ok(h.runtime.counts().containers <= 2, 'old attempts are removed');
});

test('restartPolicy Never and OnFailure: Succeeded and Failed pods', async () => {
  for (const [policy, code, phase] of [['Never', '0', 'Succeeded'], ['Never', '3', 'Failed'], ['OnFailure', '0', 'Succeeded']] as const) {
    const pod = makePod({ restartPolicy: policy }, { 'sim.skiff.io/exit-code': code, 'sim.skiff.io/exit-after': '2s' });
    const h = harness(pod);
    h.worker.update(pod);
    await h.settle();
    await h.advance(3000);
    const s = h.last();
    assert.equal(s.phase, phase, `${policy} exit ${code}`);
    assert.equal(s.containerStatuses![0]!.state.terminated?.exitCode, Number(code));
    assert.equal(s.containerStatuses![0]!.restartCount, 0);
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
    assert.ok(s.podIP, 'a finished pod keeps its IP');
  }
});

test('readiness and liveness probes: unready, then killed and restarted after failureThreshold', async () => {
  const probe = { exec: { command: ['true'] }, periodSeconds: 5, failureThreshold: 3, initialDelaySeconds: 2 };
  const pod = makePod({ containers: [{ name: 'app', image: 'busybox', readinessProbe: probe, livenessProbe: probe }] });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  assert.equal(h.last().containerStatuses![0]!.ready, false, 'not ready before the first readiness probe');
  await h.advance(2000);
  assert.equal(h.last().containerStatuses![0]!.ready, true);
  h.runtime.setProbeResult('uid-1', 'app', 'readiness', false);
  h.runtime.setProbeResult('uid-1', 'app', 'liveness', false);
  await h.advance(10_000);
  assert.equal(h.last().containerStatuses![0]!.ready, true, 'two failures are below the threshold');
  assert.equal(h.events.filter((e) => e.startsWith('Unhealthy: Readiness probe failed')).length, 2);
  await h.advance(5000);
  const s = h.last();
  const cs = s.containerStatuses![0]!;
  assert.ok(h.events.includes('Killing: Container app failed liveness probe, will be restarted'));
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.lastState.terminated?.exitCode, 143);
  assert.equal(cs.ready, false, 'the new container is unready until its readiness probe passes');
});

test('a probe sees the pod as its worker has it now, also after an update that needed no sync', async () => {
  const seen: (string | undefined)[] = [];
  const prober: Prober = {
    probe: async (t) => {
      seen.push(t.pod.metadata.resourceVersion);
      return { ok: true, output: '' };
    },
  };
  const pod = makePod({ containers: [{ name: 'app', image: 'busybox', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 } }] });
  pod.metadata.resourceVersion = '1';
  const h = harness(pod, { prober });
  h.worker.update(pod);
  await h.advance(2000);
  assert.equal(h.last().containerStatuses![0]!.ready, true);
  // The watch brings back the status the worker wrote: an echo, which does not sync the pod.
  h.worker.update({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: h.last() });
  await h.advance(10_000);
  assert.equal(seen[0], '1');
  assert.equal(seen.at(-1), '2', 'the probe after the echo sees the new resourceVersion');
});

test('startup probe gates liveness and readiness and marks the container started', async () => {
  const pod = makePod({
    containers: [{ name: 'app', image: 'busybox', startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 30 }, readinessProbe: { httpGet: { port: 80, path: '/' }, periodSeconds: 1 } }],
  });
  const h = harness(pod);
  h.runtime.setProbeResult('uid-1', 'app', 'startup', false);
  h.worker.update(pod);
  await h.advance(5000);
  let cs = h.last().containerStatuses![0]!;
  assert.equal(cs.started, false);
  assert.equal(cs.ready, false);
  h.runtime.setProbeResult('uid-1', 'app', 'startup', true);
  await h.advance(3000);
  cs = h.last().containerStatuses![0]!;
  assert.equal(cs.started, true);
  assert.equal(cs.ready, true);
});

test('graceful termination: preStop, SIGTERM, kill at the end of the grace period, then deletion', async () => {
  const pod = makePod({ terminationGracePeriodSeconds: 20, containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] }, { 'sim.skiff.io/ignore-sigterm': 'true' });
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  const deleting = structuredClone(pod);
  deleting.metadata.deletionTimestamp = '2026-01-01T00:00:20Z';
  deleting.metadata.deletionGracePeriodSeconds = 20;
  h.runtime.recordCalls = true;
  h.worker.update(deleting);
  await h.advance(19_000);
  assert.equal(h.deleted(), 0, 'still within the grace period');
  assert.ok(h.events.includes('Killing: Stopping container app'));
  assert.deepEqual(h.runtime.calls, ['stopContainer app 15']);
  await h.advance(2000);
  assert.equal(h.deleted(), 1);
  assert.equal(h.finished(), true);
  const cs = h.last().containerStatuses![0]!;
  assert.equal(cs.state.terminated?.exitCode, 137);
  assert.equal(h.runtime.counts().sandboxes, 0);
});

test('an image that cannot be pulled: ErrImagePull, then ImagePullBackOff with growing delays', async () => {
  const pod = makePod();
  const h = harness(pod);
  let pulls = 0;
  h.runtime.pullImage = async () => {
    pulls++;
    throw new Error('registry unreachable');
  };
  h.worker.update(pod);
  await h.settle();
  let cs = h.last().containerStatuses![0]!;
  assert.equal(cs.state.waiting?.reason, 'ErrImagePull');
  assert.equal(cs.state.waiting?.message, 'Failed to pull image "busybox": registry unreachable');
  assert.equal(h.last().phase, 'Pending');
  await h.advance(10_000);
  cs = h.last().containerStatuses![0]!;
  assert.equal(cs.state.waiting?.reason, 'ImagePullBackOff');
  assert.equal(pulls, 2);
  await h.advance(15_000);
  assert.equal(pulls, 2, 'the next try waits 20 s');
  await h.advance(5_000);
  assert.equal(pulls, 3);
  assert.ok(h.events.includes('Failed: Failed to pull image "busybox": registry unreachable'));
});
