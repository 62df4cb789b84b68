import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type Any } from './test-helpers.ts';

test('namespaces: DNS label names, no namespace of their own', () => {
  assert.deepEqual(check('Namespace', { metadata: { name: 'team-a' } }), []);
  assert.match(check('Namespace', { metadata: { name: 'team.a' } })[0] ?? '', /^metadata\.name: Invalid value: "team\.a": a lowercase RFC 1123 label/);
  assert.deepEqual(check('Namespace', { metadata: { name: 'x', namespace: 'y' } }), ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('nodes: taints need key and a known effect', () => {
  const node: Any = { metadata: { name: 'node-1.example.com' }, spec: { podCIDR: '10.42.0.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } };
  assert.deepEqual(check('Node', node), []);
  const bad: Any = { metadata: { name: 'n' }, spec: { taints: [{ effect: 'Sometimes' }, { key: 'a', effect: 'NoExecute' }, { key: 'a', effect: 'NoExecute' }] } };
  assert.deepEqual(check('Node', bad).slice(0, 2), [
    'spec.taints[0].key: Required value',
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
  assert.match(check('Node', bad)[2] ?? '', /^spec\.taints\[2\]: Duplicate value:/);
  const moved = structuredClone(node);
  moved['spec'].podCIDR = '10.42.1.0/24';
  assert.deepEqual(check('Node', moved, node), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
});

test('endpoints: addresses are IPs, ports in range', () => {
  const ep: Any = { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ name: 'http', port: 80 }] }] };
  assert.deepEqual(check('Endpoints', ep), []);
  ep['subsets'][0].addresses[0].ip = 'nope';
  ep['subsets'][0].ports[0].port = 0;
  assert.deepEqual(check('Endpoints', ep), [
    'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
});

test('service accounts: object meta only', () => {
  assert.deepEqual(check('ServiceAccount', { metadata: { name: 'default', namespace: 'default' } }), []);
  assert.deepEqual(check('ServiceAccount', { metadata: { namespace: 'default' } }), ['metadata.name: Required value: name or generateName is required']);
});

test('events: involved object required and in the same namespace', () => {
  const ev: Any = {
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Scheduled',
    message: 'ok',
    type: 'Normal',
  };
  assert.deepEqual(check('Event', ev), []);
  assert.deepEqual(check('Event', { metadata: { name: 'e', namespace: 'default' } }), ['involvedObject: Required value']);
  ev['involvedObject'].namespace = 'other';
  assert.deepEqual(check('Event', ev), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const node: Any = { metadata: { name: 'n1.17a', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n1' }, reason: 'Starting' };
  assert.deepEqual(check('Event', node), []);
  const reported: Any = { ...structuredClone(node), eventTime: '2026-01-01T00:00:00.000000Z' };
  assert.deepEqual(check('Event', reported), ['reportingComponent: Required value', 'reportingInstance: Required value']);
});

test('replication controllers: selector, template labels, restart policy', () => {
  const rc: Any = {
    metadata: { name: 'rc', namespace: 'default' },
    spec: { replicas: 2, selector: { app: 'a' }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } } },
  };
  assert.deepEqual(check('ReplicationController', rc), []);
  const bad = structuredClone(rc);
  bad['spec'].selector = { app: 'b' };
  bad['spec'].replicas = -1;
  assert.deepEqual(check('ReplicationController', bad), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`',
  ]);
});

test('persistent volumes: capacity, access modes, a source', () => {
  const pv: Any = { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } };
  assert.deepEqual(check('PersistentVolume', pv), []);
  assert.deepEqual(check('PersistentVolume', { metadata: { name: 'pv2' }, spec: { accessModes: ['ReadSometimes'] } }), [
    'spec.accessModes: Unsupported value: "ReadSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.capacity: Required value',
    'spec: Required value: must specify a volume type',
  ]);
});

test('claims: access modes and storage request; spec mostly immutable', () => {
  const pvc: Any = { metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  assert.deepEqual(check('PersistentVolumeClaim', pvc), []);
  assert.deepEqual(check('PersistentVolumeClaim', { metadata: { name: 'c', namespace: 'd' }, spec: { resources: { requests: { storage: '0' } } } }), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
  ]);
  const bound = structuredClone(pvc);
  bound['spec'].volumeName = 'pv1';
  bound['spec'].resources.requests.storage = '2Gi';
  assert.deepEqual(check('PersistentVolumeClaim', bound, pvc), []);
  const changed = structuredClone(bound);
  changed['spec'].accessModes = ['ReadWriteMany'];
  assert.deepEqual(check('PersistentVolumeClaim', changed, bound), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
});
