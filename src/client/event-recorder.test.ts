import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { FakeClock } from '../machinery/clock.ts';
import { createEventRecorder } from './event-recorder.ts';
import { createComponentContext } from './component-context.ts';
import { startTestCluster, type TestCluster } from './testing/test-cluster.ts';
import type { Client } from './interfaces.ts';

const events = resourceFor('', 'v1', 'events')!;
const configmaps = resourceFor('', 'v1', 'configmaps')!;
const nodes = resourceFor('', 'v1', 'nodes')!;

type Ev = KubeObject & { count: number; reason: string; message: string; type: string; firstTimestamp: string; lastTimestamp: string; involvedObject: Record<string, string>; source: Record<string, string> };

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(() => cluster.stop());

describe('event recorder', () => {
  it('creates core/v1 Events about an object and folds repeats into one with a growing count', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 10, 0, 0));
    const obj = await cluster.client.create<KubeObject>(configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } });
    const rec = createEventRecorder(cluster.client, 'test-controller', 'host-1', { clock });
    rec.event(obj, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    clock.advance(5000);
    rec.event(obj, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    clock.advance(5000);
    rec.event(obj, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    rec.event(obj, 'Warning', 'FailedCreate', 'quota exceeded');
    await rec.flush();
    const list = await cluster.client.list<Ev>(events, 'default', { fieldSelector: 'involvedObject.name=web' });
    const byReason = new Map(list.items.map((e) => [e.reason, e]));
    assert.equal(list.items.length, 2);
    const created = byReason.get('SuccessfulCreate')!;
    assert.equal(created.count, 3);
    assert.equal(created.firstTimestamp, '2026-11-26T10:00:00Z');
    assert.equal(created.lastTimestamp, '2026-11-26T10:00:10Z');
    assert.equal(created.type, 'Normal');
    assert.match(created.metadata.name!, /^web\.[0-9a-f]+$/);
    assert.deepEqual(created.source, { component: 'test-controller', host: 'host-1' });
    assert.equal(created.involvedObject['kind'], 'ConfigMap');
    assert.equal(created.involvedObject['uid'], obj.metadata.uid);
    assert.equal(created.involvedObject['namespace'], 'default');
    assert.equal(byReason.get('FailedCreate')!.type, 'Warning');
    assert.equal(byReason.get('FailedCreate')!.count, 1);
  });

  it('puts events about cluster-scoped objects in default, and starts over when the Event is gone', async () => {
    const node = await cluster.client.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const rec = createEventRecorder(cluster.client, 'kubelet', 'n1');
    rec.event(node, 'Normal', 'NodeReady', 'Node n1 status is now: NodeReady');
    await rec.flush();
    const [first] = (await cluster.client.list<Ev>(events, 'default', { fieldSelector: 'involvedObject.name=n1' })).items;
    assert.ok(first);
    await cluster.client.delete(events, 'default', first.metadata.name!);
    rec.event(node, 'Normal', 'NodeReady', 'Node n1 status is now: NodeReady');
    await rec.flush();
    const again = (await cluster.client.list<Ev>(events, 'default', { fieldSelector: 'involvedObject.name=n1' })).items;
    assert.equal(again.length, 1);
    assert.equal(again[0]!.count, 2);
  });

  it('never throws, even when the API refuses every write', async () => {
    const logs: string[] = [];
    const broken = {
      create: () => Promise.reject(new Error('down')),
      patch: () => Promise.reject(new Error('down')),
    } as unknown as Client;
    const rec = createEventRecorder(broken, 'x', undefined, { log: (l) => logs.push(l) });
    const obj = { metadata: { name: 'a', namespace: 'default' } } as KubeObject;
    rec.event(obj, 'Normal', 'R', 'm');
    rec.event(obj, 'Normal', 'R', 'm');
    await rec.flush();
    assert.equal(logs.length, 2);
    assert.match(logs[0]!, /could not write event default\/a\.[0-9a-f]+: down/);
  });

  it('a component context shares one recorder per source', () => {
    const ctx = createComponentContext(cluster.client, new FakeClock(), () => {});
    assert.equal(ctx.recorder('a'), ctx.recorder('a'));
    assert.notEqual(ctx.recorder('a'), ctx.recorder('a', 'h'));
    assert.equal(ctx.informers.informerFor(configmaps), ctx.informers.informerFor(configmaps));
  });
});
