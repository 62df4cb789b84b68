import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpoints } from './desired-endpoints.ts';
import { pod, svc } from './testing.ts';

test('ready and not-ready pods, named and numbered target ports', () => {
  const s = svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'raw', port: 90, targetPort: 9090 }] });
  const ep = desiredEndpoints(s, [
    pod('a', '10.42.0.5'),
    pod('b', '10.42.0.10', { ready: false }),
    pod('c', undefined),
    pod('d', '10.42.0.7', { labels: { app: 'other' } }),
    pod('e', '10.42.0.8', { phase: 'Succeeded' }),
    pod('f', '10.42.0.9', { deleting: true }),
  ]);
  assert.equal(ep.subsets?.length, 1);
  const [subset] = ep.subsets!;
  assert.deepEqual(subset!.addresses?.map((a) => a.ip), ['10.42.0.5']);
  assert.deepEqual(subset!.notReadyAddresses?.map((a) => a.ip), ['10.42.0.10']);
  assert.deepEqual(subset!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'raw', port: 9090, protocol: 'TCP' }]);
  assert.deepEqual(subset!.addresses?.[0]?.targetRef, { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' });
  assert.equal(subset!.addresses?.[0]?.nodeName, 'n1');
});

test('pods resolving different ports land in different subsets; unresolved pods are left out', () => {
  const s = svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  const ep = desiredEndpoints(s, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { portName: 'web' })]);
  assert.equal(ep.subsets?.length, 1);
  assert.deepEqual(ep.subsets![0]!.addresses?.map((a) => a.targetRef.name), ['a']);
});

test('publishNotReadyAddresses lists every pod as ready; headless without ports keeps addresses', () => {
  const s = svc({ selector: { app: 'web' }, clusterIP: 'None', publishNotReadyAddresses: true });
  const ep = desiredEndpoints(s, [pod('a', '10.0.0.1', { ready: false }), pod('b', '10.0.0.2', { deleting: true })]);
  assert.deepEqual(ep.subsets![0]!.addresses?.map((a) => a.ip), ['10.0.0.1', '10.0.0.2']);
  assert.equal(ep.subsets![0]!.ports, undefined);
  assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], '');
});

test('no matching pods: no subsets', () => {
  assert.equal(desiredEndpoints(svc({ selector: { app: 'x' }, ports: [{ port: 80 }] }), [pod('a', '10.0.0.1')]).subsets, undefined);
});
