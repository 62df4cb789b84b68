import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusEcho, syncInputs } from './status-echo.ts';
import { harness, makePod } from './testing/worker-harness.ts';
import type { Pod, PodStatus } from './types.ts';

/** The pod as the watch brings it back after `status` was written: a new object, a new resourceVersion. */
const echo = (pod: Pod, status: PodStatus, rv: string): Pod => {
  const p = JSON.parse(JSON.stringify(pod)) as Pod;
  p.metadata.resourceVersion = rv;
  p.metadata.managedFields = [{ manager: 'kubelet', operation: 'Update', subresource: 'status' }];
  p.status = JSON.parse(JSON.stringify(status)) as PodStatus;
  return p;
};

test('syncInputs leaves out resourceVersion and managedFields, and nothing else', () => {
  const pod = makePod();
  const same = echo(pod, {}, '7');
  assert.equal(syncInputs(same), syncInputs(pod));
  const labelled = echo(pod, {}, '7');
  labelled.metadata.labels = { app: 'web' };
  assert.notEqual(syncInputs(labelled), syncInputs(pod));
  const deleting = echo(pod, {}, '7');
  deleting.metadata.deletionTimestamp = '2026-01-01T00:00:10Z';
  assert.notEqual(syncInputs(deleting), syncInputs(pod));
  const newImage = echo(pod, {}, '7');
  newImage.spec.containers[0]!.image = 'busybox:2';
  assert.notEqual(syncInputs(newImage), syncInputs(pod));
});

test('isStatusEcho: only the same inputs with the conditions last reported', () => {
  const pod = makePod();
  const reported: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }] };
  const inputs = syncInputs(pod);
  const back = echo(pod, reported, '2');
  assert.equal(isStatusEcho(back, syncInputs(back), inputs, reported), true);
  assert.equal(isStatusEcho(back, syncInputs(back), inputs, undefined), false, 'nothing reported yet');
  assert.equal(isStatusEcho(back, syncInputs(back), undefined, reported), false, 'no earlier update');
  const gate = echo(pod, { ...reported, conditions: [...reported.conditions!, { type: 'example.com/lb', status: 'True' }] }, '3');
  assert.equal(isStatusEcho(gate, syncInputs(gate), inputs, reported), false, 'a condition someone else wrote');
  const stored = echo(pod, { ...reported, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] }, '4');
  assert.equal(isStatusEcho(stored, syncInputs(stored), inputs, reported), true, 'the patch dropped lastProbeTime: null');
  const reason = echo(pod, { ...reported, conditions: [{ ...reported.conditions![0]!, reason: 'ContainersNotReady' }] }, '5');
  assert.equal(isStatusEcho(reason, syncInputs(reason), inputs, reported), false, 'a field more');
  const gone = echo(pod, { ...reported, conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] }, '6');
  assert.equal(isStatusEcho(gone, syncInputs(gone), inputs, reported), false, 'a field less');
});

test('a pod worker does not sync again for the echo of its own status, and skipping changes nothing', async () => {
  const pod = makePod();
  const h = harness(pod);
  h.worker.update(pod);
  await h.settle();
  assert.equal(h.last().phase, 'Running');
  const syncs = h.statuses.length;
  h.worker.update(echo(pod, h.last(), '2'));
  await h.settle();
  assert.equal(h.statuses.length, syncs, 'the echo is not synced');
  // The PLEG then sees the container the worker started and already saw running: nothing new either.
  await h.advance(1000);
  assert.equal(h.statuses.length, syncs, 'ContainerStarted of a container seen running is not synced');
  // A sync now (the general path) reports exactly what the skipped ones would have.
  const before = h.last();
  h.worker.requestSync();
  await h.settle();
  assert.equal(h.statuses.length, syncs + 1);
  assert.deepEqual(h.last(), before);
  // A real change is synced: a label, or a container exiting.
  const relabelled = echo(pod, h.last(), '3');
  relabelled.metadata.labels = { tier: 'web' };
  h.worker.update(relabelled);
  await h.settle();
  assert.equal(h.statuses.length, syncs + 2);
  h.runtime.exitContainer('uid-1', 'app', 1);
  await h.advance(1000);
  assert.ok(h.statuses.length > syncs + 2, 'ContainerDied is synced');
  assert.equal(h.last().containerStatuses?.[0]?.lastState.terminated?.exitCode ?? h.last().containerStatuses?.[0]?.state.terminated?.exitCode, 1);
  h.stop();
});
