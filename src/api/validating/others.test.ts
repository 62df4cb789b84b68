import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsV1ToCore } from '../conversion/events.ts';
import type { KubeObject } from '../meta.ts';
import { check, type Any } from './test-helpers.ts';

test('leases', () => {
  const lease: Any = { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } };
  assert.deepEqual(check('Lease.coordination.k8s.io', lease), []);
  lease['spec'].leaseDurationSeconds = 0;
  assert.deepEqual(check('Lease.coordination.k8s.io', lease), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
});

test('endpoint slices', () => {
  const es: Any = {
    metadata: { name: 'web-abc', namespace: 'default' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80 }],
  };
  assert.deepEqual(check('EndpointSlice.discovery.k8s.io', es), []);
  const bad: Any = { metadata: { name: 'x', namespace: 'd' }, addressType: 'IPv5', endpoints: [{ addresses: [] }] };
  assert.deepEqual(check('EndpointSlice.discovery.k8s.io', bad), [
    'addressType: Unsupported value: "IPv5": supported values: "IPv4", "IPv6", "FQDN"',
    'endpoints[0].addresses: Required value: must contain at least 1 address',
  ]);
  const v6: Any = structuredClone(es);
  v6['endpoints'][0].addresses = ['fd00::1'];
  assert.deepEqual(check('EndpointSlice.discovery.k8s.io', v6), ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']);
  const retyped = structuredClone(es);
  retyped['addressType'] = 'FQDN';
  retyped['endpoints'][0].addresses = ['web.example.com'];
  assert.deepEqual(check('EndpointSlice.discovery.k8s.io', retyped, es), ['addressType: Invalid value: "FQDN": field is immutable']);
});

test('events.k8s.io events are checked in core form with their own field names', () => {
  const ev: Any = {
    metadata: { name: 'e', namespace: 'default' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    reportingController: 'example.com/ctl',
    reportingInstance: 'ctl-0',
    action: 'Sync',
    regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
    note: 'x',
    reason: 'R',
    type: 'Normal',
  };
  assert.deepEqual(check('Event.events.k8s.io', ev), []);
  assert.deepEqual(check('Event.events.k8s.io', eventsV1ToCore(structuredClone(ev) as KubeObject)), [], 'the stored form is accepted too');
  const bad: Any = { metadata: { name: 'e', namespace: 'default' }, regarding: { kind: 'Pod', name: 'p', namespace: 'other' }, note: 'x'.repeat(1025), type: 'Odd' };
  assert.deepEqual(check('Event.events.k8s.io', bad), [
    'regarding.namespace: Invalid value: "other": does not match event.namespace',
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Odd',
    'action: Required value',
    'reason: Required value',
    'note: Invalid value: "": can have at most 1024 characters',
  ]);
});

test('priority classes', () => {
  assert.deepEqual(check('PriorityClass.scheduling.k8s.io', { metadata: { name: 'high' }, value: 1000000 }), []);
  assert.deepEqual(check('PriorityClass.scheduling.k8s.io', { metadata: { name: 'system-node-critical' }, value: 2000001000 }), []);
  assert.deepEqual(check('PriorityClass.scheduling.k8s.io', { metadata: { name: 'huge' }, value: 2000000000 }), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
  assert.deepEqual(check('PriorityClass.scheduling.k8s.io', { metadata: { name: 'system-mine' }, value: 1 }), [
    "metadata.name: Invalid value: \"system-mine\": priority class names with 'system-' prefix are reserved",
  ]);
  assert.deepEqual(check('PriorityClass.scheduling.k8s.io', { metadata: { name: 'a' }, value: 2 }, { metadata: { name: 'a' }, value: 1 }), [
    'value: Forbidden: may not be changed in an update.',
  ]);
});

test('pod disruption budgets', () => {
  const pdb: Any = { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } };
  assert.deepEqual(check('PodDisruptionBudget.policy', pdb), []);
  pdb['spec'].maxUnavailable = 1;
  assert.match(check('PodDisruptionBudget.policy', pdb)[0] ?? '', /^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
  assert.deepEqual(check('PodDisruptionBudget.policy', { metadata: { name: 'p', namespace: 'd' }, spec: { maxUnavailable: -1 } }), [
    'spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('storage classes', () => {
  const sc: Any = { metadata: { name: 'local-path' }, provisioner: 'rancher.io/local-path', parameters: { a: 'b' } };
  assert.deepEqual(check('StorageClass.storage.k8s.io', sc), []);
  assert.deepEqual(check('StorageClass.storage.k8s.io', { metadata: { name: 's' }, reclaimPolicy: 'Recycle' }), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
  ]);
  const changed = { ...structuredClone(sc), parameters: { a: 'c' } };
  assert.deepEqual(check('StorageClass.storage.k8s.io', changed, sc), ['parameters: Forbidden: updates to parameters are forbidden.']);
});
