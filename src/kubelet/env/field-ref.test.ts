import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podFieldValue, resourceFieldValue } from './field-ref.ts';
import type { Pod } from '../types.ts';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { app: 'web', tier: 'a"b' }, annotations: { note: 'hi' } },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'sa',
    containers: [
      { name: 'main', resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m', memory: '128Mi' } } },
      { name: 'bare' },
    ],
  },
};
const addr = { podIP: '10.88.2.5', hostIP: '192.0.2.1' };
const v = (path: string) => podFieldValue(pod, path, addr);

test('fieldRef paths resolve from the pod and its addresses', () => {
  assert.deepEqual(v('metadata.name'), { value: 'p' });
  assert.deepEqual(v('metadata.namespace'), { value: 'ns' });
  assert.deepEqual(v('metadata.uid'), { value: 'u-1' });
  assert.deepEqual(v("metadata.labels['app']"), { value: 'web' });
  assert.deepEqual(v("metadata.annotations['note']"), { value: 'hi' });
  assert.deepEqual(v("metadata.labels['missing']"), { value: '' });
  assert.deepEqual(v('metadata.labels'), { value: 'app="web"\ntier="a\\"b"' });
  assert.deepEqual(v('spec.nodeName'), { value: 'node-1' });
  assert.deepEqual(v('spec.serviceAccountName'), { value: 'sa' });
  assert.deepEqual(v('status.podIP'), { value: '10.88.2.5' });
  assert.deepEqual(v('status.podIPs'), { value: '10.88.2.5' });
  assert.deepEqual(v('status.hostIP'), { value: '192.0.2.1' });
  assert.deepEqual(v('spec.bogus'), { error: 'unsupported fieldPath: spec.bogus' });
});

test('resourceFieldRef divides and rounds up; unset limits use allocatable', () => {
  const main = pod.spec.containers[0]!;
  const bare = pod.spec.containers[1]!;
  const alloc = { cpu: '2', memory: '4Gi' };
  assert.deepEqual(resourceFieldValue(pod, main, { resource: 'limits.cpu' }, alloc), { value: '2' });
  assert.deepEqual(resourceFieldValue(pod, main, { resource: 'limits.cpu', divisor: '1m' }, alloc), { value: '1500' });
  assert.deepEqual(resourceFieldValue(pod, main, { resource: 'requests.cpu', divisor: '1m' }, alloc), { value: '250' });
  assert.deepEqual(resourceFieldValue(pod, main, { resource: 'limits.memory', divisor: '1Mi' }, alloc), { value: '128' });
  assert.deepEqual(resourceFieldValue(pod, main, { resource: 'requests.memory' }, alloc), { value: String(64 * 1024 * 1024) });
  assert.deepEqual(resourceFieldValue(pod, bare, { resource: 'limits.memory', divisor: '1Gi' }, alloc), { value: '4' });
  assert.deepEqual(resourceFieldValue(pod, bare, { resource: 'limits.cpu' }, alloc), { value: '2' });
  assert.deepEqual(resourceFieldValue(pod, bare, { resource: 'requests.cpu' }, alloc), { value: '0' });
  assert.deepEqual(resourceFieldValue(pod, bare, { resource: 'limits.memory', containerName: 'main', divisor: '1Mi' }, alloc), { value: '128' });
  assert.ok('error' in resourceFieldValue(pod, bare, { resource: 'limits.gpu' }, alloc));
  assert.ok('error' in resourceFieldValue(pod, bare, { resource: 'limits.cpu', containerName: 'nope' }, alloc));
});

test('a label or annotation named like an inherited property is empty unless the pod has it', () => {
  assert.deepEqual(v("metadata.labels['constructor']"), { value: '' });
  assert.deepEqual(v("metadata.annotations['__proto__']"), { value: '' });
  const labelled: Pod = { ...pod, metadata: { ...pod.metadata, labels: { constructor: 'c' } } };
  assert.deepEqual(podFieldValue(labelled, "metadata.labels['constructor']", addr), { value: 'c' });
});
