import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { realClock } from '../machinery/clock.ts';
import { EventSink } from './event-sink.ts';

const events = resourceFor('', 'v1', 'events')!;
let cluster: TestCluster;

before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };

test('events carry the kubelet as source; a repeat bumps count on the same Event', async () => {
  const sink = new EventSink({ client: cluster.client, clock: realClock, log: () => {} });
  const rec = sink.recorder('kubelet', 'node-1');
  rec.event(pod, 'Normal', 'Pulled', 'Container image "busybox" already present on machine');
  await sink.flush();
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web_default(u-1)');
  await sink.flush();
  rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web_default(u-1)');
  await sink.flush();
  const list = await cluster.client.list<KubeObject>(events, 'default', { fieldSelector: 'involvedObject.uid=u-1' });
  const byReason = new Map(list.items.map((e) => [e['reason'], e]));
  assert.equal(list.items.length, 2);
  assert.equal(byReason.get('BackOff')!['count'], 2);
  assert.equal(byReason.get('Pulled')!['count'], 1);
  assert.deepEqual(byReason.get('Pulled')!['source'], { component: 'kubelet', host: 'node-1' });
  assert.equal(byReason.get('BackOff')!['type'], 'Warning');
  assert.deepEqual(byReason.get('Pulled')!['involvedObject'], { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1' });
});

test('writes are limited to qps; past maxQueued the oldest are dropped', async () => {
  const sink = new EventSink({ client: cluster.client, clock: realClock, log: () => {}, qps: 20, burst: 5, concurrency: 8, maxQueued: 10 });
  const rec = sink.recorder('kubelet', 'node-2');
  const started = Date.now();
  for (let i = 0; i < 20; i++) rec.event({ ...pod, metadata: { ...pod.metadata, uid: `q-${i}` } }, 'Normal', 'Started', `Started container c${i}`);
  await sink.flush();
  const took = Date.now() - started;
  assert.equal(sink.dropped, 5, 'burst 5 go at once, 15 queue, 10 fit');
  assert.equal(sink.sent, 15);
  assert.ok(took >= 400, `10 queued events at 20 qps take about 0.5 s, took ${took} ms`);
});

test('a queued event names the object as it was when recorded', async () => {
  const sink = new EventSink({ client: cluster.client, clock: realClock, log: () => {}, qps: 1, burst: 1 });
  const rec = sink.recorder('kubelet', 'node-3');
  rec.event({ ...pod, metadata: { ...pod.metadata, uid: 'r-0' } }, 'Normal', 'Pulled', 'first');
  // No token left: this one waits in the queue while its object changes.
  const later: KubeObject = { ...pod, metadata: { ...pod.metadata, name: 'web-2', uid: 'r-1' } };
  rec.event(later, 'Normal', 'Created', 'second');
  later.metadata.name = 'renamed';
  later.metadata.uid = 'r-9';
  await sink.flush();
  const list = await cluster.client.list<KubeObject>(events, 'default', { fieldSelector: 'involvedObject.uid=r-1' });
  assert.equal(list.items.length, 1);
  assert.deepEqual(list.items[0]!['involvedObject'], { kind: 'Pod', namespace: 'default', name: 'web-2', uid: 'r-1', apiVersion: 'v1' });
});
