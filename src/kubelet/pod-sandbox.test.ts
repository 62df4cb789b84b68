import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, makePod } from './testing/worker-harness.ts';
import type { Pod } from './types.ts';

/** A first kubelet runs the pod; then it is gone (its relister stops, its worker is never called again). */
async function runThenDie(pod: Pod) {
  const first = harness(pod);
  first.worker.update(pod);
  await first.settle();
  await first.advance(2000);
  first.stop();
  const s = first.last();
  assert.equal(s.phase, 'Running');
  return { runtime: first.runtime, status: s, pod: { ...pod, status: s } };
}

test('a restarted kubelet adopts the running sandbox and containers: same IDs, no restart', async () => {
  const before = await runThenDie(makePod());
  const [sandbox] = await before.runtime.listPodSandbox();
  before.runtime.recordCalls = true;
  const h = harness(before.pod, { runtime: before.runtime });
  h.worker.update(before.pod);
  await h.settle();
  await h.advance(3000);
  const s = h.last();
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, before.status.podIP);
  const cs = s.containerStatuses![0]!;
  assert.equal(cs.containerID, before.status.containerStatuses![0]!.containerID);
  assert.equal(cs.restartCount, 0);
  assert.equal(cs.ready, true);
  assert.deepEqual(h.runtime.calls, [], 'nothing created, started or stopped');
  assert.deepEqual((await h.runtime.listPodSandbox()).map((x) => x.id), [sandbox!.id]);
  assert.match(h.logs.join('\n'), /adopted running sandbox/);

  // The relister still drives the adopted pod: a crash restarts the container in the same sandbox.
  h.runtime.exitContainer('uid-1', 'app', 1);
  await h.advance(2000);
  const after = h.last().containerStatuses![0]!;
  assert.equal(after.restartCount, 1);
  assert.ok(after.state.running);
  assert.equal(after.lastState.terminated?.exitCode, 1);
  assert.equal((await h.runtime.listPodSandbox()).length, 1);
  h.stop();
});

test('older and dead sandboxes of the pod are removed when the newest ready one is adopted', async () => {
  const before = await runThenDie(makePod());
  // A leftover from an earlier attempt, already stopped.
  const stale = await before.runtime.runPodSandbox({ metadata: { name: 'p', namespace: 'default', uid: 'uid-1', attempt: 0 }, labels: { 'io.kubernetes.pod.uid': 'uid-1' }, annotations: {} });
  await before.runtime.stopPodSandbox(stale);
  const h = harness(before.pod, { runtime: before.runtime });
  h.worker.update(before.pod);
  await h.settle();
  const ids = (await h.runtime.listPodSandbox()).map((x) => x.id);
  assert.equal(ids.length, 1);
  assert.notEqual(ids[0], stale);
  assert.equal(h.last().containerStatuses![0]!.restartCount, 0);
  h.stop();
});

test('after a reboot (only a dead sandbox left) the pod gets a new sandbox and its containers restart', async () => {
  const before = await runThenDie(makePod());
  const [old] = await before.runtime.listPodSandbox();
  await before.runtime.stopPodSandbox(old!.id);
  const h = harness(before.pod, { runtime: before.runtime });
  h.worker.update(before.pod);
  await h.settle();
  await h.advance(1000);
  const s = h.last();
  assert.equal(s.phase, 'Running');
  const cs = s.containerStatuses![0]!;
  assert.equal(cs.restartCount, 1);
  assert.notEqual(cs.containerID, before.status.containerStatuses![0]!.containerID);
  assert.ok(cs.state.running);
  const sandboxes = await h.runtime.listPodSandbox();
  const ready = sandboxes.filter((x) => x.state === 'SANDBOX_READY');
  assert.equal(ready.length, 1);
  assert.equal(ready[0]!.metadata.attempt, 1);
  assert.ok(h.events.includes('SandboxChanged: Pod sandbox changed, it will be killed and re-created.'));
  h.stop();
});

test('a sandbox that dies under a running worker is re-created with the next attempt', async () => {
  const pod = makePod();
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  const firstIP = h.last().podIP;
  const [sb] = await h.runtime.listPodSandbox();
  // Outside the kubelet, as `kill -9` of the pause process.
  await h.runtime.stopPodSandbox(sb!.id);
  await h.advance(2000);
  const s = h.last();
  assert.equal(s.phase, 'Running');
  assert.equal(s.containerStatuses![0]!.restartCount, 1);
  assert.equal(s.containerStatuses![0]!.lastState.terminated?.exitCode, 137);
  assert.ok(s.podIP && s.podIP !== '');
  const live = (await h.runtime.listPodSandbox()).filter((x) => x.state === 'SANDBOX_READY');
  assert.deepEqual(live.map((x) => x.metadata.attempt), [1]);
  assert.ok(firstIP);

  // Deleting the pod removes every sandbox it ever had.
  h.worker.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:01:00Z', deletionGracePeriodSeconds: 0 } });
  await h.advance(1000);
  assert.equal(h.finished(), true);
  assert.deepEqual(h.runtime.counts(), { sandboxes: 0, containers: 0, running: 0 });
  h.stop();
});

test('a pod deleted while the kubelet was down is stopped and removed after adoption', async () => {
  const before = await runThenDie(makePod());
  const deleting = { ...before.pod, metadata: { ...before.pod.metadata, deletionTimestamp: '2026-01-01T00:01:00Z', deletionGracePeriodSeconds: 0 } };
  const h = harness(deleting, { runtime: before.runtime });
  h.worker.update(deleting);
  await h.settle();
  await h.advance(1000);
  assert.equal(h.finished(), true);
  assert.equal(h.deleted(), 1);
  assert.deepEqual(h.runtime.counts(), { sandboxes: 0, containers: 0, running: 0 });
  h.stop();
});
