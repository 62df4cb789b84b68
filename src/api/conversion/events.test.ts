import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreToEventsV1, eventsV1ToCore } from './events.ts';
import type { KubeObject } from '../meta.ts';

const core: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17a', namespace: 'default', uid: 'e1', resourceVersion: '42' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'p1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx:1.27"',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:01:00Z',
  count: 3,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

test('core/v1 to events.k8s.io/v1 renames fields', () => {
  const ev = coreToEventsV1(core);
  assert.equal(ev.apiVersion, 'events.k8s.io/v1');
  assert.deepEqual(ev['regarding'], core['involvedObject']);
  assert.equal(ev['note'], core['message']);
  assert.equal(ev['reportingController'], 'kubelet');
  assert.equal(ev['reportingInstance'], 'node-1');
  assert.deepEqual(ev['deprecatedSource'], { component: 'kubelet', host: 'node-1' });
  assert.equal(ev['deprecatedFirstTimestamp'], '2026-01-01T00:00:00Z');
  assert.equal(ev['deprecatedLastTimestamp'], '2026-01-01T00:01:00Z');
  assert.equal(ev['deprecatedCount'], 3);
  assert.equal(ev['reason'], 'Pulled');
  assert.equal(ev['type'], 'Normal');
  assert.equal(ev['involvedObject'], undefined);
  assert.equal(ev['message'], undefined);
  assert.deepEqual(ev.metadata, core.metadata);
});

test('round trip keeps every field and does not share or mutate the input', () => {
  const input = structuredClone(core);
  const back = eventsV1ToCore(coreToEventsV1(input));
  assert.deepEqual(input, core);
  assert.deepEqual(back, core);
  (back['involvedObject'] as Record<string, unknown>)['name'] = 'changed';
  assert.equal((input['involvedObject'] as Record<string, unknown>)['name'], 'web-1');
});

test('events.k8s.io/v1 to core/v1 carries series, related and action', () => {
  const ev: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'x', namespace: 'ns' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    series: { count: 2, lastObservedTime: '2026-01-01T00:00:05.000000Z' },
    reportingController: 'example.com/ctl',
    reportingInstance: 'ctl-0',
    action: 'Scheduling',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', name: 'p', namespace: 'ns' },
    related: { kind: 'Node', name: 'n1' },
    note: 'assigned ns/p to n1',
    type: 'Normal',
  };
  const c = eventsV1ToCore(ev);
  assert.equal(c.apiVersion, 'v1');
  assert.equal(c['message'], 'assigned ns/p to n1');
  assert.equal(c['reportingComponent'], 'example.com/ctl');
  assert.deepEqual(c['involvedObject'], { kind: 'Pod', name: 'p', namespace: 'ns' });
  assert.deepEqual(c['series'], ev['series']);
  assert.deepEqual(c['related'], ev['related']);
  assert.equal(c['action'], 'Scheduling');
  assert.equal(c['source'], undefined);
});

test('an empty source is not shown on events.k8s.io/v1', () => {
  assert.equal(coreToEventsV1({ ...core, source: {} })['deprecatedSource'], undefined);
});
